"""Several packs loaded together, with their references resolved.

References (case → persona, persona → objection, quiz → module…) resolve in
the pack itself and in the packs it declares in ``depends``. The
:class:`Library` is what engines, the CLI and the app work with.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from simulator.content.loader import LoadedPack, load_pack, located_problem
from simulator.content.problems import Problem, did_you_mean, format_path
from simulator.errors import ContentError, NotFoundError
from simulator.locations import BUNDLED_PACKS, project_root
from simulator.model import (
    Case,
    CaseStudy,
    Golden,
    Method,
    Module,
    Objection,
    Pack,
    Persona,
    Questionnaire,
    QuizBank,
)

__all__ = ["Library", "bundled_pack_dirs", "load_library"]

T = TypeVar("T")

_KINDS = {
    "method": ("methods", "méthode"),
    "persona": ("personas", "personnage"),
    "case": ("cases", "dossier"),
    "objection": ("objections", "objection"),
    "quiz": ("quizzes", "quiz"),
    "case-study": ("case_studies", "étude de cas"),
    "questionnaire": ("questionnaires", "questionnaire"),
    "golden": ("goldens", "transcription de référence"),
    "replies": ("corpora", "corpus de répliques étiquetées"),
}


def bundled_pack_dirs() -> list[Path]:
    """The bundled packs: every folder with a pack.yaml under cases/ and quizzes/."""
    root = project_root()
    found: list[Path] = []
    for folder in BUNDLED_PACKS:
        base = root / folder
        if (base / "pack.yaml").is_file():
            found.append(base)
        elif base.is_dir():
            found.extend(sorted(p.parent for p in base.glob("*/pack.yaml")))
    return found


class Library:
    """Packs by id, with lookups across them."""

    def __init__(self, packs: Sequence[Pack], problems: Sequence[Problem] = ()) -> None:
        self.packs: tuple[Pack, ...] = tuple(packs)
        self.problems: tuple[Problem, ...] = tuple(problems)
        self._index: dict[str, dict[str, tuple[Any, Pack]]] = {kind: {} for kind in _KINDS}
        self._modules: dict[str, tuple[Module, Pack]] = {}
        self._objectives: dict[str, tuple[Any, Pack]] = {}
        for pack in self.packs:
            for kind, (field, _label) in _KINDS.items():
                for obj in getattr(pack, field):
                    self._index[kind].setdefault(obj.id, (obj, pack))
            for module in pack.manifest.modules:
                self._modules.setdefault(module.id, (module, pack))
                for objective in module.objectives:
                    self._objectives.setdefault(objective.id, (objective, pack))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def pack(self, pack_id: str) -> Pack:
        for pack in self.packs:
            if pack.id == pack_id:
                return pack
        raise NotFoundError(f"pack `{pack_id}` introuvable", did_you_mean(pack_id, [p.id for p in self.packs]))

    def all(self, kind: str) -> list[Any]:
        return [obj for obj, _pack in self._index[kind].values()]

    def get(self, kind: str, object_id: str) -> Any:
        """The object of ``kind`` with ``object_id``; :class:`NotFoundError` otherwise."""
        try:
            return self._index[kind][object_id][0]
        except KeyError:
            label = _KINDS[kind][1]
            hint = did_you_mean(object_id, list(self._index[kind])) or (
                f"`relance list {_KINDS[kind][0].replace('_', '-')}` affiche les identifiants"
            )
            raise NotFoundError(f"{label} `{object_id}` introuvable", hint) from None

    def pack_of(self, kind: str, object_id: str) -> Pack:
        self.get(kind, object_id)
        return self._index[kind][object_id][1]

    def case(self, case_id: str) -> Case:
        return self.get("case", case_id)  # type: ignore[no-any-return]

    def persona(self, persona_id: str) -> Persona:
        return self.get("persona", persona_id)  # type: ignore[no-any-return]

    def objection(self, objection_id: str) -> Objection:
        return self.get("objection", objection_id)  # type: ignore[no-any-return]

    def quiz(self, quiz_id: str) -> QuizBank:
        return self.get("quiz", quiz_id)  # type: ignore[no-any-return]

    def case_study(self, study_id: str) -> CaseStudy:
        return self.get("case-study", study_id)  # type: ignore[no-any-return]

    def questionnaire(self, questionnaire_id: str) -> Questionnaire:
        return self.get("questionnaire", questionnaire_id)  # type: ignore[no-any-return]

    def module(self, module_id: str) -> Module | None:
        found = self._modules.get(module_id)
        return found[0] if found else None

    def scorer_file(self, case: Case) -> tuple[Path, str] | None:
        """Where the learned layer for a case lives: (weights file, its sha256), or None.

        The weights of the case's own pack come first (a trainer who retrained on
        their replies), then those of the pack of the case's method.
        """
        from simulator.content.loader import SCORER_FILE

        packs = [self.pack_of("case", case.id)]
        try:
            packs.append(self.pack_of("method", self.method_for(case).id))
        except (NotFoundError, ContentError):
            pass
        for pack in packs:
            if pack.scorer:
                return Path(pack.root) / SCORER_FILE, pack.scorer
        return None

    def method_for(self, case: Case) -> Method:
        """The case's method, or the only method visible from its pack."""
        if case.method:
            return self.get("method", case.method)  # type: ignore[no-any-return]
        pack = self.pack_of("case", case.id)
        visible = _visible_methods(pack, self.packs)
        if len(visible) != 1:
            raise ContentError(f"le dossier `{case.id}` doit préciser `method:`")
        return visible[0]


