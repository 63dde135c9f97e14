"""Load a pack folder: parse, validate, check, hash and cache.

A pack is a folder with a ``pack.yaml`` manifest and any number of ``*.yaml``
files below it (sub-folders are free: ``personas/``, ``objections/``…). Each
file holds one object, chosen by its ``kind`` key.

Loading a pack never raises for bad content: it returns the problems. The
validated :class:`~simulator.model.Pack` is cached (msgpack of the typed model)
under a key made of every file's content digest, so a later start does not
re-parse YAML; a stale or corrupt cache entry is ignored and rebuilt.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import msgspec

from simulator import __version__
from simulator.content.files import MAX_FILE_BYTES, FileRefused, read_regular_file
from simulator.content.problems import Problem, format_path, locate_in_file, located_problem
from simulator.content.problems import display as _display

# Parsing and validation modules (PyYAML, the schema walker, the checks) are
# imported only when a pack is not in the cache: a warm start never pays for them.
from simulator.model import (
    Case,
    CaseStudy,
    Document,
    Golden,
    Manifest,
    Method,
    Objection,
    Pack,
    Persona,
    Questionnaire,
    QuizBank,
    ReplyCorpus,
)

__all__ = [
    "CACHE_FORMAT",
    "MANIFEST",
    "SCORER_FILE",
    "LoadedPack",
    "content_hash",
    "find_pack_files",
    "load_pack",
    "locate_in_file",
    "located_problem",
]

MANIFEST = "pack.yaml"
SCORER_FILE = "scorer/weights.json"
"""The learned layer's weights, when a pack has trained one (``relance train``)."""
MAX_SCORER_BYTES = 16 * 1024 * 1024
"""Largest weights file read (the bundled one is under 1 MiB)."""
CACHE_FORMAT = 5
"""Bump when the model changes shape: older cache entries are then ignored."""

_FIELD_BY_TYPE: dict[type, str] = {
    Method: "methods",
    Persona: "personas",
    Case: "cases",
    Objection: "objections",
    QuizBank: "quizzes",
    CaseStudy: "case_studies",
    Questionnaire: "questionnaires",
    Golden: "goldens",
    ReplyCorpus: "corpora",
}



class LoadedPack(msgspec.Struct, frozen=True):
    """The result of loading one folder: the pack (if valid) and every problem."""

    root: str
    pack: Pack | None
    problems: tuple[Problem, ...]
    from_cache: bool = False
    pack_id: str = ""
    """The manifest's id when it could be read, even if the pack has errors."""
    partial: Pack | None = None
    """The objects that did parse when the pack has errors: references are still
    checked against them, so every problem shows in one run."""
    unparsed_ids: tuple[str, ...] = ()
    """Ids of objects whose file did not load (read from the raw text): a reference
    to one of them is not reported as missing, its file's own problem is."""


class _CacheEntry(msgspec.Struct, frozen=True):
    format: int
    version: str
    key: str
    pack: Pack


_VALIDATION_CODE = ("model", "content", "quiz/checks.py", "quiz/draw.py", "quiz/formula.py", "quiz/numbers.py")


@functools.cache
def _code_fingerprint() -> str:
    """Digest of the code that decides whether a pack is valid.

    Part of the cache key: a cached pack was validated by *this* code, so a new
    check or a model change invalidates every entry without a manual bump.
    """
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for entry in _VALIDATION_CODE:
        path = package / entry
        for file in sorted(path.glob("*.py")) if path.is_dir() else [path]:
            try:
                digest.update(file.read_bytes())
            except OSError:
                digest.update(file.name.encode())
    return digest.hexdigest()[:16]


def _register_engine_checks() -> None:
    """Import the engines' content checks (they register themselves)."""
    import simulator.quiz.checks  # noqa: F401


def find_pack_files(root: Path) -> list[Path]:
    """Every YAML file of the pack, sorted, skipping hidden folders and files."""
    files: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in filenames:
            if name.startswith(".") or not name.endswith((".yaml", ".yml")):
                continue
            files.append(Path(dirpath) / name)
    files.sort()
    return files


def _cache_file(root: Path) -> Path:
    from simulator.locations import cache_dir

    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:20]
    return cache_dir() / "packs" / f"{digest}.msgpack"


