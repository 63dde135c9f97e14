"""Collect every schema problem of a document, not only the first.

msgspec stops at the first error of a document. That is the fast path for
valid content; when it fails, this walker runs over the same type information
(``msgspec.inspect``) and reports every problem with its path, so a trainer
fixes a file in one go. The walker follows the model's constraints exactly;
if it ever finds nothing where msgspec failed, the loader reports msgspec's own
message instead (never silence).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from typing import Any

import msgspec.inspect as mi

from simulator.content.problems import did_you_mean

__all__ = ["SchemaIssue", "check"]

Path = tuple[str | int, ...]


class SchemaIssue:
    """One schema problem: where (path), what (code, message) and a hint."""

    __slots__ = ("code", "hint", "is_key", "message", "path")

    def __init__(self, path: Path, code: str, message: str, hint: str = "", is_key: bool = False):
        self.path = path
        self.code = code
        self.message = message
        self.hint = hint
        self.is_key = is_key

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"SchemaIssue({self.path!r}, {self.code!r}, {self.message!r})"


_KIND_NAMES = {
    mi.IntType: "un nombre entier",
    mi.FloatType: "un nombre",
    mi.StrType: "un texte",
    mi.BoolType: "`true` ou `false`",
    mi.DateType: "une date (AAAA-MM-JJ)",
    mi.NoneType: "rien (`null`)",
    mi.VarTupleType: "une liste",
    mi.ListType: "une liste",
    mi.StructType: "un dictionnaire de clés",
    mi.DictType: "un dictionnaire de clés",
}


def _found(value: Any) -> str:
    if value is None:
        return "rien"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, int | float):
        return f"le nombre {value}"
    if isinstance(value, str):
        short = value if len(value) <= 30 else value[:27] + "…"
        return f"le texte « {short} »"
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, dict):
        return "un dictionnaire"
    if isinstance(value, dt.date):
        return f"la date {value.isoformat()}"
    return type(value).__name__


def _shown(value: Any) -> str:
    return f"« {value} »" if isinstance(value, str) else _found(value)


def _expected(t: mi.Type) -> str:
    while isinstance(t, mi.Metadata):
        t = t.type
    if isinstance(t, mi.LiteralType):
        return "l'une des valeurs " + ", ".join(f"`{v}`" for v in t.values)
    if isinstance(t, mi.UnionType):
        return " ou ".join(_expected(x) for x in t.types)
    return _KIND_NAMES.get(type(t), "une autre valeur")


@functools.cache
def _info(tp: Any) -> mi.Type:
    return mi.type_info(tp)


@functools.cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def check(value: Any, tp: Any) -> list[SchemaIssue]:
    """Every schema problem of ``value`` against the model type ``tp``."""
    return list(_walk(value, _info(tp), ()))


def _walk(value: Any, t: mi.Type, path: Path) -> Iterator[SchemaIssue]:
    while isinstance(t, mi.Metadata):
        t = t.type
    if isinstance(t, mi.AnyType):
        return
    if isinstance(t, mi.UnionType):
        yield from _union(value, t, path)
        return
    if isinstance(t, mi.StructType):
        yield from _struct(value, t, path)
        return
    if isinstance(t, mi.VarTupleType | mi.ListType):
        if not isinstance(value, list):
            yield _type_issue(value, t, path)
            return
        yield from _length(value, t, path, "élément")
        for index, item in enumerate(value):
            yield from _walk(item, t.item_type, (*path, index))
        return
    if isinstance(t, mi.DictType):
        if not isinstance(value, dict):
            yield _type_issue(value, t, path)
            return
        for k, v in value.items():
            yield from _walk(k, t.key_type, (*path, str(k)))
            yield from _walk(v, t.value_type, (*path, str(k)))
        return
    if isinstance(t, mi.LiteralType):
        if value not in t.values or isinstance(value, bool) != any(
            isinstance(v, bool) for v in t.values
        ):
            words = [str(v) for v in t.values]
            hint = did_you_mean(str(value), words) if isinstance(value, str) else ""
            yield SchemaIssue(
                path,
                "unknown-value",
                f"valeur {_shown(value)} inconnue ; valeurs permises : "
                + ", ".join(f"`{w}`" for w in words),
                hint,
            )
        return
    if isinstance(t, mi.BoolType):
        if not isinstance(value, bool):
            yield _type_issue(value, t, path)
        return
    if isinstance(t, mi.IntType):
        if not isinstance(value, int) or isinstance(value, bool):
            yield _type_issue(value, t, path)
            return
        yield from _range(value, t, path)
        return
    if isinstance(t, mi.FloatType):
        if not isinstance(value, int | float) or isinstance(value, bool):
            yield _type_issue(value, t, path)
            return
        if value != value or value in (float("inf"), float("-inf")):
            yield SchemaIssue(path, "out-of-range", "nombre non fini (nan, inf) interdit")
            return
        yield from _range(value, t, path)
        return
    if isinstance(t, mi.StrType):
        if not isinstance(value, str):
            hint = ""
            if isinstance(value, bool):
                hint = "YAML lit oui/non/yes/no/on/off comme des booléens : mettez le texte entre guillemets"
            elif isinstance(value, int | float | dt.date):
                hint = "mettez la valeur entre guillemets"
            yield SchemaIssue(
                path,
                "wrong-type",
                f"type incorrect : {_expected(t)} attendu, {_found(value)} trouvé",
                hint,
            )
            return
        yield from _length(value, t, path, "caractère")
        if t.pattern is not None and not _regex(t.pattern).search(value):
            yield SchemaIssue(path, "bad-format", _pattern_message(value, t.pattern), _pattern_hint(value, t.pattern))
        return
    if isinstance(t, mi.DateType):
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
            yield _type_issue(value, t, path)
            return
        if isinstance(value, str):
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                yield SchemaIssue(
                    path,
                    "bad-format",
                    f"date invalide {_found(value)}",
                    "écrivez la date au format AAAA-MM-JJ, par exemple 2026-11-17",
                )
        return
    if isinstance(t, mi.NoneType):
        if value is not None:
            yield _type_issue(value, t, path)
        return
    # Types the model does not use are left to msgspec.


def _type_issue(value: Any, t: mi.Type, path: Path) -> SchemaIssue:
    return SchemaIssue(path, "wrong-type", f"type incorrect : {_expected(t)} attendu, {_found(value)} trouvé")


def _pattern_message(value: str, pattern: str) -> str:
    if pattern.startswith("^[a-z0-9]"):
        return f"identifiant « {value} » invalide : minuscules, chiffres et tirets seulement"
    return f"format invalide pour « {value} »"


def _pattern_hint(value: str, pattern: str) -> str:
    if pattern.startswith("^[a-z0-9]"):
        import unicodedata

        folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
        slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
        return f"par exemple `{slug}`" if slug else ""
    if "\\d+\\.\\d+" in pattern:
        return "par exemple `1.0.0`"
    if "[01]" in pattern:
        return "heure au format HH:MM, par exemple `10:15`"
    return ""


def _length(value: Any, t: Any, path: Path, unit: str) -> Iterator[SchemaIssue]:
    n = len(value)
    if t.min_length is not None and n < t.min_length:
        if unit == "caractère" and n == 0:
            yield SchemaIssue(path, "empty-value", "valeur vide interdite", "écrivez un texte ou retirez la clé")
        else:
            yield SchemaIssue(
                path,
                "too-short",
                f"au moins {t.min_length} {unit}(s) attendu(s), {n} trouvé(s)",
            )
    if t.max_length is not None and n > t.max_length:
        yield SchemaIssue(path, "too-long", f"au plus {t.max_length} {unit}(s) permis, {n} trouvé(s)")


def _range(value: float, t: Any, path: Path) -> Iterator[SchemaIssue]:
    bounds = []
    bad = False
    if t.ge is not None:
        bounds.append(f"≥ {t.ge}")
        bad |= value < t.ge
    if t.gt is not None:
        bounds.append(f"> {t.gt}")
        bad |= value <= t.gt
    if t.le is not None:
        bounds.append(f"≤ {t.le}")
        bad |= value > t.le
    if t.lt is not None:
        bounds.append(f"< {t.lt}")
        bad |= value >= t.lt
    if bad:
        yield SchemaIssue(path, "out-of-range", f"valeur {value} hors limites (attendu {' et '.join(bounds)})")


def _union(value: Any, t: mi.UnionType, path: Path) -> Iterator[SchemaIssue]:
    types = t.types
    if value is None and any(isinstance(x, mi.NoneType) for x in types):
        return
    others = [x.type if isinstance(x, mi.Metadata) else x for x in types if not isinstance(x, mi.NoneType)]
    structs = [x for x in others if isinstance(x, mi.StructType)]
    if structs and len(structs) == len(others) and structs[0].tag_field is not None:
        yield from _tagged(value, structs, path)
        return
    if len(others) == 1:
        yield from _walk(value, others[0], path)
        return
    best: list[SchemaIssue] | None = None
    for option in others:
        issues = list(_walk(value, option, path))
        if not issues:
            return
        if best is None or len(issues) < len(best):
            best = issues
    yield from best or []


def _tagged(value: Any, structs: list[mi.StructType], path: Path) -> Iterator[SchemaIssue]:
    field = structs[0].tag_field
    assert field is not None
    tags = {str(s.tag): s for s in structs}
    if not isinstance(value, dict):
        yield SchemaIssue(path, "wrong-type", f"type incorrect : un dictionnaire de clés attendu, {_found(value)} trouvé")
        return
    if field not in value:
        yield SchemaIssue(
            path,
            "missing-key",
            f"clé `{field}` manquante",
            "valeurs possibles : " + ", ".join(f"`{k}`" for k in tags),
        )
        return
    tag = value[field]
    chosen = tags.get(tag) if isinstance(tag, str) else None
    if chosen is None:
        hint = did_you_mean(str(tag), list(tags))
        yield SchemaIssue(
            (*path, field),
            "unknown-kind",
            f"`{field}: {tag}` inconnu ; valeurs permises : " + ", ".join(f"`{k}`" for k in tags),
            hint,
        )
        return
    yield from _struct(value, chosen, path)


def _struct(value: Any, t: mi.StructType, path: Path) -> Iterator[SchemaIssue]:
    if not isinstance(value, dict):
        yield SchemaIssue(path, "wrong-type", f"type incorrect : un dictionnaire de clés attendu, {_found(value)} trouvé")
        return
    names = {f.encode_name: f for f in t.fields}
    allowed = list(names)
    if t.tag_field is not None:
        allowed.append(t.tag_field)
    for key in value:
        if key == t.tag_field:
            continue
        if not isinstance(key, str):
            yield SchemaIssue(
                (*path, str(key)),
                "wrong-type",
                f"clé {_found(key)} : les clés doivent être des textes",
                "YAML lit yes/no/on/off comme des booléens : mettez la clé entre guillemets",
                is_key=True,
            )
            continue
        if key not in names:
            hint = did_you_mean(key, allowed) or "clés permises : " + ", ".join(f"`{k}`" for k in allowed)
            yield SchemaIssue((*path, key), "unknown-key", f"clé `{key}` inconnue", hint, is_key=True)
    for name, field in names.items():
        if name in value:
            yield from _walk(value[name], field.type, (*path, name))
        elif field.required:
            yield SchemaIssue(path, "missing-key", f"clé obligatoire `{name}` manquante", "")