def _visible_methods(pack: Pack, packs: Sequence[Pack]) -> list[Method]:
    by_id = {p.id: p for p in packs}
    methods = list(pack.methods)
    for dep in pack.manifest.depends:
        if dep in by_id:
            methods.extend(by_id[dep].methods)
    return methods


def _scope(pack: Pack, packs: Sequence[Pack]) -> list[Pack]:
    by_id = {p.id: p for p in packs}
    return [pack] + [by_id[d] for d in pack.manifest.depends if d in by_id]


def _ids(scope: Iterable[Pack], field: str) -> set[str]:
    return {obj.id for pack in scope for obj in getattr(pack, field)}


def _reference_problems(packs: Sequence[Pack], broken: frozenset[str] = frozenset()) -> Iterator[Problem]:
    by_id = {p.id: p for p in packs}
    for pack in packs:
        broken_deps = [d for d in pack.manifest.depends if d in broken and d not in by_id]
        if broken_deps:
            # Its references cannot be checked against a pack that did not load;
            # the dependency's own problems are reported, not a cascade of misses.
            yield Problem(
                file=str(Path(pack.root) / "pack.yaml"),
                code="dependency-has-errors",
                object_id=pack.id,
                message=f"pack requis `{broken_deps[0]}` chargé avec des erreurs : références non vérifiées",
                hint="corrigez d'abord les erreurs de ce pack",
            )
            continue
        scope = _scope(pack, packs)
        root = Path(pack.root)
        files = dict(pack.sources)

        def problem(object_id: str, path: tuple[str | int, ...], code: str, message: str, hint: str) -> Problem:
            return located_problem(
                root / files.get(object_id, "pack.yaml"),
                path,
                object_id=object_id,
                code=code,
                message=message,
                hint=hint,
            )

        def missing(object_id: str, path: tuple[str | int, ...], what: str, ref: str, pool: set[str]) -> Problem:
            hint = did_you_mean(ref, sorted(pool)) or (
                f"aucun(e) {what} de ce nom dans le pack ni dans ses dépendances"
            )
            return problem(object_id, path, "unknown-reference", f"{what} `{ref}` introuvable", hint)

        for index, dep in enumerate(pack.manifest.depends):
            if dep not in by_id:
                yield located_problem(
                    root / "pack.yaml",
                    ("depends", index),
                    object_id=pack.id,
                    code="missing-dependency",
                    message=f"pack requis `{dep}` non chargé",
                    hint="indiquez aussi le dossier de ce pack à la commande",
                )
        personas = _ids(scope, "personas")
        objections = _ids(scope, "objections")
        methods = _visible_methods(pack, packs)
        method_ids = {m.id for m in methods}
        step_ids = {s.id for m in methods for s in m.steps}
        cases = _ids(scope, "cases")
        modules = {m.id for p in scope for m in p.manifest.modules}
        objectives = {o.id for p in scope for m in p.manifest.modules for o in m.objectives}

        for case in pack.cases:
            if case.persona not in personas:
                yield missing(case.id, ("persona",), "personnage", case.persona, personas)
            if case.method is not None and case.method not in method_ids:
                yield missing(case.id, ("method",), "méthode", case.method, method_ids)
            if case.method is None and len(methods) != 1:
                yield problem(
                    case.id,
                    ("persona",),
                    "ambiguous-method",
                    f"{len(methods)} méthodes visibles : le dossier doit préciser `method:`",
                    "ajoutez `method: <id>` au dossier",
                )
            for index, ref in enumerate(case.objections or ()):
                if ref not in objections:
                    yield missing(case.id, ("objections", index), "objection", ref, objections)
        for persona in pack.personas:
            for index, po in enumerate(persona.objections):
                if po.objection not in objections:
                    yield missing(persona.id, ("objections", index, "objection"), "objection", po.objection, objections)
                if po.at is not None and po.at not in step_ids:
                    yield missing(persona.id, ("objections", index, "at"), "étape", po.at, step_ids)
        for quiz in pack.quizzes:
            if quiz.module not in modules:
                yield missing(quiz.id, ("module",), "module", quiz.module, modules)
            for index, question in enumerate(quiz.questions):
                if question.module is not None and question.module not in modules:
                    yield missing(quiz.id, ("questions", index, "module"), "module", question.module, modules)
        for study in pack.case_studies:
            if study.module not in modules:
                yield missing(study.id, ("module",), "module", study.module, modules)
        for questionnaire in pack.questionnaires:
            for index, item in enumerate(questionnaire.items):
                if item.objective not in objectives:
                    yield missing(questionnaire.id, ("items", index, "objective"), "objectif", item.objective, objectives)
        for golden in pack.goldens:
            if golden.case not in cases:
                yield missing(golden.id, ("case",), "dossier", golden.case, cases)
        for corpus in pack.corpora:
            for index, item in enumerate(corpus.items):
                if item.case is not None and item.case not in cases:
                    yield missing(corpus.id, ("items", index, "case"), "dossier", item.case, cases)
                if item.step is not None and item.step not in step_ids:
                    yield missing(corpus.id, ("items", index, "step"), "étape", item.step, step_ids)
                if item.objection is not None and item.objection not in objections:
                    yield missing(corpus.id, ("items", index, "objection"), "objection", item.objection, objections)


