"""Moodle's GIFT and Aiken question formats: read them into quiz questions, write GIFT.

No maintained Python GIFT parser fits (``pygiftparser`` was last released in
2017, ``pygiftparserrgmf`` is a 0.0.x pre-release, ``gift-to-moodlexml`` only
converts to XML), so this is a small hand-written reader that follows Moodle's
own (``question/format/gift``): questions are separated by blank lines;
``//`` starts a comment line; ``$CATEGORY:`` switches category; ``::title::``
names a question; an optional ``[html]``/``[markdown]``/``[plain]``/``[moodle]``
format tag precedes the text; the answer block in braces decides the type:

=================================  =======================================
``{T}`` ``{FALSE#wrong#right}``    true/false (feedback if wrong, if right)
``{=right ~wrong}``                single choice (``SingleChoice``)
``{~%50%a ~%50%b ~%-100%c}``       multiple choice with weights
``{=answer =other}``               short answer (``ShortText``)
``{=a -> 1 =b -> 2}``              matching
``{#3.14:0.01}`` ``{#1..5}``       numerical with tolerance, or a range
``{#=45:2#right ~#wrong}``         numerical, feedback for any other value
``{}``                             essay (not representable: reported)
=================================  =======================================

``#feedback`` follows an answer, ``####feedback`` is the general feedback, and
``\\~ \\= \\# \\{ \\} \\: \\\\`` escape the special characters (``\\n`` is a new
line). A block in the middle of the text is a "missing word" question (the
gap is shown as ``_____``). What Relance cannot represent — essay, description,
cloze, partial-credit short answers or extra numerical answers — is reported
per question with its line, never silently dropped.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec

from simulator.model.quiz import (
    Choice,
    Matching,
    MatchPair,
    MultipleChoice,
    Numeric,
    QuizBank,
    ShortText,
    SingleChoice,
    TrueFalse,
    WeightedChoice,
)

__all__ = [
    "ImportNote",
    "Imported",
    "gift_text",
    "parse_aiken",
    "parse_gift",
    "question_id",
    "to_banks",
]

MAX_QUESTIONS = 10_000
GAP = "_____"


@dataclass(frozen=True)
class ImportNote:
    """Something about one imported question: skipped (``severity='error'``) or changed (``'warning'``)."""

    line: int
    title: str
    message: str
    severity: str = "error"

    def format(self, file: str) -> str:
        name = f" « {self.title} »" if self.title else ""
        kind = "non importée" if self.severity == "error" else "note"
        return f"{file}:{self.line}: {kind}{name} : {self.message}"


@dataclass
class Imported:
    """Questions read from a file, grouped by category, and the notes about them."""

    categories: dict[str, list[Any]] = field(default_factory=dict)
    notes: list[ImportNote] = field(default_factory=list)
    lines: dict[int, int] = field(default_factory=dict)
    """id(question) → line where it starts (for reports)."""

    @property
    def questions(self) -> list[Any]:
        return [q for qs in self.categories.values() for q in qs]


class _Skip(Exception):
    """Internal: this question cannot be imported, for this reason."""


# --------------------------------------------------------------------------- escapes

_ESCAPABLE = "~=#{}:\\"


def _find(text: str, chars: str, start: int = 0) -> int:
    """Index of the first unescaped character of ``chars`` at or after ``start``, or -1."""
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char in chars:
            return index
        index += 1
    return -1


def _find_str(text: str, needle: str, start: int = 0) -> int:
    index = start
    while index <= len(text) - len(needle):
        if text[index] == "\\":
            index += 2
            continue
        if text.startswith(needle, index):
            return index
        index += 1
    return -1


def _unescape(text: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            nxt = text[index + 1]
            if nxt == "n":
                out.append("\n")
            else:
                out.append(nxt)
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def _clean(text: str, fmt: str) -> str:
    text = _unescape(text).strip()
    if fmt == "html":
        text = re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE)
        text = re.sub(r"</p>\s*<p[^>]*>", "\n", text, flags=re.IGNORECASE)
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return re.sub(r"[ \t]+\n", "\n", text).strip()


# --------------------------------------------------------------------------- GIFT reading


_SOURCE_COMMENT = re.compile(r"^//\s*source\s*:\s*(.+)$", re.IGNORECASE)
"""``// source : C. com. art. L441-10``: the comment Relance writes before a question to keep its source."""


