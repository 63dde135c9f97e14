"""Figures of model answers and debtor lines match the case they are said in (issue 15, point 8)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from simulator.commands.audits import run_audits
from simulator.content.library import load_library

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A copy of the bundled call-practice pack, to edit."""
    target = tmp_path / "cases"
    shutil.copytree(ROOT / "cases", target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


MODEL_CODES = {"invoice-not-in-case", "invoice-amount-mismatch", "amount-not-in-case", "currency-mismatch"}


def _answers(library) -> list:
    return [p for p in run_audits(library, date(2026, 6, 30)) if p.code in MODEL_CODES]


def _problems(pack: Path) -> list:
    return _answers(load_library([pack], use_cache=False))


def test_the_bundled_model_answers_and_lines_match_their_cases():
    assert [p.format() for p in _answers(load_library(use_cache=False))] == []


def test_one_invoice_given_the_total_of_two_is_reported(pack):
    """The trainee's case: « F-2026-0318 … 18 000 € » when that invoice is 10 200 €."""
    _edit(
        pack / "methode" / "methode-9-etapes.yaml",
        '    model: "Je vous appelle concernant {invoices} : le règlement attendu depuis le {due} reste ouvert dans nos comptes."',
        '    model: "Je vous appelle au sujet de la facture {invoice} de {amount}, échue depuis le {due}."',
    )
    problems = [p for p in _problems(pack) if p.code == "invoice-amount-mismatch"]
    by_case = {p.message.split("`")[1]: p for p in problems}
    assert "garnier-promesse-non-tenue" in by_case
    garnier = by_case["garnier-promesse-non-tenue"]
    assert "de 18\u202f000\xa0€" in garnier.message and "fait 7\u202f800\xa0€" in garnier.message
    assert garnier.file.endswith("methode-9-etapes.yaml") and garnier.line > 0
    assert garnier.path == "steps[3].model" and garnier.severity == "warning"
    assert "{invoices}" in garnier.hint
    # Single-invoice cases read right with the same words.
    assert "leroy-premier-appel" not in by_case


def test_a_persona_line_pairing_an_invoice_with_the_wrong_amount(pack):
    _edit(
        pack / "personas" / "bruno-garnier.yaml",
        "    - Oui, j'ai vu votre courrier. On fait au mieux, croyez-moi.",
        "    - Oui, j'ai vu votre courrier pour la F-2026-0318 de 18 000 €. On fait au mieux.",
    )
    (problem,) = _problems(pack)
    assert problem.code == "invoice-amount-mismatch"
    assert problem.message.startswith("« F-2026-0318 de 18 000 € » : la facture F-2026-0318 fait 10\u202f200\xa0€")
    assert problem.path == "lines.explain[1]"


def test_unknown_invoice_and_amount_in_an_objection_raised_by_a_case(pack):
    _edit(
        pack / "objections" / "paiement-90-jours.yaml",
        "  l'intégrer à votre paiement fournisseurs du mardi 24 novembre, soit {amount}",
        "  l'intégrer à votre paiement fournisseurs du mardi 24 novembre (F-2026-0999), soit 10 200 €",
    )
    codes = sorted(p.code for p in _problems(pack))
    assert codes == ["amount-not-in-case", "invoice-not-in-case"]


def test_an_objection_no_case_raises_is_an_example_and_not_checked(pack):
    _edit(
        pack / "objections" / "paiement-partiel.yaml",
        "  Parfait pour l'acompte par virement aujourd'hui.",
        "  Parfait pour l'acompte de 3 000 € par virement aujourd'hui (F-2026-0001).",
    )
    assert _problems(pack) == []


def test_euros_in_a_case_in_dollars(pack):
    _edit(
        pack / "personas" / "genevieve-roy.yaml",
        "    - Oui, c'est moi. Je m'occupe des comptes à payer.",
        "    - Oui, c'est moi. Je m'occupe des comptes à payer ; j'ai 2 875 € à vous.",
    )
    (problem,) = _problems(pack)
    assert problem.code == "currency-mismatch" and "dollars" in problem.message


def test_amounts_of_the_case_file_and_of_the_persona_are_allowed(pack):
    # 5 000 € is the co-signature threshold of the persona's description; 40 € the indemnity;
    # 5 184 € the invoice; 4 320 € the HT amount written in the invoice description.
    _edit(
        pack / "personas" / "olivier-renaud.yaml",
        "    - Je vous écoute, j'ouvre votre compte.",
        "    - Je vois 5 184 € (4 320 € HT), plus 40 € ; au-delà de 5 000 €, il faut deux signatures.",
    )
    assert _problems(pack) == []


def test_one_warning_per_text_lists_the_cases(pack):
    _edit(
        pack / "methode" / "methode-9-etapes.yaml",
        '    model: "Bonjour, {caller}, service crédit clients de {creditor}."',
        '    model: "Bonjour, {caller}, service crédit clients de {creditor}, pour 99 €."',
    )
    problems = _problems(pack)
    # Euros: an unknown amount in every French case; in the Québec cases, the wrong currency.
    assert sorted(p.code for p in problems) == ["amount-not-in-case", "currency-mismatch"]
    for problem in problems:
        assert problem.path == "steps[0].model"
        assert "aussi dans" in problem.message
    assert "autre(s)" in next(p for p in problems if p.code == "amount-not-in-case").message
