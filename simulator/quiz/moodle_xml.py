"""Moodle XML: write quiz banks that Moodle imports, and read them back.

Each bank becomes a question category (``$course$/top/<title>``, with the
bank's id as the category's ``idnumber``); each question keeps its id as
``name`` and ``idnumber``, its points as ``defaultgrade`` and the bank's retry
penalty as ``penalty``. Types: ``multichoice`` (single or weighted multiple),
``truefalse``, ``shortanswer``, ``numerical`` (units as Moodle units; a
relative tolerance becomes the equivalent absolute one), ``matching`` and
``ordering`` (the ordering type that ships with Moodle 4.4 and later).
``calculated`` with one dataset per variable whose items are exactly the
values Relance draws from (at most 100: Moodle's limit) and the formula's
variables in braces (``**`` becomes ``pow``); a formula with a condition or a
comparison has no Moodle equivalent and is reported, not written, as are the
variables' labels and units, which Moodle has no field for.

Reading accepts what this module writes and ordinary Moodle exports of the
same types; the XML is parsed by the standard library's expat-based parser,
which resolves no external entity and refuses entity-expansion bombs.
"""

from __future__ import annotations

import ast
import html
import itertools
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec

from simulator.model.quiz import (
    Calculated,
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
    Variable,
    WeightedChoice,
)
from simulator.quiz.draw import value_count, variable_values
from simulator.quiz.formula import FormulaError, compile_formula
from simulator.quiz.gift import SHORT_TEXT_THRESHOLD, Imported, ImportNote, question_id

__all__ = ["moodle_xml", "parse_moodle_xml"]

SOURCE_MARK = "source :"
"""Start of the XML comment that carries a question's source."""

_UNITS = {"EUR": "€", "$": "$", "%": "%", "jours": "jours"}
_UNITS_BACK = {v: k for k, v in _UNITS.items()} | {"EUR": "EUR"}


def _html(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


def _plain(text: str | None) -> str:
    if not text:
        return ""
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE)
    text = re.sub(r"</p>\s*<p[^>]*>", "\n", text, flags=re.IGNORECASE)
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


def _units(element: ET.Element, unit_id: str | None) -> None:
    if not unit_id:
        return
    units = ET.SubElement(element, "units")
    unit = ET.SubElement(units, "unit")
    _simple(unit, "multiplier", "1")
    _simple(unit, "unit_name", _UNITS[unit_id])
    _simple(element, "unitgradingtype", "0")
    _simple(element, "unitpenalty", "0.1000000")
    _simple(element, "showunits", "3")
    _simple(element, "unitsleft", "0")


# --------------------------------------------------------------------------- calculated questions
#
# Moodle writes a formula with its wildcards in braces (``{ca} * {delai} / 365``)
# and knows ``pow(a, b)`` but no ``**`` and no conditional; each variable is a
# "dataset" of explicit items (at most 100), which is how a Relance range or
# value list is carried exactly.

MOODLE_MAX_ITEMS = 100
_WILDCARD = "__relance_var_"


class _NoMoodleFormula(ValueError):
    """A Relance formula Moodle cannot evaluate (a condition, a comparison)."""


class _ToMoodle(ast.NodeTransformer):
    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in ("True", "False"):
            raise _NoMoodleFormula("valeur logique")
        return ast.Name(id=_WILDCARD + node.id, ctx=node.ctx)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        node.args = [self.visit(arg) for arg in node.args]
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Pow):
            return ast.Call(func=ast.Name(id="pow", ctx=ast.Load()), args=[node.left, node.right], keywords=[])
        return node

    def visit_IfExp(self, node: ast.IfExp) -> ast.AST:
        raise _NoMoodleFormula("condition « si … sinon »")

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        raise _NoMoodleFormula("comparaison")

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        raise _NoMoodleFormula("opération logique (et, ou)")


