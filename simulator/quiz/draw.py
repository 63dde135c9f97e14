"""Seeded, version-stable draws: question samples, shuffles and variable values.

Why not :class:`random.Random`: a certificate may be re-checked years later,
on another Python, by replaying the same pack hash, seed and answers.
``random.Random``'s ``shuffle``/``sample``/``choice`` are implemented in
Python and have changed between releases (``randrange`` in 3.2, ``sample`` on
sets in 3.11…).  Here every decision is a SHA-256 digest of a text key made of
the seed and *stable names* (quiz id, question id, variable name…), so:

* the draw of one question does not depend on the other questions of the bank
  (adding a question to a bank does not reshuffle the choices of the others);
* the same seed and the same content give the same draw on every platform and
  every Python version (SHA-256 and ``int.from_bytes`` are fixed forever).

Rules
-----
* :func:`stable_shuffle` sorts the items by ``sha256(f"{seed}:{scope}:{key}")``
  where ``key`` is the item's key (its position in the author's list unless
  told otherwise); ties are impossible in practice and broken by position.
* :func:`stable_sample` keeps the ``n`` items with the smallest digests, *in
  the author's order* — shuffling is a separate decision.
* :func:`draw_value` picks a variable's value: one of ``values``, or
  ``min + k × step`` with ``k`` uniform in ``0 … floor((max − min) / step)``
  (computed in :class:`~decimal.Decimal`, so ``0.1`` steps do not drift).
  A range without ``step`` uses a step of 1.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Iterator, Sequence
from decimal import ROUND_FLOOR, Decimal, localcontext
from typing import TypeVar

from simulator.model.quiz import Variable

__all__ = [
    "DEFAULT_STEP",
    "combinations",
    "corner_values",
    "digest",
    "draw_value",
    "nth_value",
    "stable_index",
    "stable_sample",
    "stable_shuffle",
    "to_decimal",
    "value_count",
    "variable_values",
    "well_formed",
]

T = TypeVar("T")

DEFAULT_STEP = Decimal(1)
"""Step of a ``min``/``max`` variable written without ``step``."""


def digest(seed: int | str, *parts: object) -> int:
    """A 256-bit integer from ``seed`` and ``parts``, the same on every platform."""
    key = ":".join(str(p) for p in (seed, *parts))
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest(), "big")


def stable_index(n: int, seed: int | str, *parts: object) -> int:
    """A seeded index in ``range(n)`` (the modulo bias of a 256-bit digest is negligible)."""
    if n <= 0:
        raise ValueError("stable_index needs n >= 1")
    return digest(seed, *parts) % n


def stable_shuffle(
    items: Sequence[T], seed: int | str, *scope: object, keys: Sequence[object] | None = None
) -> list[T]:
    """Return ``items`` in a seeded order; ``keys`` (default: positions) name each item."""
    names = list(keys) if keys is not None else list(range(len(items)))
    if len(names) != len(items):
        raise ValueError("stable_shuffle: one key per item")
    order = sorted(range(len(items)), key=lambda i: (digest(seed, *scope, names[i]), i))
    return [items[i] for i in order]


def stable_sample(
    items: Sequence[T],
    n: int,
    seed: int | str,
    *scope: object,
    keys: Sequence[object] | None = None,
) -> list[T]:
    """Keep ``n`` seeded items of ``items``, in their original order."""
    names = list(keys) if keys is not None else list(range(len(items)))
    if n >= len(items):
        return list(items)
    ranked = sorted(range(len(items)), key=lambda i: (digest(seed, *scope, "draw", names[i]), i))
    kept = sorted(ranked[:n])
    return [items[i] for i in kept]


def to_decimal(value: float | Decimal) -> Decimal:
    """Exact Decimal of a content number (floats through their shortest ``repr``)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(value))