class _CorporaEntry(msgspec.Struct, frozen=True):
    format: int
    version: str
    key: str
    corpora: tuple[ReplyCorpus, ...]


def _corpora_file(path: Path) -> Path:
    return path.with_name(path.name + ".replies")


def _read_cache(path: Path, key: str, corpora: bool) -> Pack | None:
    """The cached pack; its labelled corpora (kept in a file of their own) only when asked for."""
    try:
        raw = path.read_bytes()
        entry = msgspec.msgpack.decode(raw, type=_CacheEntry)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError):
        return None
    if entry.format != CACHE_FORMAT or entry.version != __version__ or entry.key != key:
        return None
    if not corpora or not entry.pack.corpus_size:
        return entry.pack
    try:
        extra = msgspec.msgpack.decode(_corpora_file(path).read_bytes(), type=_CorporaEntry)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError):
        return None
    if extra.format != CACHE_FORMAT or extra.version != __version__ or extra.key != key:
        return None
    return msgspec.structs.replace(entry.pack, corpora=extra.corpora)


def _write_cache(path: Path, key: str, pack: Pack) -> None:
    """Cache the pack, its labelled corpora apart: the app starts without reading them."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for target, entry in (
            (_corpora_file(path), _CorporaEntry(CACHE_FORMAT, __version__, key, pack.corpora)),
            (path, _CacheEntry(CACHE_FORMAT, __version__, key, msgspec.structs.replace(pack, corpora=()))),
        ):
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(msgspec.msgpack.encode(entry))
            os.replace(tmp, target)
    except OSError:
        # A cache that cannot be written only costs speed.
        pass


def content_hash(manifest: Manifest, objects: Iterable[Any], scorer: str = "") -> str:
    """sha256 over the canonical form of the pack's content.

    Objects are sorted by (kind, id) and encoded as JSON with sorted keys and
    defaults omitted, so the hash does not depend on file names, file order,
    key order, comments, quoting or whether a default was written out. The
    digest of the scorer's weights file, when there is one, is part of it: a
    retrained model is a new pack for replays and attestations.
    """
    items = [("pack", manifest.id, msgspec.to_builtins(manifest))]
    if scorer:
        items.append(("scorer", SCORER_FILE, scorer))
    for obj in objects:
        kind = type(obj).__struct_config__.tag
        items.append((str(kind), obj.id, msgspec.to_builtins(obj)))
    items.sort(key=lambda item: (item[0], item[1]))
    canonical = msgspec.json.encode(items, order="sorted")
    return "sha256:" + hashlib.sha256(canonical).hexdigest()


def _object_id(data: Any, path: tuple[str | int, ...]) -> str:
    """Id of the nearest object along ``path`` that has one."""
    found = ""
    current = data
    if isinstance(current, dict) and isinstance(current.get("id"), str):
        found = current["id"]
    for part in path:
        try:
            current = current[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(current, dict) and isinstance(current.get("id"), str):
            found = current["id"]
    return found


def _schema_problems(file: str, data: dict[str, Any], node: Any, exc: Exception, raw: bytes = b"") -> list[Problem]:
    from simulator.content.schema_check import check
    from simulator.content.traps import AMOUNT_HINT, money_fields, quoting_hint
    from simulator.content.yaml_source import locate

    issues = check(data, Document)
    problems = []
    for issue in issues:
        line, column = locate(node, issue.path, key=issue.is_key)
        hint = issue.hint
        if issue.code == "wrong-type" and "texte attendu" in issue.message:
            # A text that YAML read as a dictionary or a list: the quoting trap.
            trap = quoting_hint(node, issue.path, raw.decode("utf-8", "replace"))
            if trap is not None:
                hint, line, column = trap
        elif issue.code == "wrong-type" and issue.path and issue.path[-1] in money_fields():
            hint = AMOUNT_HINT
        elif issue.code == "unknown-key" and issue.path and str(issue.path[-1])[:1].isdigit():
            # `{…, amount: 14 400,00 €}`: inside braces the decimal comma splits the line.
            hint = "entre `{…}`, la virgule d'un montant sépare deux clés : " + AMOUNT_HINT.replace(
                "« 14 400,00 € »", "\"14 400,00 €\" entre guillemets"
            )
        problems.append(
            Problem(
                file=file,
                line=line,
                column=column,
                path=format_path(issue.path),
                object_id=_object_id(data, issue.path),
                code=issue.code,
                message=issue.message,
                hint=hint,
            )
        )
    if not problems:
        # The walker should always agree with msgspec; never hide a failure.
        message = str(exc)
        path: tuple[str | int, ...] = ()
        if " - at `$" in message:
            message, _, where = message.partition(" - at `$")
            path = _parse_msgspec_path(where.rstrip("`"))
        line, column = locate(node, path)
        problems.append(
            Problem(
                file=file,
                line=line,
                column=column,
                path=format_path(path),
                object_id=_object_id(data, path),
                code="invalid",
                message=f"valeur invalide : {message}",
            )
        )
    return problems


_RAW_ID = re.compile(rb"^[ \t]*(?:-[ \t]+)?id:[ \t]*[\"']?([a-z0-9][a-z0-9-]*)", re.MULTILINE)
_RAW_METHOD = re.compile(rb"^kind:[ \t]*[\"']?method\b", re.MULTILINE)


def _raw_ids(raw: bytes) -> list[str]:
    """The ``id:`` values of a file that did not parse, nested ones too (best effort).

    A broken method file still names its steps: references to them, and the
    cases that need a method, are not reported as missing on top of the syntax
    error (one mistake, one problem). A method file that cannot be read at all
    is marked by the pseudo-id ``*method*``.
    """
    head = raw[:200_000]
    ids = [m.group(1).decode("ascii") for m in _RAW_ID.finditer(head)]
    if _RAW_METHOD.search(head):
        ids.append("*method*")
    return ids


def _parse_msgspec_path(text: str) -> tuple[str | int, ...]:
    parts: list[str | int] = []
    for chunk in text.replace("]", "").split("."):
        if not chunk:
            continue
        head, *indexes = chunk.split("[")
        if head:
            parts.append(head)
        parts.extend(int(i) for i in indexes if i.isdigit())
    return tuple(parts)


def load_pack(root: str | Path, *, use_cache: bool = True, corpora: bool = True) -> LoadedPack:
    """Load and validate one pack folder (intra-pack checks included).

    ``corpora=False`` leaves the labelled reply corpora out of the returned pack
    (``corpus_size`` still counts their replies): they weigh megabytes that
    starting the app does not need. :meth:`Library.all` loads them on demand.
    """
    root = Path(root)
    shown_root = _display(root)
    if not root.is_dir():
        return LoadedPack(
            shown_root,
            None,
            (
                Problem(
                    file=shown_root,
                    code="pack-not-found",
                    message="dossier de pack introuvable",
                    hint="indiquez un dossier qui contient un fichier pack.yaml",
                ),
            ),
        )
    files = find_pack_files(root)
    manifest_path = root / MANIFEST
    if manifest_path not in files:
        return LoadedPack(
            shown_root,
            None,
            (
                Problem(
                    file=_display(manifest_path),
                    code="missing-manifest",
                    message="ce dossier n'a pas de fichier pack.yaml",
                    hint="créez pack.yaml avec `kind: pack`, `id`, `title` et `version`",
                ),
            ),
        )

    readable: list[Path] = []
    problems: list[Problem] = []
    keyer = hashlib.sha256(f"{CACHE_FORMAT}:{__version__}:{_code_fingerprint()}".encode())
    for path in files:
        # The cache key is a digest of every file; the bytes are not kept (a warm start
        # must not hold the whole pack in memory only to find it in the cache).
        try:
            raw = read_regular_file(path, MAX_FILE_BYTES)
        except FileRefused as refused:
            problems.append(
                Problem(file=_display(path), code=refused.code, message=refused.message, hint=refused.hint)
            )
            continue
        readable.append(path)
        keyer.update(str(path.relative_to(root)).encode() + b"\0")
        keyer.update(hashlib.sha256(raw).digest())
        del raw
    scorer = ""
    scorer_path = root / SCORER_FILE
    if scorer_path.exists() or scorer_path.is_symlink():
        try:
            scorer = hashlib.sha256(read_regular_file(scorer_path, MAX_SCORER_BYTES)).hexdigest()
        except FileRefused as refused:
            problems.append(
                Problem(file=_display(scorer_path), code=refused.code, message=refused.message, hint=refused.hint)
            )
        keyer.update(b"scorer\0" + scorer.encode())
    key = keyer.hexdigest()

    cache_path = _cache_file(root)
    if use_cache and not problems:
        cached = _read_cache(cache_path, key, corpora)
        if cached is not None:
            return LoadedPack(shown_root, cached, (), from_cache=True, pack_id=cached.id)

    from simulator.content.checks import check_pack
    from simulator.content.traps import accept_french_amounts
    from simulator.content.yaml_source import load_yaml_bytes, locate

    _register_engine_checks()
    # Parsing many objects creates many containers; the cyclic GC finds no
    # garbage among them but can take most of the load time (measured: up to
    # 60 %). Pause it for the parse.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        documents: list[tuple[str, Any, str]] = []  # (shown file, object, relative file)
        manifest: Manifest | None = None
        unparsed: list[str] = []
        for path in readable:
            shown = _display(path)
            try:
                raw = read_regular_file(path, MAX_FILE_BYTES)
            except FileRefused as refused:  # changed since it was hashed
                problems.append(
                    Problem(file=shown, code=refused.code, message=refused.message, hint=refused.hint)
                )
                continue
            doc, file_problems = load_yaml_bytes(raw, shown)
            if doc is None:
                problems.extend(file_problems)
                unparsed.extend(_raw_ids(raw))
                continue
            try:
                obj = msgspec.convert(accept_french_amounts(doc.data), Document)
            except msgspec.ValidationError as exc:
                problems.extend(_schema_problems(shown, doc.data, doc.node, exc, raw))
                if isinstance(doc.data.get("id"), str):
                    unparsed.append(doc.data["id"])
                continue
            rel = str(path.relative_to(root))
            if isinstance(obj, Manifest):
                if path != manifest_path:
                    line, column = locate(doc.node, ("kind",))
                    problems.append(
                        Problem(
                            file=shown,
                            line=line,
                            column=column,
                            path="kind",
                            object_id=obj.id,
                            code="misplaced-manifest",
                            message="`kind: pack` n'est permis que dans pack.yaml, à la racine du pack",
                            hint="changez `kind` ou déplacez ce fichier",
                        )
                    )
                    continue
                manifest = obj
            elif path == manifest_path:
                line, column = locate(doc.node, ("kind",))
                problems.append(
                    Problem(
                        file=shown,
                        line=line,
                        column=column,
                        path="kind",
                        code="bad-manifest",
                        message="pack.yaml doit déclarer `kind: pack`",
                        hint="pack.yaml décrit le pack ; mettez les autres objets dans d'autres fichiers",
                    )
                )
                continue
            else:
                documents.append((shown, obj, rel))
    finally:
        if gc_was_enabled:
            gc.enable()

    if manifest is None:
        if not any(p.file == _display(manifest_path) for p in problems):
            problems.append(
                Problem(file=_display(manifest_path), code="bad-manifest", message="manifeste de pack invalide")
            )
        return LoadedPack(shown_root, None, tuple(problems))

    grouped: dict[str, list[Any]] = {name: [] for name in _FIELD_BY_TYPE.values()}
    sources: list[tuple[str, str]] = []
    for _shown, obj, rel in documents:
        grouped[_FIELD_BY_TYPE[type(obj)]].append(obj)
        sources.append((obj.id, rel))
    all_objects = [obj for _s, obj, _r in documents]
    pack = Pack(
        manifest=manifest,
        root=str(root.resolve()),
        hash=content_hash(manifest, all_objects, scorer),
        scorer=scorer,
        sources=tuple(sources),
        corpus_size=sum(len(c.items) for c in grouped["corpora"]),
        **{name: tuple(items) for name, items in grouped.items()},
    )
    problems.extend(check_pack(pack, documents, root))
    if problems:
        ok = not any(p.severity == "error" for p in problems)
        return LoadedPack(
            shown_root,
            pack if ok else None,
            tuple(problems),
            pack_id=manifest.id,
            partial=None if ok else pack,
            unparsed_ids=tuple(unparsed),
        )
    if use_cache:
        _write_cache(cache_path, key, pack)
    if not corpora:
        pack = msgspec.structs.replace(pack, corpora=())
    return LoadedPack(shown_root, pack, (), pack_id=pack.id)
