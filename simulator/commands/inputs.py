"""Reading the user's input files (replies, answers, transcripts) safely."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from simulator.errors import UsageError

__all__ = ["MAX_INPUT_BYTES", "read_bytes", "read_json", "read_replies", "read_text"]

MAX_INPUT_BYTES = 1024 * 1024
"""Largest input file accepted on the command line (1 MiB)."""


def read_bytes(path: str, what: str) -> bytes:
    """A user file's bytes (``-``: standard input), at most 1 MiB, or a :class:`UsageError`."""
    if path == "-":
        import sys

        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    else:
        p = Path(path)
        if not p.exists():
            raise UsageError(f"{what} introuvable : {path}")
        if p.is_dir():
            raise UsageError(f"{what} : {path} est un dossier, pas un fichier")
        try:
            with p.open("rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            raise UsageError(f"{what} illisible : {path} ({exc.strerror})") from None
    if len(data) > MAX_INPUT_BYTES:
        raise UsageError(f"{what} trop volumineux : {path} (maximum 1 Mio)")
    return data


def read_text(path: str, what: str) -> str:
    """The UTF-8 text of a user file, or a :class:`UsageError` saying why not."""
    try:
        return read_bytes(path, what).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{what} : {path} n'est pas en UTF-8", "enregistrez le fichier en UTF-8") from None


def read_replies(path: str) -> list[str]:
    """Trainee replies: a YAML/JSON list (``.yaml``, ``.yml``, ``.json``) or one reply per line.

    In a plain text file, blank lines and lines starting with ``#`` are skipped.
    A YAML list is read with the content loader's bounds (no tags, no alias bombs).
    """
    if path.endswith((".yaml", ".yml", ".json")):
        from simulator.content.yaml_source import load_yaml_bytes

        document, problems = load_yaml_bytes(read_bytes(path, "fichier de répliques"), path, root=list)
        if document is None:
            problem = problems[0]
            if problem.code == "empty-file":
                raise UsageError(f"fichier de répliques vide : {path}")
            if problem.code == "root-not-mapping":
                raise UsageError(
                    f"fichier de répliques : {path} doit contenir une liste de textes",
                    "une réplique par élément : `- Bonjour, …`",
                )
            where = f" (ligne {problem.line})" if problem.line else ""
            raise UsageError(f"fichier de répliques illisible{where} : {path} — {problem.message}", problem.hint)
        data = document.data
        if not all(isinstance(x, str | int | float) and not isinstance(x, bool) for x in data):
            raise UsageError(
                f"fichier de répliques : {path} doit contenir une liste de textes",
                "une réplique par élément : `- Bonjour, …`",
            )
        replies = [str(x) for x in data]
        blank = next((n for n, reply in enumerate(replies, 1) if not reply.strip()), None)
        if blank is not None:
            raise UsageError(
                f"fichier de répliques : {path} — l'élément n° {blank} est vide",
                "retirez-le ou écrivez la réplique",
            )
    else:
        text = read_text(path, "fichier de répliques")
        replies = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not replies:
        raise UsageError(f"fichier de répliques vide : {path}")
    return replies


def read_json(path: str, what: str) -> Any:
    """A JSON document, or a :class:`UsageError`."""
    text = read_text(path, what)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{what} : JSON invalide dans {path} (ligne {exc.lineno}, colonne {exc.colno})") from None
