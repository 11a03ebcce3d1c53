"""Where the shipped flows are: inside the installed package, or the repository's ``flows/``."""

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


def resolve_flow(name: str | None) -> Path:
    """A path as given, or a shipped flow by id (``12315-report``), or the default flow."""
    if not name:
        return default_flow()
    given = Path(name)
    if given.exists() or given.suffix in (".yaml", ".yml") or "/" in name:
        return given
    candidate = flows_dir() / f"{name}.yaml"
    return candidate if candidate.exists() else given
