"""`wizard sessions`: not built yet."""

from __future__ import annotations

import argparse
import sys


def add_arguments(p: argparse.ArgumentParser) -> None:
    del p


def main(args: argparse.Namespace) -> int:
    del args
    print("wizard sessions: not available yet", file=sys.stderr)
    return 2
