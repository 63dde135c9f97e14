"""Helpers shared by the app tests."""

from __future__ import annotations


def correct_answer(prepared) -> str:
    """What a trainee who knows the answer types, in the app's input conventions."""
    q = prepared.question
    kind = prepared.kind
    if kind == "single":
        return str(next(i for i, o in enumerate(prepared.options, 1) if any(c.correct and c.text == o for c in q.choices)))
    if kind == "multiple":
        good = {c.text for c in q.choices if c.fraction > 0}
        return ",".join(str(i) for i, o in enumerate(prepared.options, 1) if o in good)
    if kind == "truefalse":
        return "V" if q.answer else "F"
    if kind == "numeric":
        return str(q.answer).replace(".", ",")
    if kind == "calculated":
        return str(prepared.expected).replace(".", ",")
    if kind == "ordering":
        return ",".join(str(prepared.options.index(item) + 1) for item in q.items)
    if kind == "matching":
        return ",".join(str(prepared.options.index(pair.right) + 1) for pair in q.pairs)
    if kind == "text":
        return q.answers[0]
    raise AssertionError(kind)


def wrong_answer(prepared) -> str:
    """A readable but wrong answer where the kind allows one (else the right answer)."""
    q = prepared.question
    if prepared.kind == "single":
        return str(next(i for i, o in enumerate(prepared.options, 1) if not any(c.correct and c.text == o for c in q.choices)))
    if prepared.kind == "truefalse":
        return "F" if q.answer else "V"
    if prepared.kind in ("numeric", "calculated"):
        return "0"
    return correct_answer(prepared)


def shown_text(widget) -> str:
    """What a widget shows on screen, as plain text (all its lines)."""
    from textual.geometry import Region

    width, height = widget.size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))
