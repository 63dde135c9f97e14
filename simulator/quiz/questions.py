"""Prepare (draw, shuffle, render) and grade one question of every type.

Grading follows Moodle's question engine (assessment.md §1.1) and returns a
:class:`Grade` whose ``fraction`` is in [0, 1]:

* **single** — the fraction is 1 for the correct choice, 0 otherwise;
* **multiple** — the sum of the ticked choices' fractions (negative fractions
  allowed), clamped to [0, 1]; ticking nothing gives 0;
* **truefalse** — 1 or 0;
* **numeric** — 1 when ``|réponse − attendu| ≤ tolérance`` (absolute), or
  ``≤ tolérance × |attendu|`` (relative); **boundaries are inclusive** and
  compared in Decimal, so a tolerance of 0.1 accepts exactly 0.1 away;
* **calculated** — as numeric, against the formula's value for the drawn
  variables; a response that equals the expected value **once both are
  rounded to the question's ``decimals``** is also accepted (that is the
  value the worked solution shows, so a trainee who types it is right even
  with a zero tolerance);
* **ordering** — partial credit: the fraction of items placed at their right
  *absolute* position (a list shifted by one place scores 0 on the shifted
  items — documented choice, simple to explain to a trainee);
* **matching** — the fraction of left items matched with their right item;
  a left item left unanswered counts as a wrong pair;
* **text** — correct when the normalised response (lower case, accents
  folded, punctuation dropped, spaces collapsed — :func:`fold_text`) reaches
  ``threshold`` with :func:`rapidfuzz.fuzz.ratio` against one accepted
  answer (also compared without a leading article, « le DSO » = « DSO »,
  and without spaces, « D.S.O. » = « DSO »).

As in Moodle, a fraction within 1e-6 of 1 (three choices at 0.3333333)
counts as 1, and within 1e-6 of 0 as 0.

**Input that cannot be read is never graded wrong**: an unparseable number,
a unit that is not the question's (``73 €`` for a question in jours), a
choice that does not exist, an ordering that is not a full permutation, an
empty text… give ``status="invalid"`` with a French ``message``; the caller
asks again.  Units: when the question declares a unit, the response may omit
it, but a different unit is refused; when the question declares none, a
typed unit is ignored.

Responses (what the engine accepts, from the app or from an answers file):

* single: the choice text, or its 1-based number *in the shown order*;
* multiple: a list of those (a string ``"1, 3"`` of numbers also works);
* truefalse: ``True``/``False`` or ``vrai``/``faux``/``v``/``f``/``oui``/``non``/``true``/``false``;
* numeric, calculated: a number or a text such as ``"1 234,56 €"``;
* ordering: the items (texts or shown numbers) in the chosen order;
* matching: a mapping left → right (texts, or shown numbers of the rights);
* text: a string.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from rapidfuzz import fuzz

from simulator.errors import ContentError
from simulator.model.quiz import (
    Calculated,
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    Question,
    ShortText,
    SingleChoice,
    TrueFalse,
)
from simulator.quiz.draw import draw_value, stable_shuffle, to_decimal
from simulator.quiz.formula import FormulaError, compile_formula
from simulator.quiz.numbers import NumberParseError, ParsedNumber, format_fr, parse_number
from simulator.quiz.render import Shown, natural_decimals, render
from simulator.scoring.normalize import normalize

__all__ = [
    "UNIT_LABELS",
    "Grade",
    "PreparedQuestion",
    "Status",
    "fold_text",
    "grade",
    "grade_number",
    "invalid",
    "prepare_question",
    "read_number",
]

Status = Literal["correct", "partial", "wrong", "invalid"]

EPSILON = 1e-6
"""Moodle's snap: a fraction within this of 0 or 1 is 0 or 1."""

UNIT_LABELS = {"EUR": "euros (€)", "$": "dollars ($)", "%": "pourcentage (%)", "jours": "jours"}
_UNIT_SYMBOLS = {"EUR": "€", "$": "$", "%": "%", "jours": "jours"}

