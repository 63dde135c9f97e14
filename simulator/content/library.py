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
from simulator.content.problems import Problem, did_you_mean
from simulator.errors import ContentError, NotFoundError
from simulator.locations import BUNDLED_PACKS, project_root
from simulator.model import (
    Case,
    CaseStudy,
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

    def __init__(self, packs: Sequence[Pack], problems: Sequence[Problem] = (), partials: Sequence[Pack] = ()) -> None:
        self.packs: tuple[Pack, ...] = tuple(packs)
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.partials: tuple[Pack, ...] = tuple(partials)
        """Packs that have errors, with the objects that did load (for reports only)."""
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
        if kind == "replies":
            self._load_corpora()
        return [obj for obj, _pack in self._index[kind].values()]

    def corpora_of(self, pack: Pack) -> tuple[Any, ...]:
        """A pack's labelled corpora (read on first use when the library was loaded without them)."""
        self._load_corpora()
        return tuple(obj for obj, owner in self._index["replies"].values() if owner.id == pack.id)

    def _load_corpora(self) -> None:
        """Read the labelled corpora of packs loaded without them (the app starts without)."""
        if getattr(self, "_corpora_done", False):
            return
        self._corpora_done = True
        for pack in self.packs:
            if pack.corpus_size and not pack.corpora:
                from simulator.content.loader import load_pack

                item = load_pack(Path(pack.root), use_cache=True, corpora=True)
                if item.pack is not None and item.pack.hash == pack.hash:
                    for corpus in item.pack.corpora:
                        self._index["replies"].setdefault(corpus.id, (corpus, pack))

    def get(self, kind: str, object_id: str) -> Any:
        """The object of ``kind`` with ``object_id``; :class:`NotFoundError` otherwise."""
        if kind == "replies":
            self._load_corpora()
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


class _Elsewhere:
    """Where an id missing from a pack's scope is defined in another known pack.

    Known packs are the ones loaded plus the bundled ones (loaded lazily, from
    the cache, only when some reference is missing): a trainer who reuses the
    bundled objections without ``depends`` is told which pack to add.
    """

    def __init__(self, packs: Sequence[Pack], use_cache: bool) -> None:
        self._packs = list(packs)
        self._use_cache = use_cache
        self._bundled_loaded = False

    def _all(self) -> list[Pack]:
        if not self._bundled_loaded:
            self._bundled_loaded = True
            have = {p.id for p in self._packs}
            for folder in bundled_pack_dirs():
                item = load_pack(folder, use_cache=self._use_cache)
                if item.pack is not None and item.pack.id not in have:
                    self._packs.append(item.pack)
        return self._packs

    def pack_defining(self, field: str, ref: str, exclude: Iterable[str]) -> str | None:
        skip = set(exclude)
        for pack in self._all():
            if pack.id in skip:
                continue
            if field == "steps":
                if any(s.id == ref for m in pack.methods for s in m.steps):
                    return pack.id
            elif field in ("modules", "objectives"):
                modules = pack.manifest.modules
                ids = {m.id for m in modules} if field == "modules" else {o.id for m in modules for o in m.objectives}
                if ref in ids:
                    return pack.id
            elif any(obj.id == ref for obj in getattr(pack, field)):
                return pack.id
        return None

    def packs_with_methods(self, exclude: Iterable[str]) -> list[str]:
        skip = set(exclude)
        return [p.id for p in self._all() if p.methods and p.id not in skip]


def _depends_hint(pack: Pack, other: str) -> str:
    deps = ", ".join([*pack.manifest.depends, other])
    return f"ajoutez `depends: [{deps}]` à pack.yaml"


def _reference_problems(
    packs: Sequence[Pack],
    unparsed: frozenset[str] = frozenset(),
    elsewhere: _Elsewhere | None = None,
) -> Iterator[Problem]:
    """Every unresolved reference of ``packs`` (partial packs with errors included).

    A reference to an object whose own file did not load (``unparsed``) is not
    reported: that file's problem is. A reference defined in another known pack
    gets the ``depends`` to add as its hint.
    """
    by_id = {p.id: p for p in packs}
    for pack in packs:
        scope = _scope(pack, packs)
        root = Path(pack.root)
        files = dict(pack.sources)
        scope_ids = [p.id for p in scope]

        def problem(object_id: str, path: tuple[str | int, ...], code: str, message: str, hint: str) -> Problem:
            return located_problem(
                root / files.get(object_id, "pack.yaml"),
                path,
                object_id=object_id,
                code=code,
                message=message,
                hint=hint,
            )

        def missing(
            object_id: str, path: tuple[str | int, ...], what: str, ref: str, pool: set[str], field: str
        ) -> Iterator[Problem]:
            if ref in unparsed:
                return
            hint = did_you_mean(ref, sorted(pool))
            other = elsewhere.pack_defining(field, ref, scope_ids) if elsewhere is not None else None
            if other is not None:
                hint = f"`{ref}` est défini dans le pack `{other}` : {_depends_hint(pack, other)}"
            elif not hint:
                hint = f"aucun(e) {what} de ce nom dans le pack ni dans ses dépendances"
            yield problem(object_id, path, "unknown-reference", f"{what} `{ref}` introuvable", hint)

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
                yield from missing(case.id, ("persona",), "personnage", case.persona, personas, "personas")
            if case.method is not None and case.method not in method_ids:
                yield from missing(case.id, ("method",), "méthode", case.method, method_ids, "methods")
            if case.method is None and len(methods) != 1 and "*method*" not in unparsed:
                if methods:
                    choices = ", ".join(f"`{m.id}`" for m in methods)
                    yield problem(
                        case.id,
                        ("persona",),
                        "ambiguous-method",
                        f"{len(methods)} méthodes visibles : le dossier doit préciser `method:`",
                        f"ajoutez `method: <id>` au dossier (au choix : {choices})",
                    )
                else:
                    others = elsewhere.packs_with_methods(scope_ids) if elsewhere is not None else []
                    yield problem(
                        case.id,
                        ("persona",),
                        "no-method",
                        "aucune méthode d'appel visible depuis ce pack",
                        _depends_hint(pack, others[0]) + " pour utiliser sa méthode"
                        if others
                        else "ajoutez un fichier `kind: method` au pack",
                    )
            for index, ref in enumerate(case.objections or ()):
                if ref not in objections:
                    yield from missing(case.id, ("objections", index), "objection", ref, objections, "objections")
        for persona in pack.personas:
            for index, po in enumerate(persona.objections):
                if po.objection not in objections:
                    yield from missing(persona.id, ("objections", index, "objection"), "objection", po.objection, objections, "objections")
                if po.at is not None and po.at not in step_ids:
                    yield from missing(persona.id, ("objections", index, "at"), "étape", po.at, step_ids, "steps")
        for quiz in pack.quizzes:
            if quiz.module not in modules:
                yield from missing(quiz.id, ("module",), "module", quiz.module, modules, "modules")
            for index, question in enumerate(quiz.questions):
                if question.module is not None and question.module not in modules:
                    yield from missing(quiz.id, ("questions", index, "module"), "module", question.module, modules, "modules")
        for study in pack.case_studies:
            if study.module not in modules:
                yield from missing(study.id, ("module",), "module", study.module, modules, "modules")
        for questionnaire in pack.questionnaires:
            for index, item in enumerate(questionnaire.items):
                if item.objective not in objectives:
                    yield from missing(questionnaire.id, ("items", index, "objective"), "objectif", item.objective, objectives, "objectives")
        for golden in pack.goldens:
            if golden.case not in cases:
                yield from missing(golden.id, ("case",), "dossier", golden.case, cases, "cases")
        for corpus in pack.corpora:
            for index, item in enumerate(corpus.items):
                if item.case is not None and item.case not in cases:
                    yield from missing(corpus.id, ("items", index, "case"), "dossier", item.case, cases, "cases")
                if item.step is not None and item.step not in step_ids:
                    yield from missing(corpus.id, ("items", index, "step"), "étape", item.step, step_ids, "steps")
                if item.objection is not None and item.objection not in objections:
                    yield from missing(corpus.id, ("items", index, "objection"), "objection", item.objection, objections, "objections")


GOOD_GOLDEN_MIN = 70
"""A golden whose score band starts here plays a good path."""
POOR_GOLDEN_MAX = 39
"""A golden whose score band ends here plays a poor path."""


def _golden_coverage(packs: Sequence[Pack]) -> Iterator[Problem]:
    """Warn about cases without a good and a poor golden transcript.

    A good one (score band from 70) proves the case can be won; a poor one
    (band up to 39) proves the scoring catches a bad call. Goldens may live in
    any loaded pack.
    """
    good: set[str] = set()
    poor: set[str] = set()
    for pack in packs:
        for golden in pack.goldens:
            if golden.expect.score.min >= GOOD_GOLDEN_MIN:
                good.add(golden.case)
            if golden.expect.score.max <= POOR_GOLDEN_MAX:
                poor.add(golden.case)
    for pack in packs:
        files = dict(pack.sources)
        for case in pack.cases:
            lacking = [
                label
                for label, have in (("bon parcours (note ≥ 70)", good), ("mauvais parcours (note ≤ 39)", poor))
                if case.id not in have
            ]
            if lacking:
                yield located_problem(
                    Path(pack.root) / files.get(case.id, "pack.yaml"),
                    ("id",),
                    object_id=case.id,
                    code="missing-golden",
                    severity="warning",
                    message="pas de transcription de référence « " + " » ni « ".join(lacking) + " »",
                    hint=f"ajoutez un fichier `kind: golden` avec `case: {case.id}` et `expect.score` "
                    "(`min: 70` pour un bon parcours, `max: 39` pour un mauvais)",
                )


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
        def define(key: tuple[str, str], where: tuple[str | int, ...], pack: Pack = pack) -> None:
            found = definers.setdefault(key, [])
            if all(p.id != pack.id for p, _where in found):  # twice in one pack is `duplicate-id`
                found.append((pack, where))

        for kind, (field, _label) in _KINDS.items():
            for obj in getattr(pack, field):
                define((kind, obj.id), ("file", files.get(obj.id, "pack.yaml")))
        for index, module in enumerate(pack.manifest.modules):
            define(("module", module.id), ("modules", index, "id"))
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
    corpora: bool = True,
) -> Library:
    """Load packs (default: the bundled ones), resolve references.

    With ``strict`` (the default for the app and engines), any error raises a
    :class:`ContentError` carrying every problem; ``relance validate`` passes
    ``strict=False`` and prints them. ``corpora=False`` (the app) leaves the
    labelled reply corpora unread until something asks for them.
    """
    dirs = [Path(p) for p in paths] if paths else bundled_pack_dirs()
    loaded = [load_pack(d, use_cache=use_cache, corpora=corpora) for d in dirs]
    packs = [item.pack for item in loaded if item.pack is not None]
    # Packs with errors still get their references checked (against the objects
    # that parsed), so every problem is listed in the same run.
    partials = [item.partial for item in loaded if item.pack is None and item.partial is not None]
    unparsed = frozenset(i for item in loaded for i in item.unparsed_ids)
    problems: list[Problem] = [p for item in loaded for p in item.problems]
    # Pull bundled packs that a given pack depends on, if they were not named.
    have = {p.id for p in (*packs, *partials)}
    wanted = {d for p in (*packs, *partials) for d in p.manifest.depends} - have
    if wanted and paths:
        for extra in bundled_pack_dirs():
            if extra.resolve() in {d.resolve() for d in dirs}:
                continue
            item = load_pack(extra, use_cache=use_cache, corpora=corpora)
            if item.pack is not None and item.pack.id in wanted:
                packs.append(item.pack)
                problems.extend(item.problems)
    problems.extend(_duplicate_packs(loaded))
    checked = [*packs, *(p for p in partials if p.id not in {q.id for q in packs})]
    problems.extend(_shadowed_ids(checked))
    problems.extend(_reference_problems(checked, unparsed, _Elsewhere(checked, use_cache)))
    problems.extend(_golden_coverage(checked))
    library = Library(packs, problems, [p for p in checked if p not in packs])
    if strict and library.errors:
        count = len(library.errors)
        raise ContentError(
            f"{count} problème(s) dans les packs de contenu",
            library.errors,
            hint="lancez `relance validate` pour les voir tous",
        )
    return library
