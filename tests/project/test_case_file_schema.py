"""The JSON Schema in the repository is the one the models generate, and it fits the files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from court_tui.domain.casefile import json_schema

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "data" / "case-file.schema.json"


def test_schema_file_is_in_step_with_the_models() -> None:
    assert json.loads(SCHEMA.read_text()) == json_schema(), (
        "data/case-file.schema.json is stale: run python scripts/write_schema.py"
    )


@pytest.mark.parametrize("path", sorted((ROOT / "data" / "demo").glob("*.json")), ids=str)
def test_demo_cases_match_the_schema(path: Path) -> None:
    jsonschema.validate(json.loads(path.read_text()), json_schema())


def test_schema_refuses_an_unknown_field() -> None:
    case = json.loads((ROOT / "data" / "demo" / "complete-crc.json").read_text())
    case["case"]["colour"] = "blue"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(case, json_schema())