_TRUE = {"vrai", "v", "oui", "o", "true", "t", "yes", "y"}
_FALSE = {"faux", "f", "non", "n", "false", "no"}
_NUMBER_LIST_RE = re.compile(r"^\s*\d+(\s*[,; ]\s*\d+)*\s*$")
_PUNCT_RE = re.compile(r"[?!.,;:]+")
_ARTICLE_RE = re.compile(r"^(?:le|la|les|l|un|une|des|du|de|d) ")


@dataclass(frozen=True, slots=True)
class Grade:
    """The grade of one response to one question.

    ``status`` is ``invalid`` when the response could not be read; then
    ``message`` (French) says why and ``code`` is a stable machine code
    (``number-unit``, ``unknown-choice``…) — the response must be asked again.
    ``feedback`` holds the choice feedbacks then the question's general one.
    """

    status: Status
    fraction: float = 0.0
    feedback: tuple[str, ...] = ()
    message: str = ""
    code: str = ""

    @property
    def valid(self) -> bool:
        return self.status != "invalid"

    @property
    def correct(self) -> bool:
        return self.status == "correct"


def invalid(code: str, message: str) -> Grade:
    """A response that cannot be graded; the trainee is asked again."""
    return Grade(status="invalid", code=code, message=message)


def _graded(fraction: float, feedback: Sequence[str] = ()) -> Grade:
    fraction = min(max(fraction, 0.0), 1.0)
    if fraction >= 1.0 - EPSILON:
        fraction, status = 1.0, "correct"
    elif fraction <= EPSILON:
        fraction, status = 0.0, "wrong"
    else:
        status = "partial"
    return Grade(status=status, fraction=fraction, feedback=tuple(f for f in feedback if f))  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class PreparedQuestion:
    """A question as one trainee sees it: rendered text, options in the shown order.

    ``options`` are the choices (single, multiple), the items (ordering) or the
    distinct right items (matching), in the order shown and numbered from 1;
    ``option_index`` maps each shown choice/item to its position in the
    author's list.  For a calculated question ``values`` are the drawn
    variables and ``expected`` the formula's unrounded value.
    """

    question: Question
    text: str
    options: tuple[str, ...] = ()
    option_index: tuple[int, ...] = ()
    values: tuple[tuple[str, Shown], ...] = ()
    expected: Decimal | None = None
    feedback: str = ""

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def kind(self) -> str:
        """The question type tag: ``single``, ``multiple``, ``numeric``…"""
        return _TAGS[type(self.question)]

    @property
    def points(self) -> float:
        return self.question.points

    def answer_text(self) -> str:
        """The expected answer, in French, for the correction."""
        return _answer_text(self)


_TAGS: dict[type, str] = {
    SingleChoice: "single",
    MultipleChoice: "multiple",
    TrueFalse: "truefalse",
    Numeric: "numeric",
    Calculated: "calculated",
    Ordering: "ordering",
    Matching: "matching",
    ShortText: "text",
}


# ---------------------------------------------------------------- preparing


def prepare_question(question: Question, seed: int, scope: str = "") -> PreparedQuestion:
    """Draw, shuffle and render ``question`` for ``seed`` (``scope``: usually the quiz id).

    Choices are shuffled when ``question.shuffle``; ordering items are always
    shown shuffled (and never in the right order when there are ≥ 2 items:
    the shuffle is rotated by one if it happens to be the answer); matching
    rights are shown shuffled.  Raises :class:`ContentError` when a
    calculated formula cannot be evaluated for the drawn values (content
    checks prevent it for validated packs).
    """
    salt = (scope, question.id)
    if isinstance(question, SingleChoice | MultipleChoice):
        order = list(range(len(question.choices)))
        if question.shuffle:
            order = stable_shuffle(order, seed, *salt, "choices")
        return PreparedQuestion(
            question=question,
            text=question.text.strip(),
            options=tuple(question.choices[i].text for i in order),
            option_index=tuple(order),
            feedback=question.feedback.strip(),
        )
    if isinstance(question, Ordering):
        order = stable_shuffle(list(range(len(question.items))), seed, *salt, "items")
        if order == sorted(order):
            order = order[1:] + order[:1]
        return PreparedQuestion(
            question=question,
            text=question.text.strip(),
            options=tuple(question.items[i] for i in order),
            option_index=tuple(order),
            feedback=question.feedback.strip(),
        )
    if isinstance(question, Matching):
        rights = list(dict.fromkeys(p.right for p in question.pairs))
        shown = stable_shuffle(rights, seed, *salt, "rights", keys=rights)
        return PreparedQuestion(
            question=question,
            text=question.text.strip(),
            options=tuple(shown),
            feedback=question.feedback.strip(),
        )
    if isinstance(question, Calculated):
        return _prepare_calculated(question, seed, salt)
    return PreparedQuestion(
        question=question, text=question.text.strip(), feedback=question.feedback.strip()
    )


