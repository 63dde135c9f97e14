"""Canonical JSON (RFC 8785) and content hashes shared by exports, attestations and verification."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import rfc8785

__all__ = ["canonical", "content_hash", "pretty"]


def canonical(value: Any) -> bytes:
    """RFC 8785 (JCS) bytes of a JSON value: key order and number forms fixed, so any
    re-serialisation of the same data gives the same bytes."""
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise ValueError(f"value cannot be canonicalised as JSON: {exc}") from None


def content_hash(value: Any) -> str:
    """``sha256:<hex>`` of the canonical JSON of ``value`` (the transcript hash)."""
    return "sha256:" + hashlib.sha256(canonical(value)).hexdigest()


def pretty(value: Any) -> str:
    """Human-readable, deterministic JSON text (sorted keys, UTF-8 kept, final newline)."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
