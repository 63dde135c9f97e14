"""Audits of quiz banks and case studies run by ``relance validate`` (warnings).

These are not validity checks (the pack loads and works without them): they
point at content that grades or teaches something wrong although every file
is well-formed.  They run at each ``relance validate``, never when a pack is
loaded by the app, and never make a pack invalid.

* **wrong methods accepted** (``wrong-method-accepted``): a calculated quiz
  question or a case-study question whose tolerance accepts a common wrong
  method on some draws (see :mod:`simulator.quiz.wrong_methods`); one warning
  per question and method, with the share of draws and an example;
* **rates without their half-year** (``rate-without-semester``,
  ``rate-semester-mismatch``): a French reference rate of the table
  (:mod:`simulator.quiz.rates`: ECB rate, default penalty rate, legal interest
  rate, contractual floor), written ``12,15 %`` or drawn into a ``{taux}``
  placeholder, must be cited with the half-year it belongs to (« S1 2026 »,
  « 1er semestre 2026 », « au 1er janvier 2026 ») in the same text — the
  same feedback, the same solution, the same table; the choices of a question
  may lean on the question's text.  A half-year named with a rate that is
  not its rate is reported too;
* **rate table out of date** (``rates-outdated``): today — a date given by the
  caller — is after the last confirmed half-year of the table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from simulator.model.checks import Located
from simulator.model import Pack
from simulator.model.case_study import CaseStudy
from simulator.model.quiz import Calculated, Variable
from simulator.quiz.draw import to_decimal, value_count, variable_values
from simulator.quiz.numbers import format_fr
from simulator.quiz.rates import RateTable
from simulator.quiz.render import braces, natural_decimals
from simulator.quiz.wrong_methods import Finding, scan_calculated, scan_study

__all__ = ["cites_rates", "outdated_message", "quiz_audits", "rate_mentions", "wrong_method_findings"]

PathT = tuple[str | int, ...]


# ---------------------------------------------------------------- wrong methods


def _number(value: Decimal) -> str:
    return format_fr(value, min(natural_decimals(value), 4))


def _message(finding: Finding, tolerance: float, mode: str, decimals: int) -> tuple[str, str]:
    share = format_fr(Decimal(finding.share * 100), 1)
    draws = format_fr(Decimal(finding.draws), 0)
    where = f"{draws} tirages" if finding.exhaustive else f"{draws} tirages examinés (échantillon)"
    example = ", ".join(f"{name} = {_number(value)}" for name, value in finding.example)
    # Two more decimals than the question shows: the two results must be told apart.
    shown = format_fr(finding.expected, min(natural_decimals(finding.expected), decimals + 2))
    wrong = format_fr(finding.wrong, min(natural_decimals(finding.wrong), decimals + 2))
    allowed = f"{format_fr(Decimal(str(tolerance * 100)), 2)} % relatif" if mode == "relative" else _number(to_decimal(tolerance))
    message = (
        f"la méthode fausse « {finding.method.label} » est acceptée sur "
        f"{format_fr(Decimal(finding.passes), 0)} des {where} ({share} %) : ex. {example} → attendu {shown}, "
        f"méthode fausse {wrong} (tolérance {allowed})"
    )
    hint = (
        "resserrez la tolérance sous l'écart entre les deux méthodes (ou passez en "
        "`tolerance_mode: relative`), ou changez les valeurs des variables qui les rapprochent"
    )
    return message, hint


def wrong_method_findings(pack: Pack) -> Iterator[Located]:
    """One warning per question and wrong method that its tolerance accepts."""
    for quiz in pack.quizzes:
        for index, question in enumerate(quiz.questions):
            if not isinstance(question, Calculated):
                continue
            for finding in scan_calculated(question, index, f"{quiz.id}:{question.id}"):
                message, hint = _message(finding, question.tolerance, question.tolerance_mode, question.decimals)
                yield Located(quiz.id, ("questions", index, "tolerance"), "wrong-method-accepted", message, hint, "warning")
    for study in pack.case_studies:
        for finding in scan_study(study):
            q = study.questions[finding.question]
            message, hint = _message(finding, q.tolerance, q.tolerance_mode, q.decimals)
            yield Located(
                study.id, ("questions", finding.question, "tolerance"), "wrong-method-accepted", message, hint, "warning"
            )


# ---------------------------------------------------------------- rates and half-years

_RATE = re.compile(r"(?<![\d,.])(\d{1,2},\d{2})\s?%")
_MONTHS = {"janvier": 1, "juillet": 2}
_SEMESTER = re.compile(
    r"\bS\s?([12])\s?(20\d\d)\b"
    r"|\b(1er|1re|premier|2nd|2e|2ème|second|deuxième)\s+semestre\s+(?:de\s+l'année\s+|de\s+)?(20\d\d)\b"
    r"|\b1er\s+(janvier|juillet)\s+(20\d\d)\b",
    re.IGNORECASE,
)
_FIRST = {"1er", "1re", "premier"}


def _semesters(text: str) -> list[tuple[int, int]]:
    """(year, half) of every half-year named in ``text``."""
    found = []
    for m in _SEMESTER.finditer(text):
        if m.group(1):
            found.append((int(m.group(2)), int(m.group(1))))
        elif m.group(3):
            found.append((int(m.group(4)), 1 if m.group(3).lower() in _FIRST else 2))
        else:
            found.append((int(m.group(6)), _MONTHS[m.group(5).lower()]))
    return found


@dataclass(frozen=True, slots=True)
class _Rates:
    """The table's rates by value, and the half-years they belong to."""

    by_value: dict[Decimal, frozenset[tuple[int, int]]]
    known: frozenset[tuple[int, int]]
    labels: dict[tuple[int, int], str]

    @classmethod
    def of(cls, table: RateTable) -> _Rates:
        by_value: dict[Decimal, set[tuple[int, int]]] = {}
        labels = {}
        for period in table.periods:
            half = (period.valid_from.year, 1 if period.valid_from.month <= 6 else 2)
            labels[half] = period.label
            for value in (
                period.ecb_refi_percent,
                period.default_penalty_percent,
                period.legal_rate_professionals_percent,
                period.minimum_contract_percent,
                period.legal_rate_individuals_percent,
            ):
                by_value.setdefault(value.normalize(), set()).add(half)
        return cls({k: frozenset(v) for k, v in by_value.items()}, frozenset(labels), labels)