def _prepare_calculated(question: Calculated, seed: int, salt: tuple[str, str]) -> PreparedQuestion:
    shown: dict[str, Shown] = {}
    for variable in question.variables:
        value = draw_value(variable, seed, *salt)
        shown[variable.name] = Shown(value, natural_decimals(value), variable.unit)
    try:
        formula = compile_formula(question.formula, shown)
        expected = formula.evaluate({name: s.value for name, s in shown.items()})
    except FormulaError as exc:
        raise ContentError(
            f"question `{question.id}` : formule non évaluable ({exc.message})",
            hint="lancez `relance validate` sur le pack",
        ) from None
    with_answer = {**shown, "reponse": Shown(expected, question.decimals, question.unit)}
    return PreparedQuestion(
        question=question,
        text=render(question.text, shown).strip(),
        values=tuple(shown.items()),
        expected=expected,
        feedback=render(question.feedback, with_answer).strip(),
    )


# ---------------------------------------------------------------- reading input


def fold_text(text: str) -> str:
    """Comparison form of a short text: :func:`normalize`, then punctuation dropped."""
    return " ".join(_PUNCT_RE.sub(" ", normalize(text)).split())


def _bare(folded: str) -> str:
    """Without a leading French article: « le DSO » and « DSO » compare equal."""
    return _ARTICLE_RE.sub("", folded) or folded


def _similarity(mine: str, theirs: str) -> float:
    """Best ratio of the folded forms, without a leading article, and without spaces."""
    return max(
        fuzz.ratio(mine, theirs),
        fuzz.ratio(_bare(mine), _bare(theirs)),
        fuzz.ratio(mine.replace(" ", ""), theirs.replace(" ", "")),
    )


def read_number(response: object) -> ParsedNumber | Grade:
    """A typed or YAML/JSON number as a :class:`ParsedNumber`, or an ``invalid`` grade.

    Numbers that arrive already typed (``73``, ``179.75`` from a JSON file) are
    taken as they are: the French ambiguity rules of :func:`parse_number` only
    apply to text (``"1.234"`` is 1 234, but the JSON number 1.234 is 1,234).
    """
    if isinstance(response, bool):
        return invalid("response-type", "Tapez un nombre, par exemple 1 234,56.")
    if isinstance(response, int | float | Decimal):
        value = to_decimal(response)
        if not value.is_finite():
            return invalid("number-invalid", "Tapez un nombre fini, par exemple 1 234,56.")
        return ParsedNumber(value=value, unit=None, raw=str(response))
    if isinstance(response, str):
        try:
            return parse_number(response)
        except NumberParseError as exc:
            return invalid(exc.code, exc.message)
    return invalid("response-type", "Tapez un seul nombre, par exemple 1 234,56.")


