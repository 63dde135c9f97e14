"""Moodle XML: write quiz banks that Moodle imports, and read them back.

Each bank becomes a question category (``$course$/top/<title>``, with the
bank's id as the category's ``idnumber``); each question keeps its id as
``name`` and ``idnumber``, its points as ``defaultgrade`` and the bank's retry
penalty as ``penalty``. Types: ``multichoice`` (single or weighted multiple),
``truefalse``, ``shortanswer``, ``numerical`` (units as Moodle units; a
relative tolerance becomes the equivalent absolute one), ``matching`` and
``ordering`` (the ordering type that ships with Moodle 4.4 and later).
Calculated questions need Moodle datasets and are reported, not written.

Reading accepts what this module writes and ordinary Moodle exports of the
same types; the XML is parsed by the standard library's expat-based parser,
which resolves no external entity and refuses entity-expansion bombs.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

import msgspec

from simulator.model.quiz import (
    Choice,
    Matching,
    MatchPair,
    MultipleChoice,
    Numeric,
    Ordering,
    QuizBank,
    ShortText,
    SingleChoice,
    TrueFalse,
    WeightedChoice,
)
from simulator.quiz.gift import Imported, ImportNote, question_id

__all__ = ["moodle_xml", "parse_moodle_xml"]

_UNITS = {"EUR": "€", "$": "$", "%": "%", "jours": "jours"}
_UNITS_BACK = {v: k for k, v in _UNITS.items()} | {"EUR": "EUR"}


def _html(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


def _plain(text: str | None) -> str:
    if not text:
        return ""
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    text = re.sub(r"</p>\s*<p[^>]*>", "\n", text, flags=re.I)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def _text(parent: ET.Element, tag: str, value: str, fmt: str | None = "html") -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = _html(value) if fmt == "html" else value
    return element


def _simple(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def _fraction(value: float) -> str:
    return f"{value * 100:.7f}".rstrip("0").rstrip(".")


def _answer(parent: ET.Element, fraction: float, text: str, feedback: str = "", fmt: str = "html") -> ET.Element:
    answer = ET.SubElement(parent, "answer", {"fraction": _fraction(fraction), "format": fmt})
    ET.SubElement(answer, "text").text = _html(text) if fmt == "html" else text
    if feedback or fmt == "html":
        _text(answer, "feedback", feedback)
    return answer


def _question(bank: QuizBank, q: Any) -> ET.Element | None:
    kind = {
        SingleChoice: "multichoice",
        MultipleChoice: "multichoice",
        TrueFalse: "truefalse",
        ShortText: "shortanswer",
        Numeric: "numerical",
        Matching: "matching",
        Ordering: "ordering",
    }.get(type(q))
    if kind is None:
        return None
    element = ET.Element("question", {"type": kind})
    name = ET.SubElement(element, "name")
    ET.SubElement(name, "text").text = q.id
    _text(element, "questiontext", q.text)
    _text(element, "generalfeedback", q.feedback)
    _simple(element, "defaultgrade", f"{q.points:g}")
    _simple(element, "penalty", f"{bank.penalty:.7f}")
    _simple(element, "hidden", "0")
    _simple(element, "idnumber", q.id)
    if isinstance(q, SingleChoice | MultipleChoice):
        _simple(element, "single", "true" if isinstance(q, SingleChoice) else "false")
        _simple(element, "shuffleanswers", "true" if q.shuffle else "false")
        _simple(element, "answernumbering", "abc")
        for choice in q.choices:
            fraction = (1.0 if choice.correct else 0.0) if isinstance(choice, Choice) else choice.fraction
            _answer(element, fraction, choice.text, choice.feedback)
    elif isinstance(q, TrueFalse):
        _answer(element, 1.0 if q.answer else 0.0, "true", fmt="moodle_auto_format")
        _answer(element, 0.0 if q.answer else 1.0, "false", fmt="moodle_auto_format")
    elif isinstance(q, ShortText):
        _simple(element, "usecase", "0")
        for text in q.answers:
            _answer(element, 1.0, text, fmt="moodle_auto_format")
    elif isinstance(q, Numeric):
        tolerance = q.tolerance * abs(q.answer) if q.tolerance_mode == "relative" else q.tolerance
        answer = _answer(element, 1.0, f"{q.answer:g}", fmt="moodle_auto_format")
        _simple(answer, "tolerance", f"{round(tolerance, 10):g}")
        if q.unit:
            units = ET.SubElement(element, "units")
            unit = ET.SubElement(units, "unit")
            _simple(unit, "multiplier", "1")
            _simple(unit, "unit_name", _UNITS[q.unit])
            _simple(element, "unitgradingtype", "0")
            _simple(element, "unitpenalty", "0.1000000")
            _simple(element, "showunits", "3")
            _simple(element, "unitsleft", "0")
    elif isinstance(q, Matching):
        _simple(element, "shuffleanswers", "true")
        for pair in q.pairs:
            sub = ET.SubElement(element, "subquestion", {"format": "html"})
            ET.SubElement(sub, "text").text = _html(pair.left)
            answer = ET.SubElement(sub, "answer")
            ET.SubElement(answer, "text").text = pair.right
    elif isinstance(q, Ordering):
        _simple(element, "layouttype", "VERTICAL")
        _simple(element, "selecttype", "ALL")
        _simple(element, "selectcount", "0")
        _simple(element, "gradingtype", "ABSOLUTE_POSITION")
        _simple(element, "showgrading", "SHOW")
        _simple(element, "numberingstyle", "none")
        for item in q.items:
            _answer(element, 1.0, item, fmt="html")
    return element


def moodle_xml(banks: Sequence[QuizBank]) -> tuple[str, list[str]]:
    """The Moodle XML of the banks, and the questions that could not be written."""
    root = ET.Element("quiz")
    skipped: list[str] = []
    for bank in banks:
        category = ET.SubElement(root, "question", {"type": "category"})
        cat = ET.SubElement(category, "category")
        ET.SubElement(cat, "text").text = f"$course$/top/{bank.title}"
        _text(category, "info", bank.description)
        _simple(category, "idnumber", bank.id)
        for q in bank.questions:
            element = _question(bank, q)
            if element is None:
                kind = type(q).__struct_config__.tag
                skipped.append(f"{bank.id}/{q.id} : type `{kind}` non exporté (les jeux de données Moodle ne sont pas générés)")
                continue
            if isinstance(q, Numeric) and q.tolerance_mode == "relative":
                skipped.append(f"{bank.id}/{q.id} : tolérance relative convertie en tolérance absolue")
            root.append(element)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n", skipped


# --------------------------------------------------------------------------- reading


def _child_text(element: ET.Element, tag: str) -> str:
    found = element.find(f"{tag}/text")
    if found is None:
        return ""
    fmt = element.find(tag).get("format", "html") if element.find(tag) is not None else "html"  # type: ignore[union-attr]
    value = found.text or ""
    return _plain(value) if fmt == "html" else value.strip()


def _value(element: ET.Element, tag: str, default: str = "") -> str:
    found = element.find(tag)
    return (found.text or "").strip() if found is not None else default


def _answers(element: ET.Element) -> list[tuple[float, str, str]]:
    out = []
    for answer in element.findall("answer"):
        fmt = answer.get("format", "html")
        raw = answer.findtext("text") or ""
        text = _plain(raw) if fmt == "html" else raw.strip()
        feedback = _child_text(answer, "feedback")
        out.append((float(answer.get("fraction", "0")) / 100, text, feedback))
    return out


class _Unsupported(Exception):
    """A Moodle question type Relance does not represent."""


def _read_question(element: ET.Element, kind: str, qid: str) -> Any:
    common: dict[str, Any] = {"id": qid, "text": _child_text(element, "questiontext")}
    feedback = _child_text(element, "generalfeedback")
    if feedback:
        common["feedback"] = feedback
    grade = _value(element, "defaultgrade", "1")
    if grade and float(grade) != 1.0:
        common["points"] = float(grade)
    answers = _answers(element)
    if kind in ("truefalse", "shortanswer", "numerical") and "feedback" not in common:
        # Relance keeps one feedback for these types: the right answer's, when there is no general one.
        right = next((fb for f, _t, fb in sorted(answers, key=lambda a: -a[0]) if fb), "")
        if right:
            common["feedback"] = right
    if kind == "multichoice":
        shuffle = _value(element, "shuffleanswers", "true").lower() not in ("false", "0")
        if _value(element, "single", "true").lower() in ("true", "1"):
            return SingleChoice(
                choices=tuple(Choice(text=t, correct=f >= 1, feedback=fb) for f, t, fb in answers),
                shuffle=shuffle,
                **common,
            )
        return MultipleChoice(
            choices=tuple(WeightedChoice(text=t, fraction=round(f, 7), feedback=fb) for f, t, fb in answers),
            shuffle=shuffle,
            **common,
        )
    if kind == "truefalse":
        right = next((t for f, t, _fb in answers if f >= 1), "true")
        return TrueFalse(answer=right.lower() == "true", **common)
    if kind == "shortanswer":
        return ShortText(answers=tuple(t for f, t, _fb in answers if f >= 1), **common)
    if kind == "numerical":
        best = max(element.findall("answer"), key=lambda a: float(a.get("fraction", "0")))
        unit_name = element.findtext("units/unit/unit_name")
        unit = _UNITS_BACK.get((unit_name or "").strip()) if unit_name else None
        if unit:
            common["unit"] = unit
        return Numeric(
            answer=float((best.findtext("text") or "0").strip()),
            tolerance=float((best.findtext("tolerance") or "0").strip()),
            **common,
        )
    if kind == "matching":
        pairs = []
        for sub in element.findall("subquestion"):
            left = _plain(sub.findtext("text"))
            right = (sub.findtext("answer/text") or "").strip()
            if left:
                pairs.append(MatchPair(left=left, right=right))
        return Matching(pairs=tuple(pairs), **common)
    if kind == "ordering":
        return Ordering(items=tuple(t for _f, t, _fb in answers), **common)
    raise _Unsupported(kind)


def parse_moodle_xml(data: bytes) -> tuple[Imported, dict[str, str]]:
    """Questions by category from a Moodle XML file; also category → bank id (``idnumber``)."""
    result = Imported()
    ids: dict[str, str] = {}
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line = exc.position[0] if hasattr(exc, "position") else 0
        result.notes.append(ImportNote(line, "", f"XML illisible : {exc}"))
        return result, ids
    if root.tag != "quiz":
        result.notes.append(ImportNote(1, "", f"élément racine <{root.tag}> : un fichier Moodle XML commence par <quiz>"))
        return result, ids
    category = ""
    used_by_category: dict[str, set[str]] = {}
    for number, element in enumerate(root.findall("question"), 1):
        kind = element.get("type", "")
        if kind == "category":
            category = (element.findtext("category/text") or "").strip()
            for prefix in ("$course$/top/", "$course$/", "$system$/top/", "$system$/", "top/"):
                if category.startswith(prefix):
                    category = category[len(prefix) :]
                    break
            idnumber = _value(element, "idnumber")
            if idnumber:
                ids[category] = idnumber
            continue
        title = (element.findtext("name/text") or "").strip()
        wanted = _value(element, "idnumber") or title
        qid = question_id(wanted, used_by_category.setdefault(category, set()), f"q{number}")
        try:
            question = _read_question(element, kind, qid)
            question = msgspec.convert(msgspec.to_builtins(question), type(question))
        except _Unsupported:
            labels = {"essay": "composition (essay)", "cloze": "texte à trous (cloze)", "multianswer": "texte à trous (cloze)",
                      "description": "description", "calculated": "calculée", "calculatedsimple": "calculée simple",
                      "calculatedmulti": "calculée à choix"}
            result.notes.append(ImportNote(number, title, f"type Moodle « {labels.get(kind, kind)} » : Relance ne le représente pas"))
            continue
        except (msgspec.ValidationError, TypeError, ValueError) as exc:
            result.notes.append(ImportNote(number, title, f"question invalide pour Relance : {exc}"))
            continue
        result.categories.setdefault(category, []).append(question)
        result.lines[id(question)] = number
    return result, ids
