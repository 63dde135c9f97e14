"""French lemmas for the learned layer, by ``simplemma`` (imported on first use).

``simplemma`` is a small, dependency-free lemmatiser whose French dictionary
ships inside the wheel: no download, the same lemma on every machine.
"""

from __future__ import annotations

import functools

__all__ = ["lemmatize"]


@functools.lru_cache(maxsize=1)
def _simplemma():  # type: ignore[no-untyped-def]
    import simplemma

    return simplemma


@functools.lru_cache(maxsize=16384)
def lemmatize(token: str) -> str:
    """The lemma of one lower-case French word (the word itself when unknown)."""
    try:
        return _simplemma().lemmatize(token, lang="fr")
    except (ValueError, LookupError):  # pragma: no cover - defensive: odd input
        return token