def _round(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def grade_number(
    response: object,
    expected: Decimal,
    *,
    tolerance: float,
    mode: Literal["absolute", "relative"] = "absolute",
    unit: str | None = None,
    decimals: int | None = None,
    feedback: Sequence[str] = (),
) -> Grade:
    """Grade a numeric response against ``expected`` (rules in the module docstring)."""
    parsed = read_number(response)
    if isinstance(parsed, Grade):
        return parsed
    if unit is not None and parsed.unit is not None and parsed.unit != unit:
        symbol = _UNIT_SYMBOLS[unit]
        return invalid(
            "number-unit",
            f"« {parsed.raw.strip()} » : la réponse s'exprime en {UNIT_LABELS[unit]}. "
            f"Retapez le nombre, avec « {symbol} » ou sans unité.",
        )
    allowed = to_decimal(tolerance)
    if mode == "relative":
        allowed *= abs(expected)
    ok = abs(parsed.value - expected) <= allowed
    if not ok and decimals is not None:
        ok = _round(parsed.value, decimals) == _round(expected, decimals)
    return _graded(1.0 if ok else 0.0, feedback)


def _token_index(token: object, options: Sequence[str], what: str) -> int | Grade:
    """Shown position (0-based) of ``token``: a 1-based number or the option's text."""
    n = len(options)
    if isinstance(token, str):
        folded = fold_text(token)
        for position, option in enumerate(options):
            if fold_text(option) == folded:
                return position
        if token.strip().isdigit():
            token = int(token.strip())
    if isinstance(token, int) and not isinstance(token, bool) and 1 <= token <= n:
        return token - 1
    shown = str(token).strip() if isinstance(token, str | int | float) else "cette réponse"
    return invalid(
        "unknown-choice",
        f"« {shown} » ne correspond à aucun {what} : tapez son numéro (1 à {n}) ou son texte.",
    )


def _token_list(response: object) -> list[object] | Grade:
    if isinstance(response, str) and _NUMBER_LIST_RE.match(response):
        return [int(t) for t in re.split(r"[,; ]+", response.strip())]
    if isinstance(response, list | tuple):
        return list(response)
    if isinstance(response, str | int) and not isinstance(response, bool):
        return [response]
    return invalid("response-type", "Donnez une liste de choix (numéros ou textes).")


# ---------------------------------------------------------------- grading


def grade(prepared: PreparedQuestion, response: object) -> Grade:
    """Grade ``response`` to ``prepared`` (see the module docstring for each type)."""
    return _GRADERS[type(prepared.question)](prepared, response)


def _grade_single(p: PreparedQuestion, response: object) -> Grade:
    q = p.question
    assert isinstance(q, SingleChoice)
    if isinstance(response, list | tuple):
        if len(response) != 1:
            return invalid("response-type", "Une seule réponse est attendue : tapez un numéro.")
        response = response[0]
    position = _token_index(response, p.options, "choix")
    if isinstance(position, Grade):
        return position
    choice = q.choices[p.option_index[position]]
    return _graded(1.0 if choice.correct else 0.0, (choice.feedback, p.feedback))


def _grade_multiple(p: PreparedQuestion, response: object) -> Grade:
    q = p.question
    assert isinstance(q, MultipleChoice)
    tokens = _token_list(response)
    if isinstance(tokens, Grade):
        return tokens
    ticked: list[int] = []
    for token in tokens:
        position = _token_index(token, p.options, "choix")
        if isinstance(position, Grade):
            return position
        if p.option_index[position] not in ticked:
            ticked.append(p.option_index[position])
    total = sum(q.choices[i].fraction for i in ticked)
    feedback = [q.choices[i].feedback for i in sorted(ticked)]
    return _graded(total, (*feedback, p.feedback))


def _grade_truefalse(p: PreparedQuestion, response: object) -> Grade:
    q = p.question
    assert isinstance(q, TrueFalse)
    if isinstance(response, bool):
        value = response
    elif isinstance(response, str) and fold_text(response) in _TRUE | _FALSE:
        value = fold_text(response) in _TRUE
    else:
        return invalid("response-type", "Répondez par « vrai » ou « faux ».")
    right = value == q.answer
    return _graded(1.0 if right else 0.0, (q.feedback_right if right else q.feedback_wrong, p.feedback))


def _grade_numeric(p: PreparedQuestion, response: object) -> Grade:
    q = p.question
    assert isinstance(q, Numeric)
    grade = grade_number(
        response, to_decimal(q.answer), tolerance=q.tolerance, mode=q.tolerance_mode, unit=q.unit
    )
    if grade.status == "invalid":
        return grade
    right = grade.status == "correct"
    return _graded(grade.fraction, (q.feedback_right if right else q.feedback_wrong, p.feedback))


def _grade_calculated(p: PreparedQuestion, response: object) -> Grade:
    q = p.question
    assert isinstance(q, Calculated) and p.expected is not None
    return grade_number(
        response,
        p.expected,
        tolerance=q.tolerance,
        mode=q.tolerance_mode,
        unit=q.unit,
        decimals=q.decimals,
        feedback=(p.feedback,),
    )


def _grade_ordering(p: PreparedQuestion, response: object) -> Grade:
    q = p.question
    assert isinstance(q, Ordering)
    tokens = _token_list(response)
    if isinstance(tokens, Grade):
        return tokens
    chosen: list[int] = []
    for token in tokens:
        position = _token_index(token, p.options, "élément")
        if isinstance(position, Grade):
            return position
        chosen.append(p.option_index[position])
    n = len(q.items)
    if sorted(chosen) != list(range(n)):
        return invalid(
            "ordering-incomplete",
            f"Classez les {n} éléments, chacun une seule fois (ex. : 3, 1, 2…).",
        )
    right = sum(1 for place, item in enumerate(chosen) if place == item)
    return _graded(right / n, (p.feedback,))


def _grade_matching(p: PreparedQuestion, response: object) -> Grade:
    q = p.question
    assert isinstance(q, Matching)
    if not isinstance(response, Mapping):
        return invalid("response-type", "Associez chaque élément de gauche à un élément de droite.")
    lefts = [pair.left for pair in q.pairs]
    given: dict[int, str] = {}
    for key, value in response.items():
        left = _token_index(
            key if not isinstance(key, bool) else str(key), lefts, "élément de gauche"
        )
        if isinstance(left, Grade):
            return left
        right = _token_index(value, p.options, "élément de droite")
        if isinstance(right, Grade):
            return right
        given[left] = p.options[right]
    right_pairs = sum(
        1
        for i, pair in enumerate(q.pairs)
        if i in given and fold_text(given[i]) == fold_text(pair.right)
    )
    return _graded(right_pairs / len(q.pairs), (p.feedback,))


def _grade_text(p: PreparedQuestion, response: object) -> Grade:
    q = p.question
    assert isinstance(q, ShortText)
    if not isinstance(response, str | int | float) or isinstance(response, bool):
        return invalid("response-type", "Tapez votre réponse en quelques mots.")
    folded = fold_text(str(response))
    if not folded:
        return invalid("text-empty", "Réponse vide : tapez votre réponse en quelques mots.")
    best = max(_similarity(folded, fold_text(answer)) for answer in q.answers)
    return _graded(1.0 if best >= q.threshold else 0.0, (p.feedback,))


_GRADERS = {
    SingleChoice: _grade_single,
    MultipleChoice: _grade_multiple,
    TrueFalse: _grade_truefalse,
    Numeric: _grade_numeric,
    Calculated: _grade_calculated,
    Ordering: _grade_ordering,
    Matching: _grade_matching,
    ShortText: _grade_text,
}


# ---------------------------------------------------------------- correction text


def _answer_text(p: PreparedQuestion) -> str:
    q = p.question
    if isinstance(q, SingleChoice):
        return (
            next(c.text for c in q.choices if c.correct)
            if any(c.correct for c in q.choices)
            else ""
        )
    if isinstance(q, MultipleChoice):
        return " ; ".join(c.text for c in q.choices if c.fraction > 0)
    if isinstance(q, TrueFalse):
        return "Vrai" if q.answer else "Faux"
    if isinstance(q, Numeric):
        value = to_decimal(q.answer)
        return format_fr(value, natural_decimals(value), q.unit)
    if isinstance(q, Calculated):
        assert p.expected is not None
        return format_fr(p.expected, q.decimals, q.unit)
    if isinstance(q, Ordering):
        return " → ".join(q.items)
    if isinstance(q, Matching):
        return " ; ".join(f"{pair.left} → {pair.right}" for pair in q.pairs)
    assert isinstance(q, ShortText)
    return q.answers[0]
