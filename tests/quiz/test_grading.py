"""Grading of every question type (simulator.quiz.questions), table-driven."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec
import pytest

from simulator.errors import ContentError
from simulator.model.quiz import Question
from simulator.quiz.questions import (
    Grade,
    PreparedQuestion,
    fold_text,
    grade,
    grade_number,
    prepare_question,
)


def make(**data: Any) -> Question:
    """A validated question from plain data, as a YAML file would give it."""
    data.setdefault("id", "q")
    data.setdefault("text", "Question ?")
    return msgspec.convert(data, Question)  # type: ignore[arg-type]


def unshuffled(question: Question) -> PreparedQuestion:
    return prepare_question(question, seed=0, scope="t")


# ---------------------------------------------------------------- multiple choice (Moodle)

MULTI = make(
    type="multiple",
    shuffle=False,
    choices=[
        {"text": "A", "fraction": 0.5, "feedback": "A oui"},
        {"text": "B", "fraction": 0.5},
        {"text": "C", "fraction": -1, "feedback": "C non"},
        {"text": "D", "fraction": -0.5},
        {"text": "E", "fraction": 0},
    ],
)

# (ticked, expected fraction, expected status) — grade = sum of fractions clamped to [0, 1]
MULTI_CASES = [
    ([], 0.0, "wrong"),
    (["A"], 0.5, "partial"),
    (["A", "B"], 1.0, "correct"),
    (["A", "B", "E"], 1.0, "correct"),
    (["A", "B", "D"], 0.5, "partial"),
    (["A", "D"], 0.0, "wrong"),
    (["A", "B", "C"], 0.0, "wrong"),
    (["C"], 0.0, "wrong"),  # -1 clamped to 0
    (["C", "D"], 0.0, "wrong"),
    (["A", "B", "C", "D", "E"], 0.0, "wrong"),  # ticking everything is not rewarded
    (["A", "A", "B"], 1.0, "correct"),  # a choice ticked twice counts once
    ([1, 2], 1.0, "correct"),  # shown numbers
    ("1, 2", 1.0, "correct"),  # a typed list of numbers
    ("1 2", 1.0, "correct"),
    ("a", 0.5, "partial"),  # texts are matched case- and accent-insensitively
    ("A", 0.5, "partial"),  # a single text
]


@pytest.mark.parametrize(("ticked", "fraction", "status"), MULTI_CASES)
def test_multiple_choice_moodle_semantics(ticked: Any, fraction: float, status: str) -> None:
    result = grade(unshuffled(MULTI), ticked)
    assert result.status == status
    assert result.fraction == pytest.approx(fraction)


def test_multiple_thirds_count_as_full_marks() -> None:
    q = make(
        type="multiple",
        choices=[{"text": t, "fraction": 0.3333333} for t in "ABC"]
        + [{"text": "D", "fraction": -1}],
    )
    p = unshuffled(q)
    result = grade(p, ["A", "B", "C"])
    assert result.status == "correct" and result.fraction == 1.0


def test_multiple_feedback_of_ticked_choices_then_general() -> None:
    q = make(type="multiple", shuffle=False, feedback="Général", choices=MULTI.choices)  # type: ignore[attr-defined]
    result = grade(unshuffled(q), ["C", "A"])
    assert result.feedback == ("A oui", "C non", "Général")


@pytest.mark.parametrize("bad", [["Z"], [9], [0], "9", {"A": 1}, 3.5, None])
def test_multiple_unknown_choice_is_invalid_not_wrong(bad: Any) -> None:
    result = grade(unshuffled(MULTI), bad)
    assert result.status == "invalid" and not result.valid
    assert result.message


# ---------------------------------------------------------------- single choice

SINGLE = make(
    type="single",
    shuffle=False,
    feedback="Délai supplétif.",
    choices=[
        {"text": "30 jours", "correct": True, "feedback": "Oui."},
        {"text": "60 jours", "feedback": "Non, c'est le maximum convenu."},
        {"text": "90 jours"},
    ],
)


@pytest.mark.parametrize(
    ("response", "status", "feedback"),
    [
        ("30 jours", "correct", ("Oui.", "Délai supplétif.")),
        ("  30 JOURS ", "correct", ("Oui.", "Délai supplétif.")),
        (1, "correct", ("Oui.", "Délai supplétif.")),
        ("1", "correct", ("Oui.", "Délai supplétif.")),
        (["1"], "correct", ("Oui.", "Délai supplétif.")),
        (2, "wrong", ("Non, c'est le maximum convenu.", "Délai supplétif.")),
        ("90 jours", "wrong", ("Délai supplétif.",)),
    ],
)
def test_single_choice(response: Any, status: str, feedback: tuple[str, ...]) -> None:
    result = grade(unshuffled(SINGLE), response)
    assert result.status == status
    assert result.feedback == feedback


@pytest.mark.parametrize("bad", ["45 jours", 0, 4, -1, True, ["1", "2"], None, 1.5])
def test_single_choice_unknown_is_invalid(bad: Any) -> None:
    result = grade(unshuffled(SINGLE), bad)
    assert result.status == "invalid"


def test_single_choice_numbers_follow_the_shown_order() -> None:
    q = make(type="single", choices=SINGLE.choices)  # type: ignore[attr-defined]
    for seed in range(10):
        p = prepare_question(q, seed, "t")
        right = p.options.index("30 jours") + 1
        assert grade(p, right).correct
        assert not grade(p, (right % 3) + 1).correct


# ---------------------------------------------------------------- true / false

TF = make(type="truefalse", answer=True, feedback="40 € par facture.")


@pytest.mark.parametrize(
    ("response", "status"),
    [
        (True, "correct"),
        (False, "wrong"),
        ("vrai", "correct"),
        ("VRAI", "correct"),
        ("v", "correct"),
        ("oui", "correct"),
        ("true", "correct"),
        ("faux", "wrong"),
        ("Faux.", "wrong"),
        ("non", "wrong"),
        ("false", "wrong"),
        ("peut-être", "invalid"),
        ("", "invalid"),
        (1, "invalid"),
        (None, "invalid"),
    ],
)
def test_true_false(response: Any, status: str) -> None:
    assert grade(unshuffled(TF), response).status == status


# ---------------------------------------------------------------- numeric: tolerance boundaries

# (answer, tolerance, mode, response, expected status)
TOLERANCE_CASES = [
    (73, 0.5, "absolute", "73", "correct"),
    (73, 0.5, "absolute", "72,5", "correct"),  # lower bound inclusive
    (73, 0.5, "absolute", "73,5", "correct"),  # upper bound inclusive
    (73, 0.5, "absolute", "72,49", "wrong"),
    (73, 0.5, "absolute", "73,51", "wrong"),
    (0.3, 0.1, "absolute", "0,4", "correct"),  # exact in Decimal (0.3 + 0.1 is 0.4)
    (0.3, 0.1, "absolute", "0,2", "correct"),
    (0.3, 0.1, "absolute", "0,4000001", "wrong"),
    (179.75, 0, "absolute", "179,75", "correct"),
    (179.75, 0, "absolute", "179,76", "wrong"),
    (200, 0.01, "relative", "202", "correct"),  # 1 % of 200 = 2, inclusive
    (200, 0.01, "relative", "198", "correct"),
    (200, 0.01, "relative", "202,01", "wrong"),
    (200, 0.01, "relative", "197,99", "wrong"),
    (-50, 0.1, "relative", "-55", "correct"),  # relative to |answer|
    (-50, 0.1, "relative", "-45", "correct"),
    (-50, 0.1, "relative", "-44,9", "wrong"),
    (0, 0.5, "relative", "0", "correct"),  # relative on 0: only 0
    (0, 0.5, "relative", "0,1", "wrong"),
    (1234.56, 0, "absolute", "1 234,56", "correct"),
    (1234.56, 0, "absolute", "1\u202f234,56", "correct"),
    (1234.56, 0, "absolute", "1234.56", "correct"),
    (1234.56, 0, "absolute", 1234.56, "correct"),  # a JSON number
    (1234, 0, "absolute", "1.234", "correct"),  # documented rule: dot + 3 digits = thousands
    (1.234, 0, "absolute", 1.234, "correct"),  # ...but a typed number stays a number
]


@pytest.mark.parametrize(("answer", "tolerance", "mode", "response", "status"), TOLERANCE_CASES)
def test_numeric_tolerance_boundaries(
    answer: float, tolerance: float, mode: str, response: Any, status: str
) -> None:
    q = make(type="numeric", answer=answer, tolerance=tolerance, tolerance_mode=mode)
    assert grade(unshuffled(q), response).status == status


DSO = make(type="numeric", answer=73, tolerance=0.5, unit="jours", feedback="DSO = 73 jours")


@pytest.mark.parametrize(
    ("response", "status"),
    [
        ("73", "correct"),
        ("73 jours", "correct"),
        ("73 j", "correct"),
        ("73jours", "correct"),
        ("72,6 jours", "correct"),
        ("80 jours", "wrong"),
        ("73 €", "invalid"),  # wrong unit: told and asked again, never wrong
        ("73 %", "invalid"),
        ("€73", "invalid"),
        ("soixante-treize", "invalid"),
        ("", "invalid"),
        ("12 34", "invalid"),
        ("73,", "invalid"),
        (True, "invalid"),
        ([73], "invalid"),
        (float("nan"), "invalid"),
    ],
)
def test_numeric_units_and_unreadable_input(response: Any, status: str) -> None:
    assert grade(unshuffled(DSO), response).status == status


def test_wrong_unit_message_is_french_and_names_the_unit() -> None:
    result = grade(unshuffled(DSO), "73 €")
    assert result.code == "number-unit"
    assert "jours" in result.message and "73 €" in result.message
    assert result.fraction == 0.0


def test_unparseable_number_carries_the_parser_message() -> None:
    result = grade(unshuffled(DSO), "abc")
    assert result.status == "invalid" and result.code == "number-invalid"
    assert "n'est pas un nombre" in result.message


def test_question_without_unit_ignores_a_typed_unit() -> None:
    q = make(type="numeric", answer=20, tolerance=0)
    assert grade(unshuffled(q), "20 %").correct


def test_grade_number_rounded_to_decimals_is_accepted() -> None:
    expected = Decimal("179.7534246575342465753424658")
    assert grade_number("179,75", expected, tolerance=0, decimals=2).correct
    assert grade_number("179,753", expected, tolerance=0, decimals=2).correct
    assert not grade_number("179,8", expected, tolerance=0, decimals=2).correct
    assert not grade_number("179,75", expected, tolerance=0).correct  # no decimals: exact only


# ---------------------------------------------------------------- calculated

PENALTIES = make(
    type="calculated",
    id="penalites",
    text="Facture de {montant}, {jours} de retard au taux de {taux} : pénalités ?",
    variables=[
        {"name": "montant", "values": [12000], "unit": "EUR"},
        {"name": "jours", "values": [45], "unit": "jours"},
        {"name": "taux", "values": [12.15], "unit": "%"},
    ],
    formula="montant * taux / 100 * jours / 365",
    tolerance=0.01,
    unit="EUR",
    decimals=2,
    feedback="Pénalités : {reponse} (+ 40 € d'indemnité)",
)


def test_calculated_renders_values_and_grades_by_formula() -> None:
    p = unshuffled(PENALTIES)
    assert p.text == (
        "Facture de 12\u202f000\u00a0€, 45\u00a0jours de retard "
        "au taux de 12,15\u00a0% : pénalités ?"
    )
    assert p.expected is not None and round(p.expected, 2) == Decimal("179.75")
    assert p.answer_text() == "179,75\u00a0€"
    assert p.feedback == "Pénalités : 179,75\u00a0€ (+ 40 € d'indemnité)"
    assert grade(p, "179,75 €").correct
    assert grade(p, "179,76").correct  # within 0.01
    assert not grade(p, "180").correct
    assert grade(p, "179,75 jours").status == "invalid"


def test_calculated_draws_change_with_the_seed() -> None:
    q = make(
        type="calculated",
        text="{a} + {b} ?",
        variables=[
            {"name": "a", "min": 1, "max": 100, "step": 1},
            {"name": "b", "min": 0.5, "max": 2, "step": 0.1},
        ],
        formula="a + b",
        decimals=1,
    )
    seen = set()
    for seed in range(20):
        p = prepare_question(q, seed, "t")
        values = {k: s.value for k, s in p.values}
        assert 1 <= values["a"] <= 100 and Decimal("0.5") <= values["b"] <= 2
        assert p.expected == values["a"] + values["b"]
        assert grade(p, str(p.expected).replace(".", ",")).correct
        seen.add(p.text)
        assert prepare_question(q, seed, "t") == p
    assert len(seen) > 10


def test_calculated_runtime_failure_is_a_content_error() -> None:
    q = make(
        type="calculated", text="{a}", variables=[{"name": "a", "values": [0]}], formula="1 / a"
    )
    with pytest.raises(ContentError, match="division par zéro"):
        unshuffled(q)


# ---------------------------------------------------------- ordering (absolute position credit)

STEPS = ["Présentation", "Identification", "Rappel des faits", "Écoute", "Engagement"]
ORDER = make(type="ordering", items=STEPS)


@pytest.mark.parametrize(
    ("response", "fraction", "status"),
    [
        (STEPS, 1.0, "correct"),
        (
            ["présentation", "identification", "rappel des faits", "ecoute", "engagement"],
            1.0,
            "correct",
        ),
        ([STEPS[1], STEPS[0], *STEPS[2:]], 0.6, "partial"),  # two swapped: 3/5 in place
        (STEPS[::-1], 0.2, "partial"),  # reversed: only the middle one
        (STEPS[1:] + STEPS[:1], 0.0, "wrong"),  # shifted by one: nothing in its absolute place
    ],
)
def test_ordering_partial_credit_by_absolute_position(
    response: list[str], fraction: float, status: str
) -> None:
    result = grade(unshuffled(ORDER), response)
    assert result.status == status
    assert result.fraction == pytest.approx(fraction)


def test_ordering_by_shown_numbers_and_never_shown_in_order() -> None:
    for seed in range(20):
        p = prepare_question(ORDER, seed, "t")
        assert list(p.options) != STEPS
        numbers = [p.options.index(item) + 1 for item in STEPS]
        assert grade(p, numbers).correct
        assert grade(p, ", ".join(map(str, numbers))).correct


@pytest.mark.parametrize(
    "bad", [STEPS[:4], [*STEPS, STEPS[0]], [STEPS[0]] * 5, ["Inconnu", *STEPS[1:]], "x", None]
)
def test_ordering_must_be_a_full_permutation(bad: Any) -> None:
    assert grade(unshuffled(ORDER), bad).status == "invalid"


# ---------------------------------------------------------------- matching

MATCH = make(
    type="matching",
    pairs=[
        {"left": "Facture non reçue", "right": "Renvoyer la facture"},
        {"left": "Difficultés de trésorerie", "right": "Proposer un échéancier"},
        {"left": "Chèque parti", "right": "Demander date et numéro"},
        {"left": "Litige qualité", "right": "Proposer un échéancier"},
    ],
)


@pytest.mark.parametrize(
    ("response", "fraction"),
    [
        ({p.left: p.right for p in MATCH.pairs}, 1.0),  # type: ignore[attr-defined]
        ({"facture non recue": "renvoyer la facture"}, 0.25),  # missing lefts count wrong
        (
            {
                "Facture non reçue": "Proposer un échéancier",
                "Chèque parti": "Demander date et numéro",
            },
            0.25,
        ),
        ({}, 0.0),
    ],
)
def test_matching_fraction_of_correct_pairs(response: dict[str, str], fraction: float) -> None:
    assert grade(unshuffled(MATCH), response).fraction == pytest.approx(fraction)


def test_matching_by_numbers_and_distinct_rights() -> None:
    p = unshuffled(MATCH)
    assert len(p.options) == 3  # "Proposer un échéancier" shown once
    response = {i + 1: p.options.index(pair.right) + 1 for i, pair in enumerate(MATCH.pairs)}  # type: ignore[attr-defined]
    assert grade(p, response).correct
    assert grade(p, {str(k): str(v) for k, v in response.items()}).correct


@pytest.mark.parametrize(
    "bad", [{"Inconnu": "Renvoyer la facture"}, {"Chèque parti": "Rien"}, {"1": 9}, ["a"], "x"]
)
def test_matching_unknown_items_are_invalid(bad: Any) -> None:
    assert grade(unshuffled(MATCH), bad).status == "invalid"


# ---------------------------------------------------------------- short text

TEXT = make(type="text", answers=["DSO", "délai moyen de recouvrement"], threshold=85)


@pytest.mark.parametrize(
    ("response", "status"),
    [
        ("DSO", "correct"),
        ("dso", "correct"),
        ("D.S.O.", "correct"),  # punctuation dropped, spaces ignored
        ("le DSO", "correct"),  # leading article ignored
        ("Délai moyen de recouvrement", "correct"),
        ("delai moyen de recouvrement !", "correct"),
        ("délai moyen de recouvremant", "correct"),  # one typo
        ("délai   moyen\u00a0de recouvrement", "correct"),
        ("chiffre d'affaires", "wrong"),
        ("BFR", "wrong"),
        ("", "invalid"),
        ("  ?! ", "invalid"),
        (None, "invalid"),
    ],
)
def test_short_text_fuzzy(response: Any, status: str) -> None:
    assert grade(unshuffled(TEXT), response).status == status


def test_fold_text() -> None:
    assert fold_text("  L’Échéance, c’est : 45 jours !  ") == "l echeance c est 45 jours"


def test_grade_is_a_plain_value() -> None:
    result = grade(unshuffled(TF), "vrai")
    assert result == Grade(status="correct", fraction=1.0, feedback=("40 € par facture.",))
