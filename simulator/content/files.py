"""Reading one pack file: regular files only, never more than a bound.

A pack comes from anyone. A FIFO named ``pack.yaml`` would block a plain ``open`` forever, and a
symlink to ``/dev/zero`` or ``/dev/urandom`` reports a size of 0 while never ending. So a file is
opened without blocking (``O_NONBLOCK``: opening a FIFO returns at once), checked on the open
descriptor (``fstat``: no window between the check and the read), and read up to the limit plus
one byte only. Anything that is not a regular file is a located problem, not a hang.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["MAX_FILE_BYTES", "FileRefused", "read_regular_file"]

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Largest content file accepted (2 MiB); split bigger banks into several files."""

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_KINDS = (
    (stat.S_ISFIFO, "un tube nommé (FIFO)"),
    (stat.S_ISCHR, "un périphérique (caractères)"),
    (stat.S_ISBLK, "un périphérique (blocs)"),
    (stat.S_ISSOCK, "une socket"),
    (stat.S_ISDIR, "un dossier"),
)


class FileRefused(Exception):
    """The file cannot be read as content: ``code`` and a French ``message`` and ``hint``."""

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


def _kind(mode: int) -> str:
    for test, label in _KINDS:
        if test(mode):
            return label
    return "un fichier spécial"


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` (symlinks followed) if it is a regular file of at most ``limit`` bytes.

    Raises :class:`FileRefused` (``not-regular-file``, ``file-too-large``, ``unreadable``).
    """
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise FileRefused("unreadable", f"fichier illisible : {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(
                "not-regular-file",
                f"ce n'est pas un fichier ordinaire mais {_kind(info.st_mode)} : il n'est pas lu",
                "un pack ne contient que des fichiers texte ; retirez-le ou renommez-le sans .yaml",
            )
        if info.st_size > limit:
            raise FileRefused(*_too_large(info.st_size, limit))
        if _NONBLOCK:
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        raise FileRefused("unreadable", f"fichier illisible : {exc.strerror}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        # The file grew between fstat and the read: still bounded.
        raise FileRefused(*_too_large(len(data), limit))
    return data


def _too_large(size: int, limit: int) -> tuple[str, str, str]:
    return (
        "file-too-large",
        f"fichier trop volumineux ({size / 1048576:.2f} Mio, maximum {limit / 1048576:g} Mio)",
        "répartissez le contenu dans plusieurs fichiers",
    )