def _duplicate_packs(loaded: Sequence[LoadedPack]) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for item in loaded:
        if item.pack is None:
            continue
        if item.pack.id in seen:
            yield Problem(
                file=str(Path(item.root) / "pack.yaml"),
                code="duplicate-pack",
                message=f"le pack `{item.pack.id}` est aussi chargé depuis {seen[item.pack.id]}",
                hint="ne chargez qu'une version d'un même pack",
            )
        else:
            seen[item.pack.id] = item.root


def _shadowed_ids(packs: Sequence[Pack]) -> Iterator[Problem]:
    """An id that two loaded packs define for the same kind of object is an error.

    Lookups go by kind and id across every loaded pack, so the second definition would either
    hide the first or be hidden by it. The problem is put on the pack that depends on the other
    (it reused an id it can see), else on the pack loaded last.
    """
    unique: list[Pack] = []
    for pack in packs:
        if all(p.id != pack.id for p in unique):  # a pack loaded twice is `duplicate-pack`
            unique.append(pack)
    definers: dict[tuple[str, str], list[tuple[Pack, tuple[str | int, ...]]]] = {}
    for pack in unique:
        files = dict(pack.sources)
        for kind, (field, _label) in _KINDS.items():
            for obj in getattr(pack, field):
                definers.setdefault((kind, obj.id), []).append((pack, ("file", files.get(obj.id, "pack.yaml"))))
        for index, module in enumerate(pack.manifest.modules):
            definers.setdefault(("module", module.id), []).append((pack, ("modules", index, "id")))
    labels = {kind: label for kind, (_field, label) in _KINDS.items()} | {"module": "module"}
    for (kind, object_id), found in definers.items():
        for (first, first_where), (second, second_where) in itertools.pairwise(found):
            owner, owner_where, other = second, second_where, first
            if second.id in first.manifest.depends and first.id not in second.manifest.depends:
                # the first one depends on the second: it is the first that reused the id
                owner, owner_where, other = first, first_where, second
            if owner_where[0] == "file":
                file, path = Path(owner.root) / str(owner_where[1]), ("id",)
            else:
                file, path = Path(owner.root) / "pack.yaml", owner_where
            related = other.id in owner.manifest.depends
            yield located_problem(
                file,
                path,
                object_id=object_id,
                code="shadowed-id",
                message=f"l'identifiant `{object_id}` ({labels[kind]}) est déjà défini par le pack "
                + (f"requis `{other.id}`" if related else f"`{other.id}`, chargé en même temps"),
                hint="choisissez un autre identifiant : un identifiant ne désigne qu'un seul objet "
                "parmi les packs chargés ensemble",
            )


def load_library(
    paths: Sequence[str | Path] | None = None,
    *,
    use_cache: bool = True,
    strict: bool = True,
) -> Library:
    """Load packs (default: the bundled ones), resolve references.

    With ``strict`` (the default for the app and engines), any error raises a
    :class:`ContentError` carrying every problem; ``relance validate`` passes
    ``strict=False`` and prints them.
    """
    dirs = [Path(p) for p in paths] if paths else bundled_pack_dirs()
    loaded = [load_pack(d, use_cache=use_cache) for d in dirs]
    packs = [item.pack for item in loaded if item.pack is not None]
    problems: list[Problem] = [p for item in loaded for p in item.problems]
    # Pull bundled packs that a given pack depends on, if they were not named.
    have = {p.id for p in packs}
    wanted = {d for p in packs for d in p.manifest.depends} - have
    if wanted and paths:
        for extra in bundled_pack_dirs():
            if extra.resolve() in {d.resolve() for d in dirs}:
                continue
            item = load_pack(extra, use_cache=use_cache)
            if item.pack is not None and item.pack.id in wanted:
                packs.append(item.pack)
                problems.extend(item.problems)
    problems.extend(_duplicate_packs(loaded))
    problems.extend(_shadowed_ids(packs))
    broken = frozenset(item.pack_id for item in loaded if item.pack is None and item.pack_id)
    problems.extend(_reference_problems(packs, broken))
    library = Library(packs, problems)
    if strict and library.errors:
        count = len(library.errors)
        raise ContentError(
            f"{count} problème(s) dans les packs de contenu",
            library.errors,
            hint="lancez `relance validate` pour les voir tous",
        )
    return library
