"""Text shown in a terminal never drives the terminal.

Replies, reply files, names, attestations and exports come from anyone; a terminal obeys what
it is sent: ESC sequences recolour or move the cursor, OSC sequences set the window title (or
worse), BEL rings, BS and CR rewrite what was printed, NUL and bidi overrides hide text. So
every character that is not printable text is shown as its ``\\uXXXX`` escape:

* C0 controls (U+0000–U+001F) except tab and newline, DEL (U+007F), C1 controls (U+0080–U+009F);
* the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which can
  make a reply read differently from what it is.

The escape form is the JSON one, so JSON written through :class:`VisibleStream` stays valid and
means the same (such characters can only appear inside JSON strings). The stored data — the
transcript, the store, a file export — keeps the text as typed: only what a terminal is shown
goes through here. Standard library only: the core and the app both use it.
"""

from __future__ import annotations

import io
import re
from typing import Any, TextIO

__all__ = ["UNSAFE", "VisibleStream", "has_unsafe", "pictures", "raw_stream", "visible"]

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Characters never sent raw to a terminal (tab and newline are kept)."""


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def visible(text: str) -> str:
    """``text`` with every terminal-driving character shown as ``\\uXXXX``."""
    return UNSAFE.sub(_escape, text) if UNSAFE.search(text) else text


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ (Unicode control pictures)
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 and bidi controls: the replacement character


def pictures(text: str) -> str:
    """``text`` with each terminal-driving character replaced by one visible character.

    Same length as ``text``, so styled spans computed on the original (the debrief's highlighted
    evidence) still fall on the same characters. Used by the app; the CLI uses :func:`visible`.
    """
    return UNSAFE.sub(_picture, text) if UNSAFE.search(text) else text


def has_unsafe(text: str) -> bool:
    return UNSAFE.search(text) is not None


class VisibleStream(io.TextIOBase):
    """A text stream that writes :func:`visible` text to ``raw``; bytes and raw access pass through.

    ``raw`` is there for output that is data (a CSV export written to a pipe) or that makes its
    own escapes safe (a Rich console styling its own output).
    """

    def __init__(self, raw: TextIO) -> None:
        super().__init__()
        self.raw = raw

    def write(self, text: str) -> int:  # type: ignore[override]
        self.raw.write(visible(text))
        return len(text)

    def writelines(self, lines: Any) -> None:  # type: ignore[override]
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        return self.raw.isatty()

    def fileno(self) -> int:
        return self.raw.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.raw, "encoding", "utf-8")

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.raw, "errors", None)

    @property
    def buffer(self) -> Any:
        return self.raw.buffer  # type: ignore[attr-defined]


def raw_stream(stream: TextIO) -> TextIO:
    """The stream under a :class:`VisibleStream` (or ``stream`` itself)."""
    return stream.raw if isinstance(stream, VisibleStream) else stream  # type: ignore[return-value]
