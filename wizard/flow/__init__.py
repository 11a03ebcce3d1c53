"""The domain: flow model, YAML loading, linting, conditions and templates.

Nothing in this package imports Textual or Rich.
"""
