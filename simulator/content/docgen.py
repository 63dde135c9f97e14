"""Generate the field reference and the worked examples of ``docs/authoring.md``.

The reference is built from the model itself (field names, types, defaults and
the French docstring under each field), so the documentation cannot drift from
the code; the worked examples are the bundled pack files, which the tests
validate. Regenerate with ``python -m simulator.content.docgen``; a test fails
when the committed guide is stale.
"""

from __future__ import annotations

import ast
import functools
import inspect
import re
import sys
from pathlib import Path
from typing import Any

import msgspec
import msgspec.inspect as mi

from simulator.locations import project_root
from simulator.model import DOCUMENT_TYPES

__all__ = ["field_docs", "render_guide", "reference_markdown"]

GUIDE = Path("docs") / "authoring.md"
REF_START = "<!-- reference:start (généré : python -m simulator.content.docgen) -->"
REF_END = "<!-- reference:end -->"
EXAMPLE_RE = re.compile(r"(<!-- example:(?P<path>[^ ]+) -->\n)(?P<body>.*?)(<!-- /example -->)", re.S)


@functools.cache
def field_docs(cls: type) -> dict[str, str]:
    """Attribute docstrings of a class and its bases, read from the source."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if klass in (object, msgspec.Struct):
            continue
        try:
            source = inspect.getsource(klass)
        except (OSError, TypeError):
            continue
        tree = ast.parse(source.lstrip() if source.startswith(" ") else source)
        node = tree.body[0]
        if not isinstance(node, ast.ClassDef):
            continue
        body = node.body
        for index, item in enumerate(body):
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                nxt = body[index + 1] if index + 1 < len(body) else None
                if isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant) and isinstance(nxt.value.value, str):
                    docs[item.target.id] = " ".join(nxt.value.value.split())
    return docs


def _type_name(t: mi.Type) -> str:
    while isinstance(t, mi.Metadata):
        t = t.type
    if isinstance(t, mi.StrType):
        extra = " (identifiant)" if t.pattern and t.pattern.startswith("^[a-z0-9]") else ""
        return "texte" + extra
    if isinstance(t, mi.IntType):
        bounds = _bounds(t)
        return "entier" + bounds
    if isinstance(t, mi.FloatType):
        return "nombre" + _bounds(t)
    if isinstance(t, mi.BoolType):
        return "`true`/`false`"
    if isinstance(t, mi.DateType):
        return "date AAAA-MM-JJ"
    if isinstance(t, mi.LiteralType):
        return " \\| ".join(f"`{v}`" for v in t.values)
    if isinstance(t, mi.VarTupleType | mi.ListType):
        return f"liste de {_type_name(t.item_type)}"
    if isinstance(t, mi.StructType):
        return f"[{t.cls.__name__}](#{t.cls.__name__.lower()})"
    if isinstance(t, mi.UnionType):
        parts = [x for x in t.types if not isinstance(x, mi.NoneType)]
        if all(isinstance(x, mi.StructType) for x in parts) and len(parts) > 1:
            return "critère (voir [Critères](#critères))"
        return " ou ".join(_type_name(x) for x in parts)
    return "valeur"


def _bounds(t: Any) -> str:
    parts = []
    if t.ge is not None:
        parts.append(f"≥ {t.ge}")
    if t.gt is not None:
        parts.append(f"> {t.gt}")
    if t.le is not None:
        parts.append(f"≤ {t.le}")
    if t.lt is not None:
        parts.append(f"< {t.lt}")
    return f" ({', '.join(parts)})" if parts else ""


def _default(field: mi.Field) -> str:
    if field.required:
        return "**obligatoire**"
    value = field.default
    if value is msgspec.NODEFAULT and field.default_factory is not msgspec.NODEFAULT:
        value = field.default_factory()
    if isinstance(value, msgspec.Struct):
        return "(valeurs par défaut)"
    if value == () or value == "":
        return "vide"
    if value is None:
        return "aucun"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float):
        return f"`{round(value, 4)}`"
    return f"`{value}`"


FRENCH = {
    "Manifest": "Le manifeste du pack, fichier `pack.yaml` à la racine du dossier.",
    "Module": "Un module de formation ; quiz et études de cas s'y rattachent.",
    "TrainingObjective": "Un objectif pédagogique, repris par les questionnaires d'auto-évaluation.",
    "Method": "La méthode d'appel : des étapes ordonnées ; le moteur ne suppose aucun nombre d'étapes.",
    "Step": "Une étape de la méthode, avec ses critères observables.",
    "PhraseCriterion": "Critère : la réplique ressemble à l'une des formulations modèles (similarité floue).",
    "PatternCriterion": "Critère : une expression régulière sur le texte normalisé (minuscules, sans accents).",
    "EntityCriterion": "Critère : la réplique contient des faits précis (montant, date, référence…).",
    "OpenQuestionCriterion": "Critère : la réplique pose une question ouverte.",
    "ReformulationCriterion": "Critère : la réplique reprend le contenu de ce que vient de dire le débiteur.",
    "EmpathyCriterion": "Critère : empathie sans concéder le retard.",
    "RelevanceCriterion": "Critère : la réplique répond à l'objection réellement soulevée.",
    "StyleCriterion": "Critère de style (normalement `must-not`) : conditionnel, excuses, minimisation…",
    "ForbiddenCriterion": "Critère : comportement interdit (menace, insulte, divulgation, changement de RIB).",
    "Persona": "Un personnage de débiteur.",
    "Traits": "Traits de caractère sur une échelle de 1 à 5.",
    "PersonaLines": "Les répliques du personnage par situation ; le moteur en tire une avec la graine.",
    "PersonaObjection": "Une objection soulevée par le personnage.",
    "Case": "Un dossier client : la situation d'un appel d'entraînement.",
    "Creditor": "Votre société (celle du stagiaire).",
    "Debtor": "La société cliente et son interlocuteur.",
    "Invoice": "Une facture ouverte.",
    "HistoryEntry": "Un événement antérieur à l'appel.",
    "CallObjective": "Ce que le stagiaire doit obtenir.",
    "Limits": "Ce que le stagiaire a le droit de concéder.",
    "Objection": "Une objection classique, sa technique et ses exemples étiquetés.",
    "Example": "Un exemple de réplique étiqueté ; il sert aussi à calibrer la notation.",
    "QuizBank": "Une banque de questions d'un module.",
    "SingleChoice": "Question à choix unique.",
    "MultipleChoice": "Question à choix multiples ; note = somme des fractions cochées, ramenée dans [0, 1].",
    "Choice": "Un choix de question à choix unique.",
    "WeightedChoice": "Un choix de question à choix multiples, avec sa fraction de la note.",
    "TrueFalse": "Question vrai/faux.",
    "Numeric": "Question numérique, avec tolérance et unité.",
    "Calculated": "Question calculée : variables tirées avec la graine, réponse donnée par une formule.",
    "Variable": "Une variable : un intervalle avec un pas, ou une liste de valeurs.",
    "Ordering": "Remettre des éléments dans l'ordre ; crédit partiel par élément bien placé.",
    "Matching": "Associer chaque élément de gauche à son élément de droite.",
    "MatchPair": "Une paire gauche/droite.",
    "ShortText": "Réponse courte tapée, comparée aux réponses acceptées avec tolérance aux fautes.",
    "CaseStudy": "Une étude de cas chiffrée : un dossier généré, des questions à formule, un corrigé.",
    "Derived": "Une valeur calculée à partir des variables.",
    "Table": "Un tableau du dossier ; les cellules citent des valeurs entre accolades.",
    "CaseStudyQuestion": "Une question dont la réponse est une formule sur les valeurs du dossier.",
    "Questionnaire": "Un questionnaire d'auto-évaluation (avant et après la formation).",
    "QuestionnaireItem": "Un énoncé noté de 1 à 5, rattaché à un objectif.",
    "Golden": "Une transcription de référence, rejouée par `relance validate`.",
    "Expectation": "Le résultat attendu d'une transcription de référence.",
    "ScoreBand": "Une fourchette de note (0–100).",
    "ReplyCorpus": "Un corpus de répliques étiquetées par un expert : il entraîne et mesure la notation.",
    "LabelledReply": "Une réplique de stagiaire dans son contexte, avec l'étiquette de l'expert.",
}


def _struct_table(cls: type, seen: set[type], out: list[str]) -> None:
    if cls in seen:
        return
    seen.add(cls)
    info = mi.type_info(cls)
    assert isinstance(info, mi.StructType)
    docs = field_docs(cls)
    title = cls.__name__
    tag = info.tag
    out.append(f"### {title}\n")
    key = title
    if key in FRENCH:
        out.append(FRENCH[key] + "\n")
    if tag is not None and info.tag_field:
        out.append(f"`{info.tag_field}: {tag}`\n")
    out.append("| clé | type | défaut | rôle |")
    out.append("|---|---|---|---|")
    nested: list[type] = []
    for field in info.fields:
        role = docs.get(field.name, "").replace("|", "\\|")
        out.append(f"| `{field.encode_name}` | {_type_name(field.type)} | {_default(field)} | {role} |")
        nested.extend(_structs_in(field.type))
    out.append("")
    for sub in nested:
        _struct_table(sub, seen, out)


def _structs_in(t: mi.Type) -> list[type]:
    while isinstance(t, mi.Metadata):
        t = t.type
    if isinstance(t, mi.StructType):
        return [t.cls]
    if isinstance(t, mi.VarTupleType | mi.ListType):
        return _structs_in(t.item_type)
    if isinstance(t, mi.UnionType):
        return [c for x in t.types for c in _structs_in(x)]
    return []


def reference_markdown() -> str:
    """The field reference of every kind of file, in French."""
    out: list[str] = []
    seen: set[type] = set()
    for cls in DOCUMENT_TYPES:
        _struct_table(cls, seen, out)
    return "\n".join(out).rstrip() + "\n"


def render_guide(text: str, root: Path) -> str:
    """Refresh the generated parts of the guide (reference and examples)."""
    if REF_START in text and REF_END in text:
        head, _, rest = text.partition(REF_START)
        _, _, tail = rest.partition(REF_END)
        text = f"{head}{REF_START}\n\n{reference_markdown()}\n{REF_END}{tail}"

    def example(match: re.Match[str]) -> str:
        path = root / match.group("path")
        body = path.read_text(encoding="utf-8") if path.exists() else f"# fichier manquant : {match.group('path')}\n"
        return f"{match.group(1)}```yaml\n{body}```\n{match.group(4)}"

    return EXAMPLE_RE.sub(example, text)


def main() -> int:
    root = project_root()
    guide = root / GUIDE
    text = guide.read_text(encoding="utf-8")
    new = render_guide(text, root)
    if "--check" in sys.argv:
        return 0 if new == text else 1
    guide.write_text(new, encoding="utf-8")
    print(f"{GUIDE} mis à jour")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