def moodle_formula(formula: str) -> str:
    """``creances / ca * 365`` → ``{creances} / {ca} * 365``; raises ValueError when Moodle has no equivalent."""
    checked = compile_formula(formula)
    tree = _ToMoodle().visit(checked.tree)
    if not any(isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow) for node in ast.walk(checked.tree)):
        # Keep the trainer's writing (``0.10`` stays ``0.10``): brace each variable in place.
        names = "|".join(sorted((re.escape(n) for n in checked.variables), key=len, reverse=True))
        return re.sub(rf"(?<![\w.])({names})(?![\w(])", r"{\1}", formula.strip()) if names else formula.strip()
    return re.sub(re.escape(_WILDCARD) + r"(\w+)", r"{\1}", ast.unparse(ast.fix_missing_locations(tree)))


class _FromMoodle(ast.NodeTransformer):
    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id == "pow" and len(node.args) == 2 and not node.keywords:
            return ast.BinOp(left=node.args[0], op=ast.Pow(), right=node.args[1])
        return node


def relance_formula(text: str, names: list[str]) -> str:
    """A Moodle answer formula in Relance's language; raises ValueError (French message) if it has none."""
    source = re.sub(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", r"\1", text.strip())
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        raise ValueError(f"formule Moodle illisible « {text.strip()} »") from None
    has_pow = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "pow" for n in ast.walk(tree))
    rewritten = ast.unparse(ast.fix_missing_locations(_FromMoodle().visit(tree))) if has_pow else source
    try:
        compile_formula(rewritten, names)
    except FormulaError as exc:
        raise ValueError(f"formule Moodle « {text.strip()} » : {exc.message}") from None
    return rewritten


def _number_text(value: Any) -> str:
    text = format(value, "f") if not isinstance(value, float) else f"{value:.10f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _calculated(element: ET.Element, q: Calculated) -> None:
    formula = moodle_formula(q.formula)
    for tag in ("synchronize", "single"):
        _simple(element, tag, "0")
    _simple(element, "answernumbering", "abc")
    _simple(element, "shuffleanswers", "0")
    answer = ET.SubElement(element, "answer", {"fraction": "100"})
    _simple(answer, "text", formula)
    _simple(answer, "tolerance", _number_text(q.tolerance))
    _simple(answer, "tolerancetype", "1" if q.tolerance_mode == "relative" else "2")  # 1 relative, 2 nominal
    _simple(answer, "correctanswerformat", "1")  # decimals
    _simple(answer, "correctanswerlength", str(q.decimals))
    _text(answer, "feedback", "")
    _units(element, q.unit)
    definitions = ET.SubElement(element, "dataset_definitions")
    for variable in q.variables:
        values = list(variable_values(variable))
        definition = ET.SubElement(definitions, "dataset_definition")
        _text(definition, "status", "private", fmt=None)
        _text(definition, "name", variable.name, fmt=None)
        _simple(definition, "type", "calculated")
        _text(definition, "distribution", "uniform", fmt=None)
        low = min(values) if variable.values else variable.min
        high = max(values) if variable.values else variable.max
        decimals = max((max(-v.as_tuple().exponent, 0) for v in values), default=0)  # type: ignore[operator]
        _text(definition, "minimum", _number_text(low), fmt=None)
        _text(definition, "maximum", _number_text(high), fmt=None)
        _text(definition, "decimals", str(decimals), fmt=None)
        kept = values[:MOODLE_MAX_ITEMS]
        _simple(definition, "itemcount", str(len(kept)))
        items = ET.SubElement(definition, "dataset_items")
        for number, value in enumerate(kept, 1):
            item = ET.SubElement(items, "dataset_item")
            _simple(item, "number", str(number))
            _simple(item, "value", _number_text(value))
        _simple(definition, "number_of_items", str(len(kept)))


def _calculated_notes(q: Calculated) -> list[str]:
    """What a Moodle export of ``q`` changes (empty when it is carried exactly)."""
    notes = []
    long = [v.name for v in q.variables if value_count(v) > MOODLE_MAX_ITEMS]
    if long:
        notes.append(f"{', '.join(long)} : Moodle garde {MOODLE_MAX_ITEMS} valeurs au plus, les suivantes sont omises")
    labelled = [v.name for v in q.variables if v.label or v.unit]
    if labelled:
        notes.append(f"libellé ou unité non transmis pour {', '.join(labelled)} (Moodle n'a pas de champ pour eux)")
    return notes