def _rate_values(text: str, rates: _Rates, percent_names: dict[str, frozenset[Decimal]]) -> list[Decimal]:
    found = []
    for m in _RATE.finditer(text):
        value = Decimal(m.group(1).replace(",", ".")).normalize()
        if value in rates.by_value:
            found.append(value)
    for content, is_name in braces(text):
        if is_name and content in percent_names:
            found.extend(sorted(percent_names[content]))
    return found


def _half_label(half: tuple[int, int]) -> str:
    return f"S{half[1]} {half[0]}"


def _check_text(
    owner: str, path: PathT, text: str, context: str, rates: _Rates, percent_names: dict[str, frozenset[Decimal]]
) -> Iterator[Located]:
    values = _rate_values(text, rates, percent_names)
    if not values:
        return
    named = _semesters(text) or _semesters(context)
    shown = ", ".join(dict.fromkeys(format_fr(v, 2, "%") for v in values))
    if not named:
        yield Located(
            owner,
            path,
            "rate-without-semester",
            f"taux de référence cité sans son semestre : {shown}",
            "les taux changent chaque semestre : écrivez-le à côté du taux, par ex. « 12,15 % "
            "(taux par défaut du 1er semestre 2026) » ; le texte peut être lu seul (retour, corrigé, export)",
            "warning",
        )
        return
    for value in dict.fromkeys(values):
        if not any(half in rates.by_value[value] for half in named):
            halves = ", ".join(_half_label(h) for h in dict.fromkeys(named))
            valid = ", ".join(rates.labels[h] for h in sorted(rates.by_value[value]))
            yield Located(
                owner,
                path,
                "rate-semester-mismatch",
                f"{format_fr(value, 2, '%')} n'est pas un taux de référence de {halves}",
                f"ce taux est celui de : {valid} ; vérifiez le semestre ou le taux "
                "(table : simulator/quiz/rates_fr.json)",
                "warning",
            )


def _percent_names(variables: Sequence[Variable], rates: _Rates) -> dict[str, frozenset[Decimal]]:
    """Variables in % whose possible values include a reference rate."""
    found = {}
    for v in variables:
        if v.unit != "%" or value_count(v) > 200:
            continue
        try:
            values = {x.normalize() for x in variable_values(v)}
        except (ValueError, ArithmeticError):
            continue
        hits = frozenset(x for x in values if x in rates.by_value)
        if hits:
            found[v.name] = hits
    return found