def _chunks(text: str) -> Iterator[tuple[int, list[str], str]]:
    """(first line number, lines, source) of each blank-line-separated block, comments removed.

    ``source`` is the text of a ``// source :`` comment just before or inside the block.
    """
    current: list[str] = []
    first = 0
    source = ""
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if stripped.startswith("//"):
            found = _SOURCE_COMMENT.match(stripped)
            if found:
                source = found.group(1).strip()
            continue
        if not stripped:
            if current:
                yield first, current, source
                current, source = [], ""
            continue
        if not current:
            first = number
        current.append(line.rstrip())
    if current:
        yield first, current, source


_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(-?\d+(?:[.,]\d+)?)%")
_CLOZE = re.compile(r"\{\d*:(SHORTANSWER|SA|MW|MULTICHOICE|MC|MCV|MCH|NUMERICAL|NM|MULTIRESPONSE|MR)[A-Z_]*:", re.IGNORECASE)


def _weight(answer: str) -> tuple[float | None, str]:
    match = _WEIGHT.match(answer)
    if match is None:
        return None, answer
    return round(float(match.group(1).replace(",", ".")) / 100, 7), answer[match.end() :]


def _feedback(answer: str) -> tuple[str, str]:
    cut = _find(answer, "#")
    if cut < 0:
        return answer, ""
    return answer[:cut], answer[cut + 1 :]


def _split(text: str, char: str) -> list[str]:
    """``text`` cut at each unescaped ``char``."""
    parts: list[str] = []
    start = 0
    cut = _find(text, char)
    while cut >= 0:
        parts.append(text[start:cut])
        start = cut + 1
        cut = _find(text, char, start)
    return [*parts, text[start:]]


def _answers(block: str) -> list[tuple[str, str]]:
    """(marker ``=`` or ``~``, body) of each answer of a block."""
    found: list[tuple[str, str]] = []
    index = _find(block, "=~")
    if index < 0:
        return found
    while index >= 0:
        nxt = _find(block, "=~", index + 1)
        found.append((block[index], block[index + 1 : nxt if nxt >= 0 else len(block)]))
        index = nxt
    return found


def _general_feedback(block: str) -> tuple[str, str]:
    cut = _find_str(block, "####")
    if cut < 0:
        return block, ""
    return block[:cut], block[cut + 4 :]