def _read_variable(definition: ET.Element) -> Variable:
    name = _value(definition, "name/text")
    items = []
    for item in definition.findall("dataset_items/dataset_item"):
        items.append((int(_value(item, "number", "0") or 0), _decimal(_value(item, "value"))))
    values = [v for _n, v in sorted(items, key=lambda pair: pair[0])]
    low, high = _decimal(_value(definition, "minimum/text", "0")), _decimal(_value(definition, "maximum/text", "0"))
    if not values:
        decimals = int(_value(definition, "decimals/text", "0") or 0)
        return Variable(name=name, min=float(low), max=float(high), step=float(Decimal(1).scaleb(-decimals)))
    steps = {b - a for a, b in itertools.pairwise(values)}
    if len(values) >= 3 and len(steps) == 1 and next(iter(steps)) > 0:
        (step,) = steps
        end = high if high >= values[-1] and len(values) == MOODLE_MAX_ITEMS else values[-1]
        return Variable(name=name, min=float(values[0]), max=float(end), step=float(step))
    return Variable(name=name, values=tuple(float(v) for v in values))


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"valeur de jeu de données illisible « {text.strip()} »") from None


def _question(bank: QuizBank, q: Any) -> ET.Element | None:
    kind = {
        SingleChoice: "multichoice",
        MultipleChoice: "multichoice",
        TrueFalse: "truefalse",
        ShortText: "shortanswer",
        Numeric: "numerical",
        Calculated: "calculated",
        Matching: "matching",
        Ordering: "ordering",
    }.get(type(q))
    if kind is None:
        return None
    element = ET.Element("question", {"type": kind})
    if q.source:  # Moodle has no field for it: a comment Moodle ignores and Relance reads back
        element.append(ET.Comment(f" {SOURCE_MARK} {' '.join(q.source.split()).replace('--', '- -')} "))
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
        on_true, on_false = (q.feedback_right, q.feedback_wrong) if q.answer else (q.feedback_wrong, q.feedback_right)
        _answer(element, 1.0 if q.answer else 0.0, "true", on_true, fmt="moodle_auto_format")
        _answer(element, 0.0 if q.answer else 1.0, "false", on_false, fmt="moodle_auto_format")
    elif isinstance(q, ShortText):
        _simple(element, "usecase", "0")
        for text in q.answers:
            _answer(element, 1.0, text, fmt="moodle_auto_format")
    elif isinstance(q, Numeric):
        tolerance = q.tolerance * abs(q.answer) if q.tolerance_mode == "relative" else q.tolerance
        answer = _answer(element, 1.0, f"{q.answer:g}", q.feedback_right, fmt="moodle_auto_format")
        _simple(answer, "tolerance", f"{round(tolerance, 10):g}")
        if q.feedback_wrong:  # Moodle's "any other answer"
            _simple(_answer(element, 0.0, "*", q.feedback_wrong, fmt="moodle_auto_format"), "tolerance", "0")
        _units(element, q.unit)
    elif isinstance(q, Calculated):
        _calculated(element, q)
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
            try:
                element = _question(bank, q)
            except _NoMoodleFormula as exc:
                skipped.append(f"{bank.id}/{q.id} : non exportée, Moodle n'évalue pas dans une formule : {exc}")
                continue
            if element is None:
                kind = type(q).__struct_config__.tag
                skipped.append(f"{bank.id}/{q.id} : type `{kind}` non exporté (pas d'équivalent Moodle)")
                continue
            if isinstance(q, Calculated):
                skipped += [f"{bank.id}/{q.id} : {note}" for note in _calculated_notes(q)]
            if isinstance(q, ShortText) and q.threshold != SHORT_TEXT_THRESHOLD:
                skipped.append(f"{bank.id}/{q.id} : tolérance aux fautes ({q.threshold}) non transmise (Moodle compare exactement)")
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
    for child in element:
        if child.tag is ET.Comment and (child.text or "").strip().startswith(SOURCE_MARK):
            common["source"] = (child.text or "").strip()[len(SOURCE_MARK) :].strip()
    feedback = _child_text(element, "generalfeedback")
    if feedback:
        common["feedback"] = feedback
    grade = _value(element, "defaultgrade", "1")
    if grade and float(grade) != 1.0:
        common["points"] = float(grade)
    answers = _answers(element)
    if kind == "shortanswer" and "feedback" not in common:
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
        return TrueFalse(
            answer=right.lower() == "true",
            feedback_right=next((fb for f, _t, fb in answers if f >= 1), ""),
            feedback_wrong=next((fb for f, _t, fb in answers if f < 1), ""),
            **common,
        )
    if kind == "shortanswer":
        return ShortText(answers=tuple(t for f, t, _fb in answers if f >= 1), **common)
    if kind == "numerical":
        valued = [a for a in element.findall("answer") if (a.findtext("text") or "").strip() not in ("", "*")]
        if not valued:
            raise ValueError("aucune valeur attendue")
        best = max(valued, key=lambda a: float(a.get("fraction", "0")))
        other = next((a for a in element.findall("answer") if (a.findtext("text") or "").strip() in ("", "*")), None)
        unit_name = element.findtext("units/unit/unit_name")
        unit = _UNITS_BACK.get((unit_name or "").strip()) if unit_name else None
        if unit:
            common["unit"] = unit
        return Numeric(
            answer=float((best.findtext("text") or "0").strip()),
            tolerance=float((best.findtext("tolerance") or "0").strip()),
            feedback_right=_child_text(best, "feedback"),
            feedback_wrong=_child_text(other, "feedback") if other is not None else "",
            **common,
        )
    if kind == "calculated":
        return _read_calculated(element, common)
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


