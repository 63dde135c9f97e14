"""Content problems as data.

A :class:`Problem` says where (file, line, column, path inside the document,
object id), what (a stable ``code`` and a French message) and how to fix it
(``hint``). Validators append to a :class:`Problems` collector and never raise
for bad content; the loader decides what to do with the records.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import msgspec

__all__ = ["Problem", "Problems", "did_you_mean", "display", "format_path", "locate_in_file", "located_problem"]

Severity = Literal["error", "warning"]


class Problem(msgspec.Struct, frozen=True, kw_only=True):
    """One problem found in a content file."""

    file: str
    """Path of the file, as given or relative to the current directory."""
    line: int = 0
    """1-based line; 0 when the problem concerns the whole file."""
    column: int = 0
    """1-based column; 0 when unknown."""
    path: str = ""
    """Path inside the document, e.g. ``objections[1].criteria[0].kind``."""
    object_id: str = ""
    """Id of the nearest enclosing object that has one."""
    code: str
    """Stable machine code, e.g. ``unknown-key``."""
    message: str
    """What is wrong, in French."""
    hint: str = ""
    """How to fix it, in French (e.g. « vouliez-vous dire `tresorerie-tendue` ? »)."""
    severity: Severity = "error"

    def format(self) -> str:
        """``file:line:col: error CODE: message (hint)``, the format of compilers."""
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column or 1}"
        text = f"{where}: {self.severity} {self.code}: {self.message}"
        if self.path:
            text += f" [{self.path}]"
        if self.hint:
            text += f" ({self.hint})"
        return text


class Problems:
    """An ordered collector of problems."""

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def add(self, problem: Problem) -> None:
        self._items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self._items.extend(problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self._items if p.severity == "error"]

    def sorted(self) -> list[Problem]:
        return sorted(self._items, key=lambda p: (p.file, p.line, p.column, p.code))


def did_you_mean(word: str, candidates: Sequence[str] | Iterable[str]) -> str:
    """A French "did you mean" hint, or ``""`` when nothing is close."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"vouliez-vous dire `{matches[0]}` ?" if matches else ""


def format_path(parts: Sequence[str | int]) -> str:
    """``('steps', 0, 'criteria')`` → ``steps[0].criteria``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# ------------------------------------------------------------------ locating problems in files


def display(path: Path) -> str:
    """A path as shown in problems: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def locate_in_file(file: str | Path, path: tuple[str | int, ...], key: bool = False) -> tuple[int, int]:
    """Line and column of ``path`` in a file, re-composing it (used after the fact)."""
    from simulator.content.yaml_source import locate

    try:
        stat = Path(file).stat()
    except OSError:
        return 0, 0
    node = _composed(str(file), stat.st_mtime_ns, stat.st_size)
    return (0, 0) if node is None else locate(node, path, key)


@functools.lru_cache(maxsize=32)
def _composed(file: str, _mtime_ns: int, _size: int) -> Any:
    """The node tree of a file, composed once however many problems it has.

    Keyed by modification time and size too, so an edited file is re-read.
    """
    import yaml

    try:
        return yaml.compose(Path(file).read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def located_problem(file: str | Path, path: tuple[str | int, ...] = (), **fields: Any) -> Problem:
    """A problem about ``path`` in ``file``, with its line and column and the file as shown to users."""
    line, column = locate_in_file(file, path) if path else (0, 0)
    return Problem(file=display(Path(file)), line=line, column=column, path=format_path(path), **fields)


