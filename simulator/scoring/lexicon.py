"""Built-in French lexicons for style faults, forbidden behaviour and call markers.

Every pattern runs on the *normalised* reply (see :mod:`simulator.scoring.normalize`):
lower case, no accents, apostrophes and hyphens turned into spaces. Sources of
the cues: domain.md §1.2b, §1.6 and §6 (vocabulary to prefer and to avoid).
"""

from __future__ import annotations

import re

__all__ = [
    "CONCESSION",
    "EMPATHY",
    "FORBIDDEN",
    "OPEN_QUESTION",
    "REFORMULATION_MARKERS",
    "STYLE",
    "STUFFING_MARKERS",
]


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


STYLE: dict[str, re.Pattern[str]] = {
    "conditional": _rx(
        r"\bje (voudrais|souhaiterais|aimerais)\b",
        r"\bj aimerais\b",
        r"\bserait il possible\b",
        r"\bpourriez vous eventuellement\b",
        r"\bil faudrait\b",
        r"\bce serait bien\b",
    ),
    "hedging": _rx(
        r"\bpeut etre\b(?! (faite?s?|fait|envoyee?s?|reglee?s?|payee?s?|validee?s?|traitee?s?|effectuee?s?|emise?s?|fixee?s?|programmee?s?|lancee?s?|verse|versee?s?|inclus|incluse|ajoutee?s?)\b)",
        r"\beventuellement\b",
        r"\bsi (jamais|possible)\b",
        r"\bje crois qu il y (aurait|a)\b",
        r"\ben quelque sorte\b",
        r"\bsi ca ne vous derange pas\b",
    ),
    "apology": _rx(
        r"\b(excusez|pardonnez) moi de vous deranger\b",
        r"\bdesole(e)? de (vous )?deranger\b",
        r"\bje me permets\b",
        r"\bje suis (vraiment )?desole(e)?\b",
        r"\bexcusez moi (du|pour le) derangement\b",
    ),
    "minimiser": _rx(
        r"\b(petit|leger|minuscule) (souci|probleme|retard|oubli|detail)\b",
        r"\bjuste (pour|un petit|un)\b",
        r"\bun (tout )?petit peu\b",
        r"\bpas grand chose\b",
        r"\brien de grave\b",
    ),
    "negative": _rx(
        r"\bpas de (souci|soucis|probleme|problemes)\b",
        r"\bne vous inquietez pas\b",
        r"\bsans vouloir vous (embeter|deranger|ennuyer)\b",
        r"\bce n est pas (grave|bien grave)\b",
    ),
    "je-comprends-mais": _rx(r"\b(je comprends|j entends|je vois|je conçois|je concois)\b[^.?!;]{0,40}?,? mais\b"),
    "accusatory-why": _rx(
        r"\bpourquoi (est ce que )?vous (ne )?(m avez|avez|payez|reglez|n avez|ne payez|ne reglez)",
        r"\bpourquoi (ne )?(payez|reglez) vous\b",
        r"\bpourquoi (n )?avez vous (pas )?(paye|regle)\b",
        r"\bvous n avez (toujours )?pas (paye|regle)\b",
        r"(?<!\bsi )\bvous ne (payez|reglez) (jamais|pas)\b",
    ),
    "weak-verb": _rx(
        r"\b(essayer|essayez|essaierez|essayerez|tenter|tentez|esperer|j espere|nous esperons|on verra)\b",
    ),
    "vague-date": _rx(
        r"\bdes que (possible|vous (pouvez|pourrez))\b",
        r"\bquand vous (pourrez|pouvez|voulez|aurez le temps)\b",
        r"\brapidement\b",
        r"(?<!jours )\bfin (de|du) (la )?(semaine|mois)\b",
        r"\bdebut (de|du) (la )?(semaine|mois)\b",
        r"\bun de ces jours\b",
        r"(?<!au )\bplus tard\b(?! (le|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|ce|cet|cette|demain|aujourd|\d))",
        r"\bbientot\b",
        r"\ble plus vite possible\b",
        r"\bprochainement\b",
    ),
}
"""Style faults; each key matches a ``StyleKind`` of the model."""

STYLE_TRIGGERS: dict[str, frozenset[str]] = {
    "conditional": frozenset("voudrais souhaiterais aimerais serait pourriez faudrait".split()),
    "hedging": frozenset("peut eventuellement si crois quelque derange".split()),
    "apology": frozenset("excusez pardonnez desole desolee permets".split()),
    "minimiser": frozenset("petit leger minuscule juste peu grand grave".split()),
    "negative": frozenset("souci soucis probleme problemes inquietez embeter deranger ennuyer grave".split()),
    "je-comprends-mais": frozenset({"mais"}),
    "accusatory-why": frozenset("pourquoi paye regle payez reglez".split()),
    "weak-verb": frozenset("essayer essayez essaierez essayerez tenter tentez esperer espere esperons verra".split()),
    "vague-date": frozenset("possible pourrez pouvez voulez aurez rapidement fin debut jours tard bientot vite prochainement".split()),
}
"""Words one of which every match of a style fault contains: a fault whose words are all
absent from the reply is not searched for (a set lookup instead of a regex scan)."""

