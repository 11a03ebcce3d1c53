"""The JSON Schema for editors agrees with the loader.

Editors (through the YAML language server) read a flow as YAML 1.2, where
``2025-01-15`` is a string. This test reads flows with ``yaml.safe_load``
(YAML 1.1), so dates are turned back into the strings an editor sees.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from wizard.flow.loader import check_file

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "wizard" / "schema" / "flow.schema.json"
CORPUS = ROOT / "tests" / "corpus"
INDEX: dict[str, dict[str, Any]] = json.loads((CORPUS / "index.json").read_text(encoding="utf-8"))
SHIPPED = sorted((ROOT / "flows").glob("*.yaml"))
OWN = sorted((ROOT / "tests" / "data").glob("format-*.yaml"))  # this suite's own small flows
REJECTED_BY_BOTH = sorted(name for name, spec in INDEX.items() if spec.get("schema"))


def _as_an_editor_sees_it(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _as_an_editor_sees_it(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_an_editor_sees_it(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _schema_errors(validator: jsonschema.Draft202012Validator, path: Path) -> list[str]:
    data = _as_an_editor_sees_it(yaml.safe_load(path.read_bytes()))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def test_there_are_shipped_flows_to_check() -> None:
    if not SHIPPED:
        pytest.skip("flows/*.yaml not written yet")
    assert (ROOT / "flows" / "12315-complaint.yaml") in SHIPPED


@pytest.mark.parametrize("path", SHIPPED + OWN, ids=lambda p: p.name)
def test_every_valid_flow_validates_against_the_schema(validator: jsonschema.Draft202012Validator, path: Path) -> None:
    flow, diagnostics = check_file(path)
    assert flow is not None, [d.format() for d in diagnostics]
    assert _schema_errors(validator, path) == []


@pytest.mark.parametrize("name", REJECTED_BY_BOTH)
def test_schema_and_loader_both_reject(validator: jsonschema.Draft202012Validator, name: str) -> None:
    path = CORPUS / name
    flow, diagnostics = check_file(path)
    assert flow is None and any(d.is_error for d in diagnostics)
    assert _schema_errors(validator, path), f"the schema accepts {name}, which the loader refuses"


def test_the_agreement_set_is_large_enough() -> None:
    assert len(REJECTED_BY_BOTH) >= 20


def test_editor_hint_line_in_docs_points_at_the_schema() -> None:
    docs = (ROOT / "docs" / "flow-format.md").read_text(encoding="utf-8")
    assert "# yaml-language-server: $schema=../wizard/schema/flow.schema.json" in docs


def test_schema_knows_every_key_the_loader_allows(validator: jsonschema.Draft202012Validator) -> None:
    from wizard.flow import loader

    schema = validator.schema
    defs = schema["$defs"]

    def keys(node: dict[str, Any]) -> set[str]:
        if "properties" in node:
            return set(node["properties"])
        return set().union(*(keys(alt) for alt in node.get("anyOf", []) if isinstance(alt, dict)))

    assert keys(schema) == set(loader.TOP_KEYS)
    assert keys(defs["step"]) == set(loader.STEP_KEYS)
    assert keys(defs["field"]) == set(loader.FIELD_KEYS)
    assert keys(defs["option"]) == set(loader.OPTION_KEYS)
    assert keys(defs["note"]) == set(loader.NOTE_KEYS)
    assert keys(defs["item"]) == set(loader.ITEM_KEYS)
    assert keys(defs["check"]) == set(loader.CHECK_KEYS)
    assert keys(defs["compose"]) == set(loader.COMPOSE_KEYS)
    assert keys(defs["part"]) == set(loader.PART_KEYS)
    assert keys(defs["source"]) == set(loader.SOURCE_KEYS)


def _docs_example() -> str:
    docs = (ROOT / "docs" / "flow-format.md").read_text(encoding="utf-8")
    section = docs.split("## A complete small flow", 1)[1]
    return section.split("```yaml\n", 1)[1].split("```", 1)[0]


def test_the_complete_example_in_the_docs_is_valid(validator: jsonschema.Draft202012Validator, tmp_path: Path) -> None:
    path = tmp_path / "flows" / "example.yaml"
    path.parent.mkdir()
    path.write_text(_docs_example(), encoding="utf-8")
    flow, diagnostics = check_file(path)
    assert [d.format() for d in diagnostics] == []
    assert flow is not None and len(flow.steps) == 2
    assert _schema_errors(validator, path) == []


def test_the_condition_examples_in_the_schema_parse() -> None:
    from wizard.flow.conditions import parse_expression

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    examples = schema["$defs"]["condition"]["examples"]
    assert any(" after " in e and "+ 6 months" in e for e in examples), "date arithmetic is shown"
    for expr in examples:
        parse_expression(expr)
