"""The YAML traps a trainer falls into, explained in French at the right place.

Three traps account for most failed first files:

* a value that starts with ``{`` (``- {company} vous rappelle``) is read as a
  flow dictionary, and one that starts with ``[`` as a list;
* a plain line containing ``: `` (``- Je rappelle: demain``) is read as a new
  key, or refused ("mapping values are not allowed here");
* an amount written the French way (``amount: 14 400,00 €``) is text, not a
  number.

The first two get a message that says « mettez la ligne entre guillemets » at
the column where the quote goes; French amounts are accepted as written
(:func:`accept_french_amounts`), and an amount that still cannot be read says
exactly how to write one.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import msgspec.inspect as mi
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = [
    "AMOUNT_HINT",
    "accept_french_amounts",
    "money_fields",
    "parse_french_amount",
    "quoting_hint",
    "syntax_trap",
]

QUOTE_HINT = "mettez la ligne entre guillemets"
AMOUNT_HINT = "écrivez le montant en chiffres, par exemple `14400.00` ou « 14 400,00 € »"

_AMOUNT = re.compile(
    r"^\s*(?P<num>\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+)(?:[,.](?P<dec>\d{1,2}))?\s*(?:€|eur|euros?|\$|cad)?\s*$",
    re.IGNORECASE,
)


def parse_french_amount(text: str) -> float | None:
    """``14 400,00 €`` → 14400.0; ``14400.5`` → 14400.5; None if it is not an amount."""
    match = _AMOUNT.match(text)
    if match is None:
        return None
    whole = re.sub(r"[ \u00a0\u202f.]", "", match.group("num"))
    decimals = match.group("dec") or "0"
    return float(f"{whole}.{decimals}")


@functools.cache
def money_fields() -> frozenset[str]:
    """Names of the model's amount fields (``amount``, ``min_down_payment``…)."""
    from simulator.model import DOCUMENT_TYPES

    names: set[str] = set()
    seen: set[type] = set()

    def is_money(t: mi.Type) -> bool:
        if isinstance(t, mi.UnionType):
            return any(is_money(x) for x in t.types)
        if isinstance(t, mi.Metadata):
            t = t.type
        return isinstance(t, mi.FloatType) and t.ge == 0 and t.le == 1_000_000_000

    def walk(t: mi.Type) -> None:
        if isinstance(t, mi.Metadata):
            walk(t.type)
        elif isinstance(t, mi.StructType):
            if t.cls in seen:
                return
            seen.add(t.cls)
            for field in t.fields:
                if is_money(field.type):
                    names.add(field.encode_name)
                walk(field.type)
        elif isinstance(t, mi.UnionType):
            for x in t.types:
                walk(x)
        elif isinstance(t, mi.VarTupleType | mi.ListType):
            walk(t.item_type)

    for cls in DOCUMENT_TYPES:
        walk(mi.type_info(cls))
    return frozenset(names)


def accept_french_amounts(data: Any) -> Any:
    """Turn amounts written as French text into numbers, in place; return ``data``."""
    fields = money_fields()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in fields and isinstance(value, str):
                    number = parse_french_amount(value)
                    if number is not None:
                        item[key] = number
                elif isinstance(value, dict | list):
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, dict | list))
    return data


def _node_at(node: Node, path: tuple[str | int, ...]) -> Node | None:
    current: Node = node
    for part in path:
        if isinstance(current, MappingNode):
            for key_node, value_node in current.value:
                if isinstance(key_node, ScalarNode) and key_node.value == str(part):
                    current = value_node
                    break
            else:
                return None
        elif isinstance(current, SequenceNode) and isinstance(part, int) and 0 <= part < len(current.value):
            current = current.value[part]
        else:
            return None
    return current


def quoting_hint(root: Node, path: tuple[str | int, ...], text: str) -> tuple[str, int, int] | None:
    """When a text was expected but YAML built a dictionary or a list, say why.

    Returns (hint, line, column) pointing at the start of the value, where the
    opening quote goes; None when the value is not one of the traps.
    """
    node = _node_at(root, path)
    if node is None or not isinstance(node, MappingNode | SequenceNode):
        return None
    line, column = node.start_mark.line, node.start_mark.column
    source = text.splitlines()[line] if line < len(text.splitlines()) else ""
    if node.flow_style:
        opener = source[column : column + 1] or "{"
        kind = "un dictionnaire" if opener == "{" else "une liste"
        return (
            f"une valeur qui commence par `{opener}` est lue comme {kind} YAML : {QUOTE_HINT} "
            f"(\"{source[column:].strip()}\")",
            line + 1,
            column + 1,
        )
    if isinstance(node, MappingNode) and len(node.value) == 1:
        return (
            f"le texte contient « : » et YAML le lit comme une clé : {QUOTE_HINT} "
            f"(\"{source[column:].strip()}\")",
            line + 1,
            column + 1,
        )
    return None


_VALUE_START = re.compile(r"^(\s*(?:-\s+)*(?:[^\s#'\"{\[][^:#]*?:\s+)?(?:-\s+)*)")


def syntax_trap(text: str, line: int, message: str) -> tuple[str, str, int, int] | None:
    """Explain a YAML syntax error caused by a trap: (message, hint, line, column), 1-based.

    ``line`` is the 0-based line of the parser's mark. The line itself and the
    one before are examined (the parser often notices the trap one token late).
    """
    lines = text.splitlines()
    for number in (line, line - 1):
        if not 0 <= number < len(lines):
            continue
        source = lines[number]
        if source.lstrip().startswith("#"):
            continue
        prefix = _VALUE_START.match(source)
        start = len(prefix.group(1)) if prefix else 0
        value = source[start:]
        if value[:1] in "{[" and _has_text_after_flow(value):
            opener = value[0]
            kind = "un dictionnaire" if opener == "{" else "une liste"
            return (
                f"une valeur qui commence par `{opener}` est lue comme {kind} YAML",
                f"{QUOTE_HINT} : \"{value.strip()}\"",
                number + 1,
                start + 1,
            )
        if "mapping values are not allowed" in message and number == line and ": " in value:
            return (
                "le texte contient « : » suivi d'une espace, que YAML lit comme une nouvelle clé",
                f"{QUOTE_HINT} : \"{value.strip()}\"",
                number + 1,
                start + 1,
            )
    return None


def _has_text_after_flow(value: str) -> bool:
    """``{company} vous rappelle`` (a trap) versus ``{id: x, text: y}`` (a real flow mapping)."""
    depth = 0
    for index, char in enumerate(value):
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                rest = value[index + 1 :].strip()
                return bool(rest) and not rest.startswith("#")
    return True