STYLE_LABELS = {
    "conditional": "conditionnel",
    "hedging": "formule hésitante",
    "apology": "formule d'excuse",
    "minimiser": "minimisation",
    "negative": "formulation négative",
    "je-comprends-mais": "« je comprends, mais »",
    "accusatory-why": "« pourquoi » accusateur",
    "weak-verb": "verbe faible",
    "vague-date": "date vague",
}

FORBIDDEN: dict[str, re.Pattern[str]] = {
    "threat": _rx(
        r"\bprison\b",
        r"\b(porter plainte|plainte penale|au penal|la police|les gendarmes)\b",
        r"\bsaisir (vos|tous vos) (biens|meubles|comptes) (demain|aujourd hui|ce soir)\b",
        r"\b(on|je|nous) (va|vais|allons) (le )?(dire|raconter|signaler) a (vos|tous vos) (clients|fournisseurs|salaries)\b",
        r"\bvous allez (le )?(regretter|payer (tres |bien )?cher)\b",
        r"\b(signalement|signaler|denoncer|denonciation)\b[^.?!]{0,30}\bdgccrf\b",
        r"\b(detruire|couler|ruiner) votre (entreprise|societe|reputation)\b",
        r"\bnous savons ou vous (habitez|vivez)\b",
        r"\bvous n avez pas le choix\b",
        r"\b(je vous|on vous|nous vous|j vous) (envoie|envoyons|envoies|envoyer|mets|mettons) (l |un |les )?huissiers?\b",
        r"\b(c est|ce sera|ca sera|direct) (l )?huissier\b",
        r"\bhuissiers? (direct|demain|ce soir|chez vous|a votre porte|dans (la|l) (heure|journee)|des (demain|lundi|ce soir))\b",
        r"\bvous allez le sentir( passer)?\b",
        r"\b(prev(enir|ient|iendr\w+|enons)|inform(er|e|ons|erons|erai)|avert(ir|it|irons|issons)|signal(er|e|erons) a) (tous )?(vos|les|toutes vos) (clients|fournisseurs|banques?|banquiers?|salaries|partenaires|concurrents)\b",
        r"\bvotre (gerant|patron|directeur|pdg) (peut|va|pourrait) (finir|aller) (au penal|en prison)\b",
    ),
    "insult": _rx(  # see NEGATED: "je ne vous traite pas de menteur" is not an insult
        r"\b(escroc|escrocs|voleur|voleurs|menteur|menteuse|incapable|incompetent|incompetente|idiot|idiote|"
        r"imbecile|abruti|abrutie|nul|nulle|minable|crapule|magouilleur|connard|connasse|con|conne|"
        r"mauvais payeur|mauvaise payeuse|profiteur|parasite)\b",
        r"\bvous (etes|faites) (un|une|des) (escroc|voleur|menteur|menteuse|incapable)\b",
        r"\bvous vous foutez\b",
        r"\bfoutez vous\b",
    ),
    "bank-details": _rx(
        r"\b(nouveau|nouvel|nouvelles?|changement (de|des)|modifier|modification (de|des)|changer) (rib|iban|coordonnees bancaires|compte bancaire)\b",
        r"\bdictez moi (le|votre) (rib|iban)\b",
        r"\b(virez|versez|payez) (sur|a) (ce|un autre|le nouveau) compte\b",
    ),
}
"""Forbidden behaviour detectable in the text itself (disclosure needs the call context)."""

BANK_ACCEPT = _rx(
    r"\b(je|nous) (note|notons|prends|enregistre|enregistrons|modifie|modifions|change|changeons|mets a jour|mettons a jour) (votre |le |ce |vos |les |leur )?(nouveau |nouvel |nouvelles )?(rib|iban|coordonnees bancaires)\b",
    r"\bje vous (le |la |les )?(dicte|epelle|donne|communique) (notre |mon |le |l |nos )?(rib|iban|coordonnees bancaires)?\b.{0,20}\b(fr ?\d{2}|iban|rib)\b",
    r"\bfr ?\d{2}( ?\d{4}){3,}",
)
"""Accepting or dictating bank details by phone: a fault whatever else the reply says."""

FORBIDDEN_TRIGGERS: frozenset[str] = frozenset(
    """prison plainte penale penal police gendarmes saisir dire raconter signaler regretter cher detruire
    couler ruiner habitez vivez choix escroc escrocs voleur voleurs menteur menteuse incapable incompetent
    incompetente idiot idiote imbecile abruti abrutie nul nulle minable crapule magouilleur connard connasse
    con conne payeur payeuse profiteur parasite foutez rib iban coordonnees compte virez versez fr huissier huissiers
    sentir prevenir previent informer informe avertir avertit previendrons informerons avertirons prevenons informons
    signaler signale signalerons gerant patron directeur
    pdg signalement denonciation dgccrf""".split()
)
"""Words one of which every threat, insult or bank-detail cue contains (see STYLE_TRIGGERS)."""

