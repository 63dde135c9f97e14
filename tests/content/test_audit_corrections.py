"""The corrections of the expert audit (issue 15) hold in the bundled content."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal
from pathlib import Path

import pytest

from simulator.content.library import load_library
from simulator.quiz.case_study import grade_case_question, start_case_study
from simulator.quiz.draw import variable_values
from simulator.quiz.numbers import format_fr

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def library():
    return load_library(use_cache=False)


def _question(library, quiz_id: str, question_id: str):
    return next(q for q in library.quiz(quiz_id).questions if q.id == question_id)


def test_credit_limit_accepts_the_months_rounded_as_the_solution_shows_them(library):
    """Point 3: besoin = TTC × duration in months rounded to 0,01, over every draw."""
    study = library.case_study("limite-credit-besoin-capacite")
    variables = {v.name: list(variable_values(v)) for v in study.variables}
    checked = 0
    for ca_ht, delai, reaction in itertools.product(variables["ca_ht"], variables["delai"], variables["reaction"]):
        sheet = start_case_study(study, 0, values={"ca_ht": ca_ht, "delai": delai, "reaction": reaction})
        months = ((delai + reaction) / 30).quantize(Decimal("0.01"))
        assert format_fr(months, 2) in " ".join(sheet.question("besoin").solution)
        answer = (ca_ht * Decimal("1.2") * months).quantize(Decimal(1))
        assert grade_case_question(sheet, "besoin", str(answer)).correct, (ca_ht, delai, reaction, answer)
        # A wrong method (the HT amount) is still refused.
        wrong = (ca_ht * months).quantize(Decimal(1))
        assert not grade_case_question(sheet, "besoin", str(wrong)).correct
        checked += 1
    assert checked == 7 * 3 * 3


def test_vat_note_allows_recovery_from_the_liquidation_judgment(library):
    """Point 5: VAT recovered from the judgment, with a facture rectificative."""
    study = library.case_study("ca-compensatoire-impaye")
    question = next(q for q in study.questions if q.id == "perte-reelle-ht")
    text = " ".join(question.feedback.split())
    assert "dès le jugement qui prononce la liquidation" in text
    assert "CGI art. 272-1" in text and "CE 28 juillet 2011" in text
    assert "facture rectificative" in text
    assert "certificat du mandataire, clôture pour insuffisance d'actif" not in text


def test_revendication_choice_has_one_reading(library):
    """Point 6: only transformed goods that cannot be separated are excluded (L624-16 al. 3)."""
    question = _question(library, "prevention-garanties", "conditions-revendication")
    wrong = [c for c in question.choices if c.fraction < 0 and "transform" in c.text]
    assert len(wrong) == 1
    assert "ne peut plus les séparer" in wrong[0].text
    assert "incorporés" in " ".join(question.feedback.split()) and "L624-18" in wrong[0].feedback


def test_doubtful_debt_rate_divides_by_all_client_debts(library):
    """Point 6: transferred debts leave 411, so the rate is 416 / (411 + 416)."""
    question = _question(library, "balance-agee", "indicateurs-definitions")
    pair = next(p for p in question.pairs if p.left == "Taux de créances douteuses")
    assert pair.right == "Solde du compte 416 / (solde du compte 411 + solde du compte 416)"


def test_dso_scope_is_presented_as_a_convention(library):
    question = _question(library, "dso", "perimetre-creances")
    assert "convention" in question.text and "la plus courante" not in question.text
    assert "convention" in question.feedback


def test_mise_en_demeure_words_are_good_practice_not_a_legal_requirement(library):
    question = _question(library, "contentieux-france", "mentions-mise-en-demeure")
    assert "doit-elle contenir" not in question.text
    feedback = " ".join(question.feedback.split())
    assert "C. civ. art. 1344" in feedback and "bonne pratique" in feedback


ANGLICISM = re.compile(r"comptes? payables|\brecevables\b", re.IGNORECASE)


def test_quebec_files_use_oqlf_terms():
    """Point 7: « comptes payables », « recevables » only quoted as what to avoid."""
    offenders = []
    # The scorer's corpora (cases/corpus/) are replies as people typed them, anglicisms
    # included: data to learn from, never shown as content.
    shown = [p for p in sorted((ROOT / "cases").rglob("*.yaml")) if "corpus" not in p.relative_to(ROOT).parts]
    for path in shown + sorted((ROOT / "quizzes").rglob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in ANGLICISM.finditer(line):
                quoted = line[max(0, match.start() - 2) : match.start()].endswith("« ")
                if not quoted:
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_penalty_feedback_names_its_semester(library):
    """Point 1: the feedback of dso and relance-differenciee says which half-year 12,15 % is."""
    for quiz_id, question_id in (("dso", "penalites-taux-retenu"), ("relance-differenciee", "sanction-penalites")):
        feedback = " ".join(_question(library, quiz_id, question_id).feedback.split())
        assert "12,15 %" in feedback
        assert "1er semestre 2026" in feedback
