"""The committed JSON Schema is current, and every bundled file validates against it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from simulator.commands.content import schema_text
from simulator.content.library import bundled_pack_dirs
from simulator.content.loader import find_pack_files

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "docs" / "pack-schema.json"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_committed_schema_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "docs/pack-schema.json is stale: run `relance schema -o docs/pack-schema.json`"
    )


BUNDLED_FILES = [f for d in bundled_pack_dirs() for f in find_pack_files(d)]


def test_there_are_bundled_files() -> None:
    assert len(BUNDLED_FILES) >= 10


@pytest.mark.parametrize("path", BUNDLED_FILES, ids=[str(p.relative_to(ROOT)) for p in BUNDLED_FILES])
def test_bundled_file_validates_against_schema(path: Path) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    data = _jsonable(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
    jsonschema.validate(data, schema)


def test_schema_rejects_an_unknown_key() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"kind": "persona", "id": "x", "name": "X", "type": "bonne-foi", "colour": 1}, schema)
