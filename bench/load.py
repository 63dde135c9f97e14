"""Benchmark: pack loading — raw YAML parse vs full load + validation vs cached load.

Generates a synthetic pack (5,000 questions, 200 personas, many files) in a
temporary folder, then measures, interleaved in the same process:

* raw parse: ``yaml.load(..., Loader=yaml.CSafeLoader)`` of every file;
* cold load: ``load_pack`` with no cache (parse, schema, checks, hash);
* cached load: ``load_pack`` with a warm cache (read files, digest, decode msgpack).

Prints medians and the ratios against the raw parse. Targets (issue 2):
cold ≤ 1.3× raw parse; cached ≤ 0.1× raw parse.

Usage: ``python bench/load.py [--rounds N] [--questions N] [--personas N]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator.content.loader import find_pack_files, load_pack  # noqa: E402

PHRASES = [
    "Le délai de paiement maximal entre professionnels est de soixante jours à compter de la date d'émission de la facture.",
    "La pénalité de retard est exigible le jour suivant la date de règlement figurant sur la facture, sans rappel.",
    "L'indemnité forfaitaire pour frais de recouvrement s'élève à quarante euros par facture payée en retard.",
    "Une réclamation précise sur la qualité ne suspend pas le paiement de la partie non contestée.",
]


def _q(i: int) -> str:
    text = PHRASES[i % len(PHRASES)]
    kind = i % 4
    if kind == 0:
        return (
            f"  - type: single\n    id: q{i}\n    text: \"Question {i} : {text} Que faites-vous ?\"\n"
            f"    feedback: \"Rappel : {text}\"\n    source: \"C. com. L441-10, vérifié le 2026-11-23\"\n"
            "    choices:\n"
            f"      - {{text: \"Je relance dès l'échéance, avec une date précise ({i})\", correct: true}}\n"
            "      - {text: \"J'attends que le client rappelle de lui-même\"}\n"
            "      - {text: \"J'envoie une mise en demeure sans appel préalable\"}\n"
        )
    if kind == 1:
        return (
            f"  - type: truefalse\n    id: q{i}\n    text: \"{text}\"\n    answer: true\n"
            f"    feedback: \"Exact : énoncé {i}.\"\n"
        )
    if kind == 2:
        return (
            f"  - type: numeric\n    id: q{i}\n    text: \"Combien de jours dans un délai de {i % 90 + 1} jours ?\"\n"
            f"    answer: {i % 90 + 1}\n    tolerance: 0.5\n    unit: jours\n"
        )
    return (
        f"  - type: multiple\n    id: q{i}\n    text: \"{text} Cochez les bonnes réponses.\"\n"
        "    choices:\n"
        "      - {text: \"Montant, date calendaire et mode de paiement\", fraction: 0.5}\n"
        "      - {text: \"La personne qui lance le paiement\", fraction: 0.5}\n"
        "      - {text: \"Un « dès que possible » suffit\", fraction: -0.5}\n"
    )


def _persona(i: int) -> str:
    return (
        "kind: persona\n"
        f"id: persona-{i}\n"
        f"name: \"Hélène Durand-{i}\"\n"
        "civility: Madame\n"
        "role: comptable fournisseurs\n"
        f"type: {['bonne-foi', 'chronique', 'manipulateur', 'difficulte-tresorerie'][i % 4]}\n"
        f"difficulty: {i % 3 + 1}\n"
        "traits: {patience: 3, cooperation: 4, honesty: 4}\n"
        "lines:\n"
        "  answer: [\"Comptabilité fournisseurs, bonjour.\", \"Oui, j'écoute ?\"]\n"
        "  identity: [\"Oui, c'est bien moi.\", \"C'est moi, oui. Que puis-je pour vous ?\"]\n"
        "  explain: [\"Nous avons eu un souci d'organisation ce mois-ci, la facture est restée sur un bureau.\"]\n"
        "  acknowledge: [\"D'accord, je vous suis.\", \"Entendu.\"]\n"
        "  agree: [\"C'est noté : le virement part jeudi.\", \"Très bien, je lance le paiement vendredi.\"]\n"
        "  goodbye: [\"Bonne journée à vous.\", \"Au revoir, merci.\"]\n"
        "objections:\n"
        "  - objection: objection-1\n"
    )


def generate(folder: Path, questions: int, personas: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(
        "kind: pack\nid: bench\ntitle: Pack de mesure\nversion: 1.0.0\n"
        "modules:\n  - {id: module-1, title: Module de mesure}\n",
        encoding="utf-8",
    )
    (folder / "objections").mkdir()
    (folder / "objections" / "o1.yaml").write_text(
        "kind: objection\nid: objection-1\ntitle: Le chèque est parti\ncategory: paiement-annonce\n"
        "phrasings: [\"Le chèque est parti hier.\"]\n",
        encoding="utf-8",
    )
    (folder / "personas").mkdir()
    for i in range(personas):
        (folder / "personas" / f"p{i:04d}.yaml").write_text(_persona(i), encoding="utf-8")
    (folder / "quiz").mkdir()
    per_file = 50
    for start in range(0, questions, per_file):
        body = "".join(_q(i) for i in range(start, min(start + per_file, questions)))
        (folder / "quiz" / f"bank{start // per_file:04d}.yaml").write_text(
            f"kind: quiz\nid: bank-{start // per_file}\ntitle: Banque {start // per_file}\n"
            f"module: module-1\nquestions:\n{body}",
            encoding="utf-8",
        )


def raw_parse(files: list[Path]) -> int:
    count = 0
    for path in files:
        data = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        count += len(data)
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--personas", type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["RELANCE_HOME"] = str(Path(tmp) / "home")
        pack = Path(tmp) / "pack"
        generate(pack, args.questions, args.personas)
        files = find_pack_files(pack)
        size = sum(f.stat().st_size for f in files)
        first = load_pack(pack, use_cache=False)
        assert first.pack is not None, [p.format() for p in first.problems[:5]]
        load_pack(pack)  # warm the cache
        assert load_pack(pack).from_cache

        raw, cold, cached = [], [], []
        for _ in range(args.rounds):
            t = time.perf_counter()
            raw_parse(files)
            raw.append(time.perf_counter() - t)
            t = time.perf_counter()
            result = load_pack(pack, use_cache=False)
            cold.append(time.perf_counter() - t)
            assert result.pack is not None
            t = time.perf_counter()
            result = load_pack(pack)
            cached.append(time.perf_counter() - t)
            assert result.from_cache

    r, c, k = (statistics.median(x) for x in (raw, cold, cached))
    print(
        f"pack: {args.questions} questions, {args.personas} personas, {len(files)} files, "
        f"{size / 1048576:.2f} MiB; {args.rounds} rounds, medians"
    )
    print(f"raw CSafeLoader parse : {r * 1000:8.1f} ms   (baseline)")
    print(f"cold load + validation: {c * 1000:8.1f} ms   ratio {c / r:5.2f}x   target <= 1.30x")
    print(f"cached load           : {k * 1000:8.1f} ms   ratio {k / r:5.3f}x   target <= 0.10x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
