"""Answers: one validator per field type, the parsers behind them, and answers files."""
