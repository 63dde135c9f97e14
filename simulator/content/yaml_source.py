"""Safe, bounded YAML loading with positions.

The C parser of PyYAML (LibYAML, ``yaml.CSafeLoader``) composes the node tree;
we then build the Python objects ourselves in one pass over the nodes instead
of PyYAML's constructor, because that pass is where every check happens:

* duplicate keys inside a mapping (PyYAML silently keeps the last one);
* Python-specific and unknown tags (``!!python/object`` …) are refused;
* aliases are counted with their expansion, so a "billion laughs" file is
  refused as soon as the expanded size passes :data:`MAX_NODES`, in linear time
  over the (small) node graph;
* nesting deeper than :data:`MAX_DEPTH` is refused.

Before parsing, the raw bytes are checked: at most :data:`MAX_FILE_BYTES`,
strict UTF-8, no control characters. The composed root node is returned with
the data so that a later validation problem can be located by its path
(:func:`locate`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from simulator.content.files import MAX_FILE_BYTES
from simulator.content.problems import Problem

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "YamlDocument",
    "load_yaml_bytes",
    "locate",
]

MAX_NODES = 250_000
"""Largest number of YAML values in one file once aliases are expanded."""
MAX_DEPTH = 60
"""Deepest nesting of mappings and lists accepted."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_MAP = _TAG + "map"
_SEQ = _TAG + "seq"
_MERGE = _TAG + "merge"

# PyYAML's own constructor turns non-string scalars (int, float, bool, null,
# timestamps, binary) into Python values; we reuse it for those only.
_SCALAR_TAGS = {
    _TAG + "null": "construct_yaml_null",
    _TAG + "bool": "construct_yaml_bool",
    _TAG + "int": "construct_yaml_int",
    _TAG + "float": "construct_yaml_float",
    _TAG + "timestamp": "construct_yaml_timestamp",
}


class YamlDocument:
    """The data of one file and its composed node tree (for locating problems)."""

    __slots__ = ("data", "node")

    def __init__(self, data: Any, node: Node) -> None:
        self.data = data
        self.node = node