def question_id(title: str, used: set[str], fallback: str) -> str:
    """A stable, unique id from a title (``Délai légal`` → ``delai-legal``)."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:56] or fallback
    candidate, number = base, 2
    while candidate in used:
        candidate = f"{base}-{number}"
        number += 1
    used.add(candidate)
    return candidate


def _number(text: str) -> float:
    value = text.strip().replace(",", ".")
    try:
        return float(value)
    except ValueError:
        raise _Skip(f"nombre illisible « {text.strip()} »") from None


def _numeric(body: str, common: dict[str, Any], notes: list[str]) -> Numeric:
    body = body.strip()
    entries = _answers(body) if body[:1] in "=~" else [("=", body)]
    best: tuple[float, float, float, str] | None = None
    wrong = ""
    for marker, entry in entries:
        weight, entry = _weight(entry.strip())
        fraction = weight if weight is not None else (1.0 if marker == "=" else 0.0)
        value, fb = _feedback(entry)
        value = _unescape(value).strip()
        if value in ("", "*") and marker == "~":
            wrong = _clean(fb, "plain")  # Moodle: `~#feedback` answers any other value
            continue
        if ".." in value:
            low, high = (_number(x) for x in value.split("..", 1))
            answer, tolerance = (low + high) / 2, abs(high - low) / 2
        elif ":" in value:
            centre, tol = value.split(":", 1)
            answer, tolerance = _number(centre), abs(_number(tol))
        else:
            answer, tolerance = _number(value), 0.0
        if best is None or fraction > best[0]:
            if best is not None:
                notes.append(f"réponse numérique {best[1]:g} ({best[0]:.0%}) ignorée : une seule réponse est gardée")
            best = (fraction, answer, tolerance, _clean(fb, "plain"))
        else:
            notes.append(f"réponse numérique {answer:g} ({fraction:.0%}) ignorée : une seule réponse est gardée")
    if best is None:
        raise _Skip("réponse numérique vide")
    if best[0] < 1:
        raise _Skip("aucune réponse numérique à 100 %")
    return Numeric(answer=best[1], tolerance=best[2], feedback_right=best[3], feedback_wrong=wrong, **common)


def _parse_block(block: str, fmt: str, common: dict[str, Any], notes: list[str]) -> Any:
    block, general = _general_feedback(block)
    if general.strip():
        common["feedback"] = _clean(general, fmt)
    stripped = block.strip()
    if not stripped:
        raise _Skip("question de composition (essay) : Relance ne la représente pas")
    if stripped.startswith("#"):
        return _numeric(stripped[1:], common, notes)
    head, wrong, right = (_split(stripped, "#") + ["", ""])[:3]
    if head.strip().upper() in ("T", "TRUE", "F", "FALSE") and _find(stripped, "=~") < 0:
        # Moodle: {T#feedback when wrong#feedback when right}
        answer = head.strip().upper().startswith("T")
        return TrueFalse(answer=answer, feedback_wrong=_clean(wrong, fmt), feedback_right=_clean(right, fmt), **common)
    entries = _answers(stripped)
    if not entries:
        raise _Skip("bloc de réponses sans `=` ni `~`")
    if all(m == "=" for m, _b in entries) and all(_find_str(b, "->") >= 0 for _m, b in entries):
        pairs = []
        for _m, body in entries:
            cut = _find_str(body, "->")
            left, right = _clean(body[:cut], fmt), _clean(_feedback(body[cut + 2 :])[0], fmt)
            if not right:
                raise _Skip("appariement sans élément de droite")
            if not left:
                notes.append(f"réponse de distraction « {right} » ignorée (pas d'équivalent dans Relance)")
                continue
            pairs.append(MatchPair(left=left, right=right))
        return Matching(pairs=tuple(pairs), **common)
    parsed = []
    for marker, body in entries:
        weight, body = _weight(body.strip())
        text, fb = _feedback(body)
        fraction = weight if weight is not None else (1.0 if marker == "=" else 0.0)
        parsed.append((marker, weight, _clean(text, fmt), _clean(fb, fmt), fraction))
    if any(not text for _m, _w, text, _f, _x in parsed):
        raise _Skip("réponse vide dans le bloc")
    if all(m == "=" for m, *_rest in parsed):
        kept = [p for p in parsed if p[4] >= 1]
        for p in parsed:
            if p[4] < 1:
                notes.append(f"réponse courte « {p[2]} » à {p[4]:.0%} ignorée : Relance n'accorde pas de crédit partiel ici")
        if not kept:
            raise _Skip("aucune réponse courte à 100 %")
        if not common.get("feedback"):
            common["feedback"] = next((p[3] for p in kept if p[3]), "")
        return ShortText(answers=tuple(p[2] for p in kept), **common)
    weighted = any(w is not None for _m, w, *_rest in parsed)
    correct = [p for p in parsed if p[0] == "="]
    if not weighted and len(correct) == 1:
        return SingleChoice(
            choices=tuple(Choice(text=t, correct=m == "=", feedback=f) for m, _w, t, f, _x in parsed), **common
        )
    return MultipleChoice(
        choices=tuple(WeightedChoice(text=t, fraction=max(-1.0, min(1.0, x)), feedback=f) for _m, _w, t, f, x in parsed),
        **common,
    )


def parse_gift(text: str) -> Imported:
    """Read a GIFT file; questions by category, and a note for each one skipped or changed."""
    result = Imported()
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    category = ""
    used_by_category: dict[str, set[str]] = {}
    count = 0
    for line, lines, source in _chunks(text):
        raw = "\n".join(lines).strip()
        if raw.startswith("$CATEGORY:"):
            first, _nl, rest = raw.partition("\n")
            category = first[len("$CATEGORY:") :].strip().strip("/")
            if not rest.strip():
                continue
            raw, line = rest.strip(), line + 1
        count += 1
        if count > MAX_QUESTIONS:
            result.notes.append(ImportNote(line, "", f"plus de {MAX_QUESTIONS} questions : la suite est ignorée"))
            break
        title = ""
        if raw.startswith("::"):
            end = _find_str(raw, "::", 2)
            if end < 0:
                result.notes.append(ImportNote(line, "", "titre `::` non refermé"))
                continue
            title = _unescape(raw[2:end]).strip()
            raw = raw[end + 2 :].lstrip()
        fmt = "plain"
        match = _FORMAT.match(raw)
        if match:
            fmt = match.group(1).lower()
            raw = raw[match.end() :]
        name = title or _unescape(raw)[:50].strip()
        notes: list[str] = []
        try:
            if _CLOZE.search(raw):
                raise _Skip("question à trous intégrés (cloze) : Relance ne la représente pas")
            start = _find(raw, "{")
            if start < 0:
                raise _Skip("description sans bloc de réponses : ce n'est pas une question")
            end = _find(raw, "}", start + 1)
            if end < 0:
                raise _Skip("bloc de réponses `{` non refermé (un `}` manque, ou échappez-le : `\\}`)")
            before, block, after = raw[:start], raw[start + 1 : end], raw[end + 1 :]
            if _find(after, "{") >= 0:
                raise _Skip("plusieurs blocs de réponses : Relance ne représente pas les questions à trous multiples")
            question_text = _clean(before, fmt)
            if after.strip():
                question_text = f"{question_text} {GAP} {_clean(after, fmt)}".strip()
            if not question_text:
                raise _Skip("énoncé vide")
            used = used_by_category.setdefault(category, set())
            common: dict[str, Any] = {"id": question_id(title, used, f"q{count}"), "text": question_text}
            if source:
                common["source"] = source
            question = _parse_block(block, fmt, common, notes)
            question = msgspec.convert(msgspec.to_builtins(question), type(question))
        except _Skip as skip:
            result.notes.append(ImportNote(line, name, str(skip)))
            continue
        except msgspec.ValidationError as exc:
            result.notes.append(ImportNote(line, name, f"question invalide pour Relance : {exc}"))
            continue
        for note in notes:
            result.notes.append(ImportNote(line, name, note, "warning"))
        result.categories.setdefault(category, []).append(question)
        result.lines[id(question)] = line
    return result


# --------------------------------------------------------------------------- Aiken

_AIKEN_CHOICE = re.compile(r"^([A-Z])[.)]\s+(.*)$")
_AIKEN_ANSWER = re.compile(r"^ANSWER\s*:\s*([A-Z])\s*$", re.IGNORECASE)


def parse_aiken(text: str) -> Imported:
    """Read an Aiken file: a one-line question, lettered choices, ``ANSWER: X``."""
    result = Imported()
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    used: set[str] = set()
    count = 0
    question: str | None = None
    choices: list[tuple[str, str]] = []
    start = 0
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line:
            continue
        answer = _AIKEN_ANSWER.match(line)
        choice = _AIKEN_CHOICE.match(line)
        if question is None:
            question, start, choices = line, number, []
            continue
        if choice and not answer:
            choices.append((choice.group(1), choice.group(2).strip()))
            continue
        if answer:
            count += 1
            letter = answer.group(1).upper()
            letters = [c[0] for c in choices]
            name = question[:50]
            if len(choices) < 2:
                result.notes.append(ImportNote(start, name, "moins de deux choix"))
            elif letter not in letters:
                result.notes.append(ImportNote(number, name, f"ANSWER: {letter} ne correspond à aucun choix ({', '.join(letters)})"))
            elif len(set(letters)) != len(letters):
                result.notes.append(ImportNote(start, name, "lettre de choix en double"))
            else:
                try:
                    q = SingleChoice(
                        id=question_id("", used, f"q{count}"),
                        text=question,
                        choices=tuple(Choice(text=t, correct=l == letter) for l, t in choices),
                    )
                    q = msgspec.convert(msgspec.to_builtins(q), SingleChoice)
                except msgspec.ValidationError as exc:
                    result.notes.append(ImportNote(start, name, f"question invalide pour Relance : {exc}"))
                else:
                    result.categories.setdefault("", []).append(q)
                    result.lines[id(q)] = start
            question, choices = None, []
            continue
        # A line that is neither a choice nor the answer: the question had no ANSWER line.
        result.notes.append(ImportNote(start, question[:50], "ligne `ANSWER:` manquante avant la question suivante"))
        question, start, choices = line, number, []
    if question is not None:
        result.notes.append(ImportNote(start, question[:50], "ligne `ANSWER:` manquante en fin de fichier"))
    return result


# --------------------------------------------------------------------------- banks


def to_banks(
    imported: Imported, module: str, default_id: str, default_title: str, ids: dict[str, str] | None = None
) -> list[QuizBank]:
    """One quiz bank per category (the last part of a category path names it; ``ids`` may fix its id)."""
    banks = []
    used: set[str] = set()
    for category, questions in imported.categories.items():
        if not questions:
            continue
        title = category.rsplit("/", 1)[-1].strip() if category else default_title
        if title in ("$course$", "top", "$system$"):
            title = default_title
        wanted = (ids or {}).get(category) or (title if category else default_id)
        bank_id = question_id(wanted, used, default_id)
        banks.append(QuizBank(id=bank_id, title=title[:200] or default_title, module=module, questions=tuple(questions)))
    return banks


# --------------------------------------------------------------------------- GIFT writing


def _esc(text: str) -> str:
    out = "".join("\\" + c if c in _ESCAPABLE else c for c in text)
    return out.replace("\n", "\\n")


def _fb(feedback: str) -> str:
    return f"#{_esc(feedback)}" if feedback else ""


def _pct(fraction: float) -> str:
    return "%" + f"{fraction * 100:.7f}".rstrip("0").rstrip(".") + "%"


def gift_question(q: Any) -> str | None:
    """One question in GIFT, or None when GIFT cannot express it (ordering, calculated)."""
    head = f"::{_esc(q.id)}:: {_esc(q.text)} "
    general = f"####{_esc(q.feedback)}" if q.feedback else ""
    if isinstance(q, TrueFalse):
        wrong = f"#{_esc(q.feedback_wrong)}" if q.feedback_wrong or q.feedback_right else ""
        return f"{head}{{{'TRUE' if q.answer else 'FALSE'}{wrong}{_fb(q.feedback_right)}{general}}}"
    if isinstance(q, SingleChoice):
        body = " ".join(f"{'=' if c.correct else '~'}{_esc(c.text)}{_fb(c.feedback)}" for c in q.choices)
        return f"{head}{{{body}{general}}}"
    if isinstance(q, MultipleChoice):
        body = " ".join(f"~{_pct(c.fraction)}{_esc(c.text)}{_fb(c.feedback)}" for c in q.choices)
        return f"{head}{{{body}{general}}}"
    if isinstance(q, ShortText):
        body = " ".join(f"={_esc(a)}" for a in q.answers)
        return f"{head}{{{body}{general}}}"
    if isinstance(q, Matching):
        body = " ".join(f"={_esc(p.left)} -> {_esc(p.right)}" for p in q.pairs)
        return f"{head}{{{body}{general}}}"
    if isinstance(q, Numeric):
        tolerance = q.tolerance * abs(q.answer) if q.tolerance_mode == "relative" else q.tolerance
        wrong = f" ~#{_esc(q.feedback_wrong)}" if q.feedback_wrong else ""
        body = f"={q.answer:g}:{round(tolerance, 10):g}{_fb(q.feedback_right)}{wrong}"
        return f"{head}{{#{body}{general}}}"
    return None


SHORT_TEXT_THRESHOLD = next(f.default for f in msgspec.structs.fields(ShortText) if f.name == "threshold")
"""The default fuzzy-match threshold of a short answer (what an import gives back)."""


def gift_text(banks: Sequence[QuizBank]) -> tuple[str, list[str]]:
    """A GIFT file for the banks (one category each) and what could not be written."""
    out = ["// Exporté par Relance (format GIFT de Moodle)", ""]
    skipped: list[str] = []
    for bank in banks:
        out += [f"$CATEGORY: $course$/top/{bank.title}", ""]
        for q in bank.questions:
            text = gift_question(q)
            if text is None:
                kind = type(q).__struct_config__.tag
                skipped.append(f"{bank.id}/{q.id} : type `{kind}` sans équivalent GIFT (exportez en moodle-xml)")
                continue
            if isinstance(q, Numeric) and q.unit:
                skipped.append(f"{bank.id}/{q.id} : unité « {q.unit} » non exprimable en GIFT (réponse exportée sans unité)")
            if isinstance(q, Numeric) and q.tolerance_mode == "relative":
                skipped.append(f"{bank.id}/{q.id} : tolérance relative convertie en tolérance absolue")
            if isinstance(q, ShortText) and q.threshold != SHORT_TEXT_THRESHOLD:
                skipped.append(f"{bank.id}/{q.id} : tolérance aux fautes ({q.threshold}) non transmise (GIFT compare exactement)")
            if q.source:
                out.append(f"// source : {' '.join(q.source.split())}")
            out += [text, ""]
    return "\n".join(out), skipped