def _read_calculated(element: ET.Element, common: dict[str, Any]) -> Calculated:
    variables = [_read_variable(d) for d in element.findall("dataset_definitions/dataset_definition")]
    if not variables:
        raise ValueError("question calculée sans jeu de données")
    answers = element.findall("answer")
    if not answers:
        raise ValueError("question calculée sans formule")
    best = max(answers, key=lambda a: float(a.get("fraction", "0")))
    formula = relance_formula(best.findtext("text") or "", [v.name for v in variables])
    kind = _value(best, "tolerancetype", "1")
    if kind not in ("1", "2"):
        raise ValueError("tolérance géométrique : Relance ne connaît que l'absolue et la relative")
    unit_name = element.findtext("units/unit/unit_name")
    unit = _UNITS_BACK.get((unit_name or "").strip()) if unit_name else None
    if unit:
        common["unit"] = unit
    return Calculated(
        variables=tuple(variables),
        formula=formula,
        tolerance=float(_value(best, "tolerance", "0") or 0),
        tolerance_mode="relative" if kind == "1" else "absolute",
        decimals=int(_value(best, "correctanswerlength", "2") or 2)
        if _value(best, "correctanswerformat", "1") == "1"
        else 2,
        **common,
    )


def parse_moodle_xml(data: bytes) -> tuple[Imported, dict[str, str]]:
    """Questions by category from a Moodle XML file; also category → bank id (``idnumber``)."""
    result = Imported()
    ids: dict[str, str] = {}
    try:
        parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
        parser.feed(data)
        root = parser.close()
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
                      "description": "description", "calculatedsimple": "calculée simple",
                      "calculatedmulti": "calculée à choix"}
            result.notes.append(ImportNote(number, title, f"type Moodle « {labels.get(kind, kind)} » : Relance ne le représente pas"))
            continue
        except (msgspec.ValidationError, TypeError, ValueError) as exc:
            result.notes.append(ImportNote(number, title, f"question invalide pour Relance : {exc}"))
            continue
        result.categories.setdefault(category, []).append(question)
        result.lines[id(question)] = number
    return result, ids