class _Refused(Exception):
    """Internal: stop building and report this problem."""

    def __init__(self, code: str, message: str, node: Node | None, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.node = node
        self.hint = hint


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def load_yaml_bytes(
    raw: bytes, file: str, *, root: type = dict
) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse one file; return the document, or ``None`` and its problems.

    Content files are mappings; user input files (a list of replies) may ask for
    another ``root`` type and get the same bounds and refusals.
    """

    def problem(code: str, message: str, line: int = 0, column: int = 0, hint: str = "") -> Problem:
        return Problem(file=file, line=line, column=column, code=code, message=message, hint=hint)

    if len(raw) > MAX_FILE_BYTES:
        return None, [
            problem(
                "file-too-large",
                f"fichier trop volumineux ({len(raw) / 1048576:.1f} Mio, maximum "
                f"{MAX_FILE_BYTES // 1048576} Mio)",
                hint="répartissez le contenu dans plusieurs fichiers",
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(raw[: exc.start].decode("utf-8", "replace"), exc.start)
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            problem(
                "not-utf8",
                f"octet {raw[exc.start]:#04x} invalide : le fichier n'est pas en UTF-8",
                line,
                column,
                hint="enregistrez le fichier en UTF-8 dans votre éditeur",
            )
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    match = _CONTROL.search(text)
    if match:
        line, column = _position(text, match.start())
        return None, [
            problem(
                "control-character",
                f"caractère de contrôle U+{ord(match.group()):04X} interdit",
                line,
                column,
                hint="supprimez ce caractère invisible (souvent issu d'un copier-coller)",
            )
        ]

    loader = yaml.CSafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            message = exc.problem or exc.context or "syntaxe YAML invalide"
            from simulator.content.traps import syntax_trap

            unclosed = _unclosed_quote(text, mark.line) if mark else None
            if unclosed is not None:
                number, column, closed = unclosed
                where = f" ; il ne se referme qu'à la ligne {closed}" if closed else ""
                return None, [
                    problem(
                        "yaml-syntax",
                        f"syntaxe YAML invalide : guillemet ouvert ici et jamais refermé sur sa ligne{where}",
                        number,
                        column,
                        hint=OPEN_QUOTE_HINT,
                    )
                ]
            trap = syntax_trap(text, mark.line, message) if mark else None
            if trap is not None:
                return None, [problem("yaml-syntax", f"syntaxe YAML invalide : {trap[0]}", trap[2], trap[3], hint=trap[1])]
            said, hint, mark = explain_syntax_error(exc, text)
            return None, [
                problem(
                    "yaml-syntax",
                    f"syntaxe YAML invalide : {said}",
                    (mark.line + 1) if mark else 0,
                    (mark.column + 1) if mark else 0,
                    hint=hint,
                )
            ]
        except yaml.YAMLError as exc:  # pragma: no cover - LibYAML always marks
            return None, [problem("yaml-syntax", f"syntaxe YAML invalide : {exc}")]
        if node is None:
            return None, [
                problem(
                    "empty-file",
                    "le fichier est vide (ou ne contient que des commentaires)",
                    hint="ajoutez au moins `kind:` et `id:`, ou supprimez le fichier",
                )
            ]
        builder = _Builder(loader)
        try:
            data = builder.build(node, 0)
        except _Refused as refused:
            mark = refused.node.start_mark if refused.node is not None else None
            return None, [
                problem(
                    refused.code,
                    refused.message,
                    (mark.line + 1) if mark else 0,
                    (mark.column + 1) if mark else 0,
                    refused.hint,
                )
            ]
        if builder.duplicates:
            return None, builder.duplicates_as_problems(file)
        if root is not dict and isinstance(data, root):
            return YamlDocument(data, node), []
        if not isinstance(data, dict) or root is not dict:
            mark = node.start_mark
            found = {list: "une liste", str: "un texte"}.get(type(data), "une valeur simple")
            return None, [
                problem(
                    "root-not-mapping",
                    f"le document doit être un dictionnaire de clés (`kind: …`), pas {found}",
                    mark.line + 1,
                    mark.column + 1,
                    hint="commencez le fichier par `kind:` puis les clés de l'objet",
                )
            ]
        return YamlDocument(data, node), []
    finally:
        loader.dispose()


_OPENERS = {
    "while scanning a quoted scalar": "quote",
    "while parsing a flow sequence": "[",
    "while parsing a flow mapping": "{",
}
"""Parser contexts whose start (not where the parser gave up) is where the trainer must look."""

_PROBLEMS = (
    ("mapping values are not allowed", "« : » suivi d'une espace inattendu ici",
     "mettez le texte entre guillemets s'il contient « : »"),
    ("could not find expected ':'", "deux-points attendu après une clé",
     "vérifiez l'indentation et les deux-points après chaque clé"),
    ("did not find expected key", "clé attendue à cette position : l'indentation ne suit pas celle du bloc",
     "alignez cette ligne sur les autres clés du même bloc"),
    ("did not find expected '-' indicator", "élément de liste attendu (tiret `- `) à cette position",
     "dans une liste, chaque élément commence par `- ` à la même indentation"),
    ("found unknown escape character", "séquence d'échappement inconnue entre guillemets doubles",
     "écrivez la barre oblique inverse doublée (\\\\) ou mettez le texte entre apostrophes"),
    ("expected a single document", "le fichier contient plusieurs documents",
     "un fichier ne contient qu'un document : retirez le séparateur `---`"),
    ("but found another document", "le fichier contient plusieurs documents",
     "un fichier ne contient qu'un document : retirez le séparateur `---`"),
    ("found undefined alias", "alias `*…` sans ancre `&…` définie avant",
     "l'ancre `&nom` doit être définie avant son alias `*nom`"),
    ("found unexpected end of stream", "fin de fichier inattendue",
     "vérifiez qu'aucun guillemet, crochet ou accolade n'est resté ouvert"),
    ("found character that cannot start any token", "caractère inattendu en début de valeur",
     "mettez la valeur entre guillemets"),
)
"""LibYAML's messages, said in French with advice (the English original is never shown alone)."""


OPEN_QUOTE_HINT = (
    "fermez le guillemet à la fin du texte ; un guillemet à l'intérieur s'écrit \\\" entre guillemets "
    "doubles, ou '' entre apostrophes"
)

_QUOTED_START = re.compile(r"""^\s*(?:-\s+|[^\s#'"][^#]*?:\s+)?\[?\s*(["'])""")


def _unclosed_quote(text: str, error_line: int) -> tuple[int, int, int] | None:
    """(line, column, line where it closes or 0), 1-based, of a quoted value left open before the error.

    A quoted value runs on to a later line only by mistake in a pack (long texts use ``>``):
    the parser then stops far from the opening quote, which is where the trainer must look.
    """
    lines = text.splitlines()
    for number in range(min(error_line, len(lines) - 1), -1, -1):
        line = lines[number]
        match = _QUOTED_START.match(line)
        if match is None:
            continue
        quote, start = match.group(1), match.start(1)
        rest = line[start + 1 :]
        if quote == '"':
            closed = re.search(r'(?<!\\)(?:\\\\)*"', rest) is not None
        else:
            closed = re.search(r"'(?!')", rest.replace("''", "")) is not None
        if closed:
            continue
        later = next((n + 1 for n in range(number + 1, len(lines)) if quote in lines[n]), 0)
        return number + 1, start + 1, later if later and later <= error_line + 1 else 0
    return None


def explain_syntax_error(exc: Any, text: str) -> tuple[str, str, Any]:
    """(French message, hint, mark to show) for a YAML syntax error."""
    problem_text = exc.problem or exc.context or ""
    opener = _OPENERS.get(exc.context or "")
    if opener is not None and exc.context_mark is not None and (
        "end of stream" in problem_text or "expected ','" in problem_text or opener == "quote"
    ):
        mark = exc.context_mark
        if opener == "quote":
            return (
                "guillemet ouvert ici et jamais refermé",
                OPEN_QUOTE_HINT,
                mark,
            )
        closer = "]" if opener == "[" else "}"
        return (
            f"`{opener}` ouvert ici et jamais refermé par `{closer}`",
            f"ajoutez `{closer}`, ou mettez la valeur entre guillemets si `{opener}` fait partie du texte",
            mark,
        )
    mark = exc.problem_mark or exc.context_mark
    lines = text.splitlines()
    if mark is not None and mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
        return (
            "tabulation dans l'indentation",
            "YAML n'accepte pas les tabulations pour l'indentation : utilisez des espaces",
            mark,
        )
    for needle, said, hint in _PROBLEMS:
        if needle in problem_text or needle in (exc.context or ""):
            return said, hint, mark
    return (
        f"erreur de syntaxe (analyseur : {problem_text})",
        "vérifiez l'indentation et les guillemets autour de cette position",
        mark,
    )


class _Builder:
    """Builds Python values from nodes, enforcing the bounds described above."""

    def __init__(self, loader: Any) -> None:
        self._loader = loader
        self._memo: dict[int, Any] = {}
        self._sizes: dict[int, int] = {}
        self.total = 0
        self.duplicates: list[tuple[ScalarNode, ScalarNode, str]] = []

    def duplicates_as_problems(self, file: str) -> list[Problem]:
        out = []
        for first, second, key in self.duplicates:
            out.append(
                Problem(
                    file=file,
                    line=second.start_mark.line + 1,
                    column=second.start_mark.column + 1,
                    code="duplicate-key",
                    message=f"la clé `{key}` apparaît deux fois dans le même bloc",
                    hint=f"première occurrence ligne {first.start_mark.line + 1} ; "
                    "gardez-en une seule",
                )
            )
        return out

    def _count(self, node: Node, size: int) -> None:
        self.total += size
        if self.total > MAX_NODES:
            raise _Refused(
                "too-many-values",
                f"le fichier dépasse {MAX_NODES} valeurs une fois les alias développés "
                "(alias en cascade ?)",
                node,
                hint="n'utilisez les ancres `&` et alias `*` que pour de petits blocs",
            )

    def build(self, node: Node, depth: int) -> Any:
        key = id(node)
        if key in self._memo:
            # An alias: the object is shared, but its expanded size still counts,
            # which is what bounds a "billion laughs" file.
            self._count(node, self._sizes[key])
            return self._memo[key]
        if depth > MAX_DEPTH:
            raise _Refused(
                "too-deep",
                f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)",
                node,
                hint="simplifiez la structure",
            )
        before = self.total
        tag = node.tag
        if isinstance(node, ScalarNode):
            self._count(node, 1)
            if tag == _STR:
                value: Any = node.value
                # Escapes in quoted scalars ("\e", "\x07", "\0") make control characters the
                # raw-bytes check cannot see.
                control = _CONTROL.search(value)
                if control:
                    raise _Refused(
                        "control-character",
                        f"caractère de contrôle U+{ord(control.group()):04X} interdit (écrit en séquence "
                        "d'échappement)",
                        node,
                        hint="retirez la séquence `\\…` : un texte ne contient pas de caractère de contrôle",
                    )
            else:
                value = self._scalar(node)
        elif isinstance(node, SequenceNode):
            if tag != _SEQ:
                self._refuse_tag(node)
            self._count(node, 1)
            value = [self.build(child, depth + 1) for child in node.value]
        elif isinstance(node, MappingNode):
            if tag != _MAP:
                self._refuse_tag(node)
            self._count(node, 1)
            value = self._mapping(node, depth)
        else:  # pragma: no cover
            raise _Refused("yaml-syntax", "nœud YAML inconnu", node)
        self._memo[key] = value
        self._sizes[key] = self.total - before
        return value

    def _mapping(self, node: MappingNode, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        seen: dict[Any, ScalarNode] = {}
        merged: list[dict[Any, Any]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                value = self.build(value_node, depth + 1)
                sources = value if isinstance(value, list) else [value]
                for source in sources:
                    if not isinstance(source, dict):
                        raise _Refused(
                            "yaml-syntax",
                            "la fusion `<<` attend un dictionnaire ou une liste de dictionnaires",
                            value_node,
                        )
                    merged.append(source)
                continue
            key = self.build(key_node, depth + 1)
            try:
                hash(key)
            except TypeError:
                raise _Refused(
                    "yaml-syntax", "une clé doit être un texte simple", key_node
                ) from None
            if key in seen and isinstance(key_node, ScalarNode):
                self.duplicates.append((seen[key], key_node, str(key)))
            elif isinstance(key_node, ScalarNode):
                seen[key] = key_node
            result[key] = self.build(value_node, depth + 1)
        for source in merged:
            for k, v in source.items():
                result.setdefault(k, v)
        return result

    def _refuse_tag(self, node: Node) -> None:
        tag = node.tag or ""
        if tag.startswith(_TAG + "python/") or tag.startswith("!!python"):
            raise _Refused(
                "python-tag",
                f"étiquette Python `{tag.replace(_TAG, '!!')}` interdite",
                node,
                hint="un pack ne contient que des données : retirez l'étiquette",
            )
        raise _Refused(
            "unknown-tag",
            f"étiquette YAML `{tag.replace(_TAG, '!!')}` non prise en charge",
            node,
            hint="retirez l'étiquette (`!…`) ; écrivez la valeur telle quelle",
        )

    def _scalar(self, node: ScalarNode) -> Any:
        method = _SCALAR_TAGS.get(node.tag)
        if method is None:
            self._refuse_tag(node)
        try:
            return getattr(self._loader, method)(node)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            raise _Refused(
                "bad-scalar",
                f"valeur illisible `{_excerpt(node.value)}` ({exc.__class__.__name__})",
                node,
                hint="mettez la valeur entre guillemets si c'est un texte",
            ) from None


def _excerpt(value: str, limit: int = 40) -> str:
    """A value quoted in a message, cut (a 8,000-digit number makes an unreadable message)."""
    return value if len(value) <= limit else f"{value[:limit]}… ({len(value)} caractères)"


def locate(node: Node, path: Sequence[str | int], key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the node at ``path``, or of its deepest existing parent.

    With ``key=True`` and a path ending in a mapping key, return the key's position
    (used for unknown keys).
    """
    current = node
    for index, part in enumerate(path):
        last = index == len(path) - 1
        if isinstance(current, MappingNode):
            for key_node, value_node in current.value:
                if isinstance(key_node, ScalarNode) and key_node.value == str(part):
                    current = key_node if (last and key) else value_node
                    break
            else:
                break
        elif isinstance(current, SequenceNode) and isinstance(part, int):
            if 0 <= part < len(current.value):
                current = current.value[part]
            else:
                break
        else:
            break
    mark = current.start_mark
    return mark.line + 1, mark.column + 1
