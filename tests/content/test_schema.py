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


def test_authoring_guide_is_current() -> None:
    from simulator.content.docgen import GUIDE, render_guide

    text = (ROOT / GUIDE).read_text(encoding="utf-8")
    assert render_guide(text, ROOT) == text, (
        "docs/authoring.md is stale: run `python -m simulator.content.docgen`"
    )


def test_authoring_guide_documents_every_field() -> None:
    import msgspec.inspect as mi

    from simulator.content.docgen import field_docs
    from simulator.model import DOCUMENT_TYPES

    text = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    seen: set[type] = set()

    def walk(t: object) -> None:
        while isinstance(t, mi.Metadata):
            t = t.type
        if isinstance(t, mi.StructType):
            if t.cls in seen:
                return
            seen.add(t.cls)
            docs = field_docs(t.cls)
            for f in t.fields:
                assert docs.get(f.name), f"{t.cls.__name__}.{f.name} has no docstring"
                assert f"| `{f.encode_name}` |" in text
                walk(f.type)
        elif isinstance(t, mi.VarTupleType | mi.ListType):
            walk(t.item_type)
        elif isinstance(t, mi.UnionType):
            for x in t.types:
                walk(x)

    for cls in DOCUMENT_TYPES:
        walk(mi.type_info(cls))
    assert len(seen) > 30
