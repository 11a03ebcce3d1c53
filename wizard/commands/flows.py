"""``wizard flows``: the shipped flows with id, title, step count and path."""

from __future__ import annotations

import argparse
import sys

from wizard.flow.loader import check_file
from wizard.shipped import flows_dir, shipped_flows
from wizard.text.safety import shown_path


def add_arguments(p: argparse.ArgumentParser) -> None:
    del p


def main(args: argparse.Namespace) -> int:
    del args
    status = 0
    flows = shipped_flows()
    if not flows:
        print(f"没有找到内置流程 / no shipped flows in {shown_path(flows_dir())}", file=sys.stderr)
        return 1
    for path in flows:
        flow, diagnostics = check_file(path)
        if flow is None:
            status = 1
            first = next((d.format() for d in diagnostics if d.is_error), "invalid")
            print(f"{path.stem}\t(无法加载 / cannot load: {first})\t-\t{shown_path(path)}")
            continue
        print(f"{flow.id}\t{flow.title.source}\t{len(flow.steps)} 步\t{shown_path(path)}")
    return status
