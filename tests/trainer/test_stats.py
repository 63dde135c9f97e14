"""`relance stats` over recorded calls, and the export of replies to label."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from simulator.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _replies(tmp_path: Path, golden: str) -> str:
    data = yaml.safe_load((ROOT / "cases" / "golden" / f"{golden}.yaml").read_text(encoding="utf-8"))
    path = tmp_path / f"{golden}.txt"
    path.write_text("\n".join(data["replies"]), encoding="utf-8")
    return str(path)


def test_stats_find_the_weak_step_and_export_replies_to_label(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats"]) == 0
    assert "aucun appel" in capsys.readouterr().out
    assert main(["trainee", "add", "--nom", "Durand", "--prenom", "Léa", "--use"]) == 0
    for golden in ("leroy-bon-parcours", "leroy-mauvais-parcours"):
        assert main(["call", "leroy-premier-appel", "--replies", _replies(tmp_path, golden), "--record"]) == 0
    capsys.readouterr()
    target = tmp_path / "a-etiqueter.yaml"
    assert main(["stats", "--json", "--export-unlabelled", str(target)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["calls"] == 2 and stats["outcomes"] == {"commitment": 1, "refusal": 1}
    (case,) = stats["cases"]
    assert case["key"] == "leroy-premier-appel" and 0 < case["failure_rate"] < 1
    worst = min(stats["steps"], key=lambda b: b["mean"])
    # The poor call fails some steps outright: the weakest one is failed more often than not.
    assert worst["key"].startswith("leroy-premier-appel/") and worst["failure_rate"] > 0.5
    assert worst["lowest"][0]["score"] < 40 and worst["faults"]
    exported = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert exported["kind"] == "replies"
    first = exported["items"][0]
    assert first["label"] == "" and first["case"] == "leroy-premier-appel" and first["reply"] and first["reasons"]
    assert main(["stats", "--case", "roy-mauvais-numero"]) == 0
    assert "aucun appel" in capsys.readouterr().out
    assert main(["stats", "--session", "NOPE"]) == 2
