"""Where the shipped flows are: inside the installed package, or the repository's ``flows/``.

A FLOW argument is a path or a shipped flow's id. A bare id (no ``/``, no
``.yaml``) always means the shipped flow, even when the current folder holds
a file of that name: a file dropped into a folder never takes the place of an
official flow. :func:`shadow_notice` says which file runs whenever a local
file and a shipped flow could be confused (the same name, or the same ``id:``).
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_FLOW_ID = "12315-complaint"


def flows_dir() -> Path:
    package = Path(__file__).resolve().parent
    installed = package / "flows"
    if installed.is_dir():
        return installed
    return package.parent / "flows"


def shipped_flows() -> list[Path]:
    return sorted(p for p in flows_dir().glob("*.yaml") if p.is_file())


def default_flow() -> Path:
    return flows_dir() / f"{DEFAULT_FLOW_ID}.yaml"


def _bare_id(name: str) -> bool:
    """True for a FLOW argument written as an id, not as a path."""
    return bool(name) and "/" not in name and "\\" not in name and Path(name).suffix not in (".yaml", ".yml")


def shipped_path(flow_id: str) -> Path | None:
    """The shipped flow with this id, or None."""
    if not _bare_id(flow_id) or flow_id in (".", ".."):
        return None
    candidate = flows_dir() / f"{flow_id}.yaml"
    return candidate if candidate.is_file() else None


def resolve_flow(name: str | None) -> Path:
    """A shipped flow by id (``12315-report``), a path as given, or the default flow.

    An id of a shipped flow wins over a local file of the same name (``./12315-report`` runs that file).
    """
    if not name:
        return default_flow()
    if _bare_id(name):
        shipped = shipped_path(name)
        if shipped is not None:
            return shipped
    return Path(name)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):
        return False


def shadow_notice(name: str | None, path: Path, flow_id: str | None) -> str | None:
    """One sentence saying which file runs, when a local file and a shipped flow could be confused.

    - ``name`` is a shipped id and a local file of that name exists: the shipped flow runs;
    - the loaded flow (``flow_id``) has the id of a shipped flow but is another file: that file runs.
    """
    from wizard.text.safety import shown_path

    if name and _bare_id(name) and shipped_path(name) is not None and _same_file(path, shipped_path(name) or path):
        local = Path(name)
        if local.exists() or local.is_symlink():
            return (
                f"注意：当前文件夹中也有名为 {shown_path(name)} 的文件，运行的是内置流程 {shown_path(path)}；"
                f"要运行那个文件，请写 ./{shown_path(name)}。"
            )
        return None
    if flow_id:
        shipped = shipped_path(flow_id)
        if shipped is not None and not _same_file(path, shipped):
            return (
                f"注意：{shown_path(path)} 的流程编号“{shown_path(flow_id)}”与内置流程相同；"
                f"现在运行的是这个文件，不是内置流程（{shown_path(shipped)}）。"
            )
    return None
