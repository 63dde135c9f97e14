"""Semantic checks of a schema-valid pack (the second validation pass).

Schema validation says each file is well-formed; these checks say the pack
makes sense: ids unique across the pack, regular expressions that compile,
choice questions with a correct answer, fractions that can reach full marks,
formulas that evaluate for every value of their variables… Cross-pack
references are checked by :mod:`simulator.content.library`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from simulator.content.problems import Problem, did_you_mean, format_path, located_problem
from simulator.model import Pack
from simulator.model.checks import Located, PackCheck, register_check, registered_checks
from simulator.model.criteria import ForbiddenCriterion, PatternCriterion

__all__ = ["PackCheck", "Located", "check_pack", "register_check"]

PathT = tuple[str | int, ...]


def _all_objects(pack: Pack) -> Iterator[Any]:
    yield from pack.methods
    yield from pack.personas
    yield from pack.cases
    yield from pack.objections
    yield from pack.quizzes
    yield from pack.case_studies
    yield from pack.questionnaires
    yield from pack.goldens
    yield from pack.corpora


def _unique(items: Sequence[Any], attr: str, owner: str, base: PathT, what: str) -> Iterator[Located]:
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        value = getattr(item, attr)
        if value in seen:
            yield Located(
                owner,
                (*base, index, attr),
                "duplicate-id",
                f"{what} `{value}` déjà utilisé(e) dans cet objet",
                f"première occurrence : {format_path((*base, seen[value]))}",
            )
        else:
            seen[value] = index


def _patterns(owner: str, base: PathT, criteria: Sequence[Any]) -> Iterator[Located]:
    for index, criterion in enumerate(criteria):
        if isinstance(criterion, PatternCriterion | ForbiddenCriterion):
            for p_index, pattern in enumerate(criterion.patterns):
                try:
                    re.compile(pattern)
                except re.error as exc:
                    yield Located(
                        owner,
                        (*base, index, "patterns", p_index),
                        "bad-pattern",
                        f"expression régulière invalide : {exc.msg} (position {exc.pos})",
                        "vérifiez parenthèses et crochets ; échappez les caractères spéciaux avec \\",
                    )


_BRACED = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _placeholders(owner: str, path: PathT, lines: Sequence[str]) -> Iterator[Located]:
    """Debtor lines may only cite the case's facts: a typo would be said as typed."""
    from simulator.model.case import PLACEHOLDERS

    for index, line in enumerate(lines):
        for name in _BRACED.findall(line):
            if name not in PLACEHOLDERS:
                yield Located(
                    owner,
                    (*path, index),
                    "unknown-placeholder",
                    f"repère `{{{name}}}` inconnu : le débiteur le dirait tel quel",
                    did_you_mean(name, list(PLACEHOLDERS)) or "repères permis : " + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS),
                    severity="warning",
                )


def _builtin_checks(pack: Pack) -> Iterator[Located]:
    for persona in pack.personas:
        for key in persona.lines.__struct_fields__:
            yield from _placeholders(persona.id, ("lines", key), getattr(persona.lines, key))
        for p_index, po in enumerate(persona.objections):
            yield from _placeholders(persona.id, ("objections", p_index, "lines"), po.lines)
            for key in po.asked.__struct_fields__:
                yield from _placeholders(persona.id, ("objections", p_index, "asked", key), getattr(po.asked, key))
    for objection in pack.objections:
        yield from _placeholders(objection.id, ("phrasings",), objection.phrasings)
    for method in pack.methods:
        yield from _unique(method.steps, "id", method.id, ("steps",), "étape")
        for s_index, step in enumerate(method.steps):
            yield from _unique(step.criteria, "id", method.id, ("steps", s_index, "criteria"), "critère")
            yield from _patterns(method.id, ("steps", s_index, "criteria"), step.criteria)
    for objection in pack.objections:
        yield from _unique(objection.criteria, "id", objection.id, ("criteria",), "critère")
        yield from _patterns(objection.id, ("criteria",), objection.criteria)
    for case in pack.cases:
        yield from _unique(case.invoices, "number", case.id, ("invoices",), "numéro de facture")
        for index, invoice in enumerate(case.invoices):
            if invoice.due < invoice.issued:
                yield Located(
                    case.id,
                    ("invoices", index, "due"),
                    "due-before-issue",
                    f"échéance {invoice.due.isoformat()} antérieure à l'émission {invoice.issued.isoformat()}",
                    "vérifiez les deux dates",
                )
    for quiz in pack.quizzes:
        yield from _unique(quiz.questions, "id", quiz.id, ("questions",), "question")
        if quiz.draw is not None and quiz.draw > len(quiz.questions):
            yield Located(
                quiz.id,
                ("draw",),
                "draw-too-large",
                f"tirage de {quiz.draw} questions pour {len(quiz.questions)} disponibles",
                f"mettez `draw: {len(quiz.questions)}` au plus",
            )
    for study in pack.case_studies:
        yield from _unique(study.questions, "id", study.id, ("questions",), "question")
    for questionnaire in pack.questionnaires:
        yield from _unique(questionnaire.items, "id", questionnaire.id, ("items",), "énoncé")
    seen_items: dict[str, str] = {}
    for corpus in pack.corpora:
        for index, item in enumerate(corpus.items):
            if item.id in seen_items:
                yield Located(
                    corpus.id,
                    ("items", index, "id"),
                    "duplicate-id",
                    f"réplique `{item.id}` déjà présente dans le corpus `{seen_items[item.id]}`",
                    "l'identifiant d'une réplique décide de sa partie (apprentissage, validation, test) : il doit être unique",
                )
            else:
                seen_items[item.id] = corpus.id
    modules = pack.manifest.modules
    yield from _unique(modules, "id", pack.manifest.id, ("modules",), "module")
    for m_index, module in enumerate(modules):
        yield from _unique(module.objectives, "id", pack.manifest.id, ("modules", m_index, "objectives"), "objectif")


def check_pack(pack: Pack, documents: Sequence[tuple[str, Any, str]], root: Path) -> list[Problem]:
    """Every semantic problem of one pack, located in its files."""
    file_of: dict[str, str] = {}
    problems: list[Problem] = []
    # Ids are unique across the pack, whatever their kind.
    for shown, obj, _rel in documents:
        if obj.id in file_of:
            problems.append(
                located_problem(
                    shown,
                    ("id",),
                    object_id=obj.id,
                    code="duplicate-id",
                    message=f"l'identifiant `{obj.id}` est déjà utilisé dans {file_of[obj.id]}",
                    hint="chaque objet d'un pack a un identifiant unique : renommez l'un des deux",
                )
            )
        else:
            file_of[obj.id] = shown
    manifest = str(root / "pack.yaml")
    checks: list[PackCheck] = [_builtin_checks, *registered_checks()]
    for run in checks:
        for found in run(pack):
            file = file_of.get(found.object_id, manifest) if found.object_id != pack.manifest.id else manifest
            problems.append(
                located_problem(
                    file,
                    found.path,
                    object_id=found.object_id,
                    code=found.code,
                    message=found.message,
                    hint=found.hint,
                    severity=found.severity,  # type: ignore[arg-type]
                )
            )
    return problems