BANK_CONFIRM = _rx(
    r"\b(je (vous )?(le |la |les )?confirme|c est (bien )?(le bon|la bonne|les bonnes|notre nouveau|notre nouvel|nos nouvelles|correct)|"
    r"vous pouvez (faire le virement|virer|payer|regler|verser) (sur|a|au|avec)|oui c est (bien )?(le|notre|la|nos) (nouveau|nouvel|nouvelle|nouvelles)|"
    r"je valide (le|ce|la|cette) (nouveau|nouvel|nouvelle|changement|modification)|allez y (pour|avec) (le|ce) (nouveau|compte))\b"
)
"""Confirming bank details the debtor asks about (checked only when the debtor's line is about them)."""

BANK_ALERT = re.compile(
    r"\b(fraude|frauduleu\w*|arnaque|escroquerie|ne (payez|virez|reglez|faites) (rien|pas|aucun)|n (a|ont) pas change|"
    r"(surtout )?pas sur ce compte|faux (rib|mail|courriel))\b"
)
"""A fraud warning: a reply that carries one is not confirming the change."""

# Bank-detail cues that are *good* (refusing the change, pointing to the written channel).
BANK_SAFE = re.compile(
    r"\b(n a pas change|jamais par telephone|confirmation ecrite|par ecrit|signee?|canal securise|"
    r"adresse habituelle|ne (change|modifie|modifions|changeons) (jamais|pas))\b"
)

OPEN_QUESTION = re.compile(
    r"(?:^|[.!?;:,]\s*|\b(?:et|alors|donc|dites moi|madame|monsieur)\s+)"
    r"(?:qu est ce qui|qu est ce que|comment|"
    r"(?:pouvez|pourriez|voulez|voudriez) vous me (?:dire|expliquer|preciser|indiquer|decrire|raconter) "
    r"(?:ce qui|ce qu|ce que|comment|ou|quand|quel(?:le)?s?|combien)\b|"
    r"(?:dites|expliquez|racontez|precisez|indiquez) moi (?:ce qui|ce qu|ce que|comment|ou|quand|quel(?:le)?s?|combien)\b|ou en (?:est|sont|etes)|(?:elle |il |ca |vous )?en (?:est|sont|etes) ou|"
    r"quel(?:le)?s?|que (?:se passe|pouvez|prevoyez)|"
    r"qu (?:en|avez|allez|est il)|pour quelle raison|(?:sur|dans|de|a|avec|pour|par) quel(?:le)?s? |combien)"
    r"[^?]*\?"
)
"""An open question: an interrogative opener and a question mark."""

REFORMULATION_MARKERS = re.compile(
    r"\b(si je (vous )?comprends bien|si je resume|vous me dites que|en d autres termes|autrement dit|"
    r"si j ai bien compris|donc (si )?je comprends que|vous m indiquez que|c est bien (cela|ca)|"
    r"vous voulez dire que|d apres vous|je retiens que|vous m expliquez que)\b"
)

EMPATHY = re.compile(
    r"\b(je comprends|j entends|je vois (bien )?que|je comprends (bien )?que|je comprends votre|"
    r"c est (une situation|une periode) (difficile|compliquee|delicate)|je mesure|je note votre)\b"
)

CONCESSION = re.compile(
    r"\b(prenez (tout )?votre temps|ce n est pas grave|ce n est pas (bien )?grave|rien ne presse|"
    r"quand vous (pourrez|pouvez|voulez)|des que vous (pourrez|pouvez)|on attend|nous attendrons|"
    r"j attendrai|ne vous en faites pas|on verra|c est pas grave|pas de souci pour le retard|"
    r"payez quand|pas d urgence|aucune urgence|quand vous aurez (l argent|les fonds|de la tresorerie|ete paye)|"
    r"quand il vous aura paye|rappelez moi quand|on attend (son|votre|leur) paiement)\b"
)
"""Empathy that concedes the delay (it cancels the empathy credit)."""

NEGATED = re.compile(r"\b(ne|n)\b[^.?!]{0,25}\bpas\b[^.?!]{0,15}$|\bpas (de|d un|d une|un|une)\s*$")
"""A negation just before a word ("je ne vous traite pas de …"): the word is not said of anyone."""

JARGON = re.compile(
    r"\b(ecoute active|activement|gagnant gagnant|win win|bienveillante?|constructive?|partenariale?|empathie|"
    r"reformulation|question ouverte|je (vous )?reformule|je vous donne la parole|posture|assertivite|dans l empathie)\b"
)
"""Training vocabulary a trainee recites instead of speaking: two of them make a reply a recitation."""

STUFFING_MARKERS = re.compile(
    r"\b(je comprends|si je comprends bien|je recapitule|je note|virement|cheque|facture|montant|"
    r"echeance|engagement|merci|bonne journee|date|confirmation|email|par ecrit|empathie|reformulation|"
    r"question ouverte|alternative)\b"
)
"""Words a keyword-stuffer lists; a reply made mostly of them, without sentences, is suspect."""