def _range(variable: Variable) -> tuple[Decimal, Decimal, int]:
    """(min, step, count) of a range variable."""
    assert variable.min is not None and variable.max is not None
    low, high = to_decimal(variable.min), to_decimal(variable.max)
    step = to_decimal(variable.step) if variable.step is not None else DEFAULT_STEP
    if high < low or step <= 0:
        raise ValueError(f"variable « {variable.name} » : plage invalide")
    with localcontext() as ctx:
        ctx.prec = 60
        count = int(((high - low) / step).to_integral_value(rounding=ROUND_FLOOR)) + 1
    return low, step, count


def value_count(variable: Variable) -> int:
    """How many values ``variable`` can take."""
    if variable.values:
        return len(variable.values)
    return _range(variable)[2]


def _nth(variable: Variable, k: int) -> Decimal:
    if variable.values:
        value = to_decimal(variable.values[k])
    else:
        low, step, _count = _range(variable)
        with localcontext() as ctx:
            ctx.prec = 60
            value = low + step * k
    # YAML gives 3.0 for `3` in a float list: keep whole numbers whole (3, not 3.0).
    return value.to_integral_value() if value == value.to_integral_value() else value


def draw_value(variable: Variable, seed: int | str, *scope: object) -> Decimal:
    """The seeded value of ``variable`` (see the module docstring)."""
    if not variable.values and (variable.min is None or variable.max is None):
        raise ValueError(f"variable « {variable.name} » : ni `values` ni `min`/`max`")
    k = stable_index(value_count(variable), seed, *scope, "var", variable.name)
    return _plain(_nth(variable, k))


def variable_values(variable: Variable) -> Iterator[Decimal]:
    """Every value of ``variable`` in increasing position (lazily: ranges can be long)."""
    for k in range(value_count(variable)):
        yield _plain(_nth(variable, k))


def corner_values(variable: Variable) -> tuple[Decimal, ...]:
    """The first and the last value (the "corners" used by bounded content checks)."""
    n = value_count(variable)
    first, last = _plain(_nth(variable, 0)), _plain(_nth(variable, n - 1))
    return (first,) if n == 1 else (first, last)


def nth_value(variable: Variable, k: int) -> Decimal:
    """The ``k``-th value of ``variable`` (0-based)."""
    return _plain(_nth(variable, k))


def _plain(value: Decimal) -> Decimal:
    """``1.5E+6`` → ``1500000``: keep values printable as plain digits."""
    if value.as_tuple().exponent > 0:  # type: ignore[operator]
        return value.quantize(Decimal(1))
    return value


def well_formed(variables: Sequence[Variable]) -> bool:
    """Names unique, and each variable either ``values`` or a ``min`` ≤ ``max`` range."""
    names = [v.name for v in variables]
    if len(set(names)) != len(names):
        return False
    for v in variables:
        if v.values:
            if v.min is not None or v.max is not None or v.step is not None:
                return False
        elif v.min is None or v.max is None or v.min > v.max:
            return False
    return True


def combinations(
    variables: Sequence[Variable], *salt: object, max_grid: int, sample: int, max_corner_variables: int = 8
) -> Iterator[dict[str, Decimal]]:
    """The combinations of values a bounded content check examines.

    Every combination when there are at most ``max_grid``; otherwise the
    corners (every variable at its first or last value; all-first and all-last
    only above ``max_corner_variables`` variables) then ``sample`` combinations
    drawn with ``salt`` — bounded work, the same at every run.
    """
    if not variables:
        yield {}
        return
    counts = [value_count(v) for v in variables]
    names = [v.name for v in variables]
    if math.prod(counts) <= max_grid:
        for combo in itertools.product(*(list(variable_values(v)) for v in variables)):
            yield dict(zip(names, combo, strict=True))
        return
    corners = [corner_values(v) for v in variables]
    if len(variables) <= max_corner_variables:
        for combo in itertools.product(*corners):
            yield dict(zip(names, combo, strict=True))
    else:
        yield {n: c[0] for n, c in zip(names, corners, strict=True)}
        yield {n: c[-1] for n, c in zip(names, corners, strict=True)}
    for s in range(sample):
        yield {
            v.name: nth_value(v, stable_index(count, *salt, s, v.name))
            for v, count in zip(variables, counts, strict=True)
        }