def _quiz_texts(pack: Pack) -> Iterator[tuple[str, PathT, str, str, Sequence[Variable]]]:
    """(owner, path, text, context, variables) for every text of the quiz banks.

    ``context`` is the text read together with this one (the question, for a
    choice); ``variables`` are those whose values the text may show.
    """
    for quiz in pack.quizzes:
        yield quiz.id, ("description",), quiz.description, "", ()
        yield quiz.id, ("feedback",), quiz.feedback, "", ()
        for i, q in enumerate(quiz.questions):
            base: PathT = ("questions", i)
            variables = q.variables if isinstance(q, Calculated) else ()
            yield quiz.id, (*base, "text"), q.text, "", variables
            yield quiz.id, (*base, "feedback"), q.feedback, "", variables
            yield quiz.id, (*base, "source"), q.source, "", ()
            for j, choice in enumerate(getattr(q, "choices", ())):
                text = f"{choice.text}\n{getattr(choice, 'feedback', '')}"
                yield quiz.id, (*base, "choices", j), text, q.text, ()
            for j, pair in enumerate(getattr(q, "pairs", ())):
                yield quiz.id, (*base, "pairs", j), f"{pair.left}\n{pair.right}", q.text, ()
            for j, item in enumerate(getattr(q, "items", ())):
                yield quiz.id, (*base, "items", j), item, q.text, ()


def _study_texts(study: CaseStudy) -> Iterator[tuple[PathT, str]]:
    yield ("intro",), study.intro
    for t, table in enumerate(study.tables):
        cells = [table.title, *table.columns, *(cell for row in table.rows for cell in row)]
        yield ("tables", t), "\n".join(cells)
    for k, q in enumerate(study.questions):
        yield ("questions", k, "text"), q.text
        yield ("questions", k, "solution"), "\n".join(q.solution)
        yield ("questions", k, "feedback"), q.feedback


def _mentions(pack: Pack, rates: _Rates) -> Iterator[tuple[str, PathT, str, str, dict[str, frozenset[Decimal]]]]:
    for owner, path, text, context, variables in _quiz_texts(pack):
        yield owner, path, text, context, _percent_names(variables, rates)
    for study in pack.case_studies:
        names = _percent_names(study.variables, rates)
        for path, text in _study_texts(study):
            yield study.id, path, text, "", names


def rate_mentions(pack: Pack, table: RateTable) -> Iterator[Located]:
    """Reference rates cited without their half-year, or with another half-year's."""
    rates = _Rates.of(table)
    for owner, path, text, context, names in _mentions(pack, rates):
        yield from _check_text(owner, path, text, context, rates, names)


def cites_rates(pack: Pack, table: RateTable) -> bool:
    """True when some text of ``pack`` cites a reference rate of ``table``."""
    rates = _Rates.of(table)
    return any(_rate_values(text, rates, names) for _o, _p, text, _c, names in _mentions(pack, rates))


def outdated_message(table: RateTable, today: date) -> tuple[str, str] | None:
    """French message and hint when ``today`` is after the table's last confirmed half-year."""
    if not table.outdated(today):
        return None
    last = table.last
    message = (
        f"la table des taux de référence s'arrête au {last.valid_to:%d/%m/%Y} (dernier semestre "
        f"confirmé : {last.label}) ; nous sommes le {today:%d/%m/%Y}"
    )
    pending = table.pending_on(today)
    if pending is not None:
        message += f" — {pending.label} : {pending.note}"
    hint = (
        "ajoutez le semestre manquant à simulator/quiz/rates_fr.json (taux BCE retenu au 1er janvier "
        "ou au 1er juillet, taux de l'intérêt légal publié par arrêté), avec ses sources, et à "
        "docs/sources.md ; d'ici là, citez toujours le semestre des taux enseignés"
    )
    return message, hint


def quiz_audits(pack: Pack, table: RateTable) -> Iterable[Located]:
    """Every audit warning of ``pack`` (wrong methods, rates without their half-year)."""
    yield from wrong_method_findings(pack)
    yield from rate_mentions(pack, table)
