"""Pack hash (canonical, independent of formatting) and the validated-pack cache."""

from __future__ import annotations

import shutil
from pathlib import Path

from simulator.content import loader
from simulator.content.loader import load_pack

FIXTURES = Path(__file__).parent / "fixtures"


def _copy(tmp_path: Path, name: str = "pack") -> Path:
    pack = tmp_path / name
    shutil.copytree(FIXTURES / "base", pack)
    return pack


def test_hash_ignores_formatting_key_order_and_file_names(tmp_path: Path) -> None:
    a = load_pack(_copy(tmp_path, "a"), use_cache=False).pack
    pack_b = _copy(tmp_path, "b")
    # Reformat one file: flow style to block style, reordered keys, comments, explicit default.
    (pack_b / "objection.yaml").unlink()
    (pack_b / "sub").mkdir()
    (pack_b / "sub" / "renamed.yaml").write_text(
        "# commentaire\n"
        "phrasings:\n  - 'Le chèque est parti hier.'\n"
        "title: \"Le chèque est parti\"\n"
        "weight: 20  # the default, written out\n"
        "category: paiement-annonce\nid: cheque-parti\nkind: objection\n"
        "criteria:\n  - patterns: [numero]\n    level: must\n    label: Numéro du chèque\n    id: numero\n    kind: pattern\n"
    )
    b = load_pack(pack_b, use_cache=False).pack
    assert a is not None and b is not None
    assert a.hash == b.hash
    assert a.hash.startswith("sha256:") and len(a.hash) == 7 + 64


def test_hash_changes_with_content(tmp_path: Path) -> None:
    a = load_pack(_copy(tmp_path, "a"), use_cache=False).pack
    pack_b = _copy(tmp_path, "b")
    path = pack_b / "objection.yaml"
    path.write_text(path.read_text().replace("hier", "avant-hier"))
    b = load_pack(pack_b, use_cache=False).pack
    assert a is not None and b is not None and a.hash != b.hash


def test_second_load_comes_from_cache_and_is_equal(tmp_path: Path) -> None:
    pack = _copy(tmp_path)
    first = load_pack(pack)
    second = load_pack(pack)
    assert not first.from_cache and second.from_cache
    assert first.pack == second.pack


def test_cache_is_invalidated_when_a_file_changes(tmp_path: Path) -> None:
    pack = _copy(tmp_path)
    load_pack(pack)
    path = pack / "persona.yaml"
    path.write_text(path.read_text().replace("Paul Test", "Paul Testé"))
    again = load_pack(pack)
    assert not again.from_cache
    assert again.pack is not None and again.pack.personas[0].name == "Paul Testé"


def test_cache_is_invalidated_when_a_file_is_added_or_becomes_bad(tmp_path: Path) -> None:
    pack = _copy(tmp_path)
    load_pack(pack)
    (pack / "extra.yaml").write_text("kind: persona\nid: extra\nname: [\n")
    again = load_pack(pack)
    assert not again.from_cache and again.pack is None
    assert [p.code for p in again.problems] == ["yaml-syntax"]


def test_corrupt_cache_is_silently_rebuilt(tmp_path: Path) -> None:
    pack = _copy(tmp_path)
    load_pack(pack)
    cache_file = loader._cache_file(pack)
    assert cache_file.exists()
    cache_file.write_bytes(b"\x93garbage\xff" * 10)
    again = load_pack(pack)
    assert again.pack is not None and not again.from_cache
    assert load_pack(pack).from_cache  # rewritten


def test_unwritable_cache_only_costs_speed(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("RELANCE_HOME", str(blocker))
    result = load_pack(_copy(tmp_path))
    assert result.pack is not None and result.problems == ()
