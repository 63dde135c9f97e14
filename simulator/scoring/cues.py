"""Speech-act cues of a collection call: what a reply *does*, read on its normalised text.

Each cue is a named regular expression over the normalised reply (lower case, no
accents, apostrophes and hyphens as spaces: see :mod:`simulator.scoring.normalize`).
Cues are evidence and features, not verdicts: the learned layer weighs them per
step and per objection, so a cue that fires in the wrong place costs little while
one that catches a paraphrase of an open question helps every step.

The families follow the method (domain.md §1.2b, §3, §6): identity and
discretion, availability, stating the facts, questions, listening and
reformulation, negotiation and commitment, recap, closing; and the faults that
an expert marks down whatever the words around them (apology, minimiser,
vagueness, concession, threat, doubt, jargon).

``LABELS`` names each cue in French for the trainee; ``FAULTS`` lists the cues
that are faults, in order of seriousness (the first one found heads the
feedback).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["ADVICE", "CUES", "FAULTS", "LABELS", "MATCHER", "PREFILTERS", "CueMatcher", "find_cues", "required_literals", "spellings"]


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


_DAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_PAY = r"(?:pay\w*|regl\w*|regul\w*|verse\w*|vir\w*|solde\w*|part(?:e|ent|ir)?|envoy\w*|lanc\w*|sort\w*)"

CUES: dict[str, re.Pattern[str]] = {
    # ------------------------------------------------------------------ identity
    "self-intro": _rx(
        r"\b(ici|c est|je suis|moi c est|mon nom est|je m appelle)\b",
        r"\ba l appareil\b",
        r"\bje (gere|m occupe de|suis en charge de|suis charge) (votre|de votre|du) (compte|dossier)",
    ),
    "service": _rx(
        r"\b(service|departement|pole) (de )?(credit|recouvrement|comptab\w*|compta|finan\w*|client\w*|tresorerie|facturation|administration des ventes|adv)\b",
        r"\b(credit|comptabilite|compta|comptes?) clients?\b",
        r"\bcomptes a recevoir\b",
        r"\bposte clients?\b",
        r"\b(gestionnaire|charge\w*|responsable|analyste) (de |du |des )?(credit|recouvrement|compte|comptes|poste)\b",
        r"\brecouvrement\b",
    ),
    # --------------------------------------------------------- who am I talking to
    "asks-person": _rx(
        r"\b(suis|je parle|vous etes|suis je|c est) bien (en ligne )?(avec|a|au|aupres de|la personne|le service|monsieur|madame|m |mme)\b",
        r"\bc est bien vous qui\b",
        r"\b(qui|quelle personne|quel service) (s occupe|gere|traite|regle|valide|signe|suit|est en charge|a repris|soccupe|paie|paye)\b",
        r"\b(la personne|le service|quelqu un) (qui|en charge|charge)\b",
        r"\b(passer|transferer|mettre en relation avec|joindre|parler a)\b",
        r"\b(son|sa|votre|leur) (nom|ligne directe|numero direct|poste|adresse|courriel|mail|e mail)\b",
        r"\bquel est (son|le) (nom|numero|poste)\b",
        r"\b(a quelle adresse|quelle adresse|quel mail|quel courriel)\b",
    ),
    "asks-when-available": _rx(
        r"\b(a quelle heure|vers quelle heure|quand) (est ce qu )?(il|elle) (sera|est|revient|rentre|termine|sort|repasse)\b",
        r"\b(il|elle) (termine|revient|rentre|sera la|sera disponible|est joignable) (vers )?(quand|a quelle heure)\b",
        r"\b(quel|quand est le) (moment|creneau)\b",
        r"\bde retour (quand|a quelle)\b",
        r"\bquand (peut on|puis je|pourrai je|est ce que je peux) (le|la) (joindre|rappeler|avoir)\b",
    ),
    # ------------------------------------------------------------- availability
    "availability": _rx(
        r"\b(deux|2|trois|3|quelques|cinq|5|une|1|dix|10) (petites? )?minutes?\b",
        r"\bun (petit )?(instant|moment)\b",
        r"\bdisponible\b",
        r"\b(est ce|c est) (le bon|un bon) moment\b",
        r"\b(avez|auriez) vous (un instant|le temps|deux|2|quelques|une minute)\b",
        r"\bvous avez (un instant|le temps|deux|2|quelques|une minute|un moment)\b",
        r"\bje serai (breve?|rapide|courte?)\b",
        r"\bca (va|ira) (vite|etre rapide)\b",
    ),
    "file-at-hand": _rx(
        r"\bsous les yeux\b",
        r"\b(ouvrir|avoir|prendre|sortir) (le|votre|notre) (dossier|compte|releve|grand livre|ecran)\b",
        r"\bdevant vous\b",
    ),
    "callback-time": _rx(
        rf"\b(je vous |je |on se |nous vous )?(rappelle|rappellerai|rappelerai|rappeler|recontacte|recontacterai)\b[^.?!]{{0,40}}\b({_DAY}|demain|aujourd hui|cet apres midi|ce midi|cet aprem|[0-9]{{1,2}} ?h|a [0-9]{{1,2}}|lundi)",
        r"\b[0-9]{1,2} ?h( ?[0-9]{2})?\b",
    ),
    "phone-repeat": _rx(
        r"\b(je (le )?(repete|redis|redonne)|soit|je vous le redis|je le redis)\b",
    ),
    "callback-request": _rx(
        r"\b(rappelez moi|me rappeler|merci de me rappeler|pourriez vous me rappeler|rappeler au|joignable au|me joindre|me recontacter)\b",
    ),
    "deadline": _rx(
        r"\b(avant|d ici|au plus tard|jusqu a) (ce soir|demain|midi|[0-9]{1,2} ?h|" + _DAY + r"|la fin de la journee|aujourd hui|[0-9]{1,2})",
        r"\bdans la (journee|matinee)\b",
    ),
    # ----------------------------------------------------------- stating facts
    "facts-due": _rx(
        r"\b(echue?s?|echeance|exigible|arrivee? a echeance|en retard|retard de|de retard|depassee?)\b",
        r"\b[0-9]+ jours (de retard|apres|depuis)\b",
        r"\b(depuis|au) (le )?[0-9]{1,2}( ?/ ?[0-9]{1,2}| (janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre))\b",
    ),
    "not-received": _rx(
        r"\b(pas (encore |toujours )?(recu|arrive|parvenu|vu passer|enregistre|encaisse|reglee?|payee?))\b",
        r"\b(toujours|reste|restent|est encore|sont encore) (ouverte?s?|due?s?|impayee?s?|en attente|non reglee?s?)\b",
        r"\bne (nous )?est (toujours )?pas (parvenu|arrive)\b",
        r"\bne (la|le) vois pas\b",
        r"\bje ne (la |le )?vois (pas|rien)\b",
    ),
    "previous-promise": _rx(
        r"\b(vous m aviez|vous nous aviez|vous aviez) (dit|annonce|confirme|promis|indique|assure|parle)",
        r"\bon s est (eus|eues|parle|appele)\b",
        r"\bnous (nous )?sommes (parle|appele)s?\b",
        r"\blors de (notre|mon) (dernier|precedent) (appel|echange)\b",
        r"\bdeuxieme (date|fois|promesse)\b",
    ),
    # -------------------------------------------------------------- questions
    "open-question": _rx(
        r"\bqu est ce qu?(i|e)\b[^?]*\?",
        r"\b(ou|a quel stade|a quelle etape) (en )?(est|sont|etes|en est|en sont|ca en est)\b[^?]*\?",
        r"\ben (est|sont|etes|sommes) ou\b",
        r"\bca en est ou\b",
        r"\b(comment|combien|quel(le)?s?|lequel|laquelle|qui|quoi|quand|ou)\b[^?]{0,60}\?",
        r"\bc est quoi\b",
        r"\b(dites|racontez|expliquez) moi\b",
        r"\bqu (est il|y a t il|avez vous|allez vous|en pensez vous)\b",
        r"\bque (se passe|s est passe|pouvez|prevoyez|proposez)\b",
        r"\bpour quelle raison\b",
    ),
    "closed-question": _rx(
        r"\b(est ce que|est ce qu)\b[^?]*\?",
        r"\b\w+ (vous|il|elle|on|ils|elles)\b[^?]{0,40}\?",
        r"\b(vous|elle|il) (avez|a|est|etes|pouvez|confirmez)\b[^?]{0,60}\?",
    ),
    "why-accusatory": _rx(
        r"\bpourquoi\b[^?.!]{0,40}\b(pas|toujours pas|jamais)\b",
        r"\bpourquoi (est ce que )?(vous|c est)\b",
        r"(?<!\bsi )\bvous ne (payez|reglez) (jamais|pas)\b",
    ),
    "blame": _rx(
        r"\bvous (n )?avez (toujours |encore )?(pas|jamais) (paye|regle|vire|verse)\b",
        r"\bvous (etes|etiez) en retard\b",
        r"\bon attend (notre|cet|son|votre|mon|l) argent\b",
        r"\bca fait (des semaines|des mois|longtemps|un mois|deux mois) qu on attend\b",
    ),
    "when-will-you-pay": _rx(
        r"\bquand (est ce que )?(pensez|pourrez|comptez|allez|prevoyez|voulez|pouvez|envisagez|souhaitez)[ -]?vous\b",
        r"\bquand (est ce que )?vous (pensez|pourrez|comptez|allez|prevoyez|voulez|pouvez|envisagez|aurez)\b",
        r"\bvous (pensez|comptez|pourrez|pouvez) (la |le |les )?(payer|regler|solder) quand\b",
        r"\b(la|le|les) (payer|regler) quand\b",
        r"\bvous me (direz|dites) quand\b",
    ),
    "check-question": _rx(
        r"\b(c est (bien )?(ca|cela|exact|juste|correct|bon)|c est bien ca|c est ca|j ai bien compris|je resume bien|on est (bien )?d accord|vous me confirmez|confirmez vous|vous confirmez|d accord|ok|ca vous va|ca vous convient|ca marche|on fait comme ca|c est jouable|on part la dessus|on s entend|correct|exact|vrai|non)\s*\?",
        r"\bc est (bien )?(ca|cela|exact)\b[^?]*\?",
    ),
    "alternative-question": _rx(
        rf"\b({_DAY}|aujourd hui|demain|ce matin|cet apres midi|la totalite|virement|cheque|[0-9][0-9 ]*)\b[^?.]{{0,35}}\bou\b[^?.]{{0,35}}\b({_DAY}|demain|aujourd hui|matin|apres midi|le solde|virement|cheque|[0-9]+)\b[^?]{{0,40}}\?",
        r"\bou (bien|alors|plutot)\b[^?]*\?",
    ),
    # ------------------------------------------------ listening and reformulation
    "reformulation": _rx(
        r"\b(si je (vous )?comprends bien|si j ai bien compris|si je resume|vous me dites que|en d autres termes|autrement dit|"
        r"donc (si )?je comprends|vous m indiquez|vous voulez dire|je retiens que|vous m expliquez|je comprends que|j entends que|"
        r"vous avez compris|d apres vous|si je vous suis)\b",
        r"^(d accord|ok|bien|tres bien|entendu|je vois|ah|donc)\b[ ,:.]*\b(donc|vous|votre|il|elle|la|le|les|un|une|quatre|[0-9])\b",
    ),
    "empathy": _rx(
        r"\b(je comprends|j entends|je mesure|je vois bien|je concois|je vous entends|je vous comprends|je comprends bien)\b",
        r"\b(c est|ce doit etre|ca doit etre) (une (situation|periode) )?(difficile|compliquee?|penible|embetant|agacant|complique|lourd|normal)\b",
        r"\bca arrive( a tout le monde)?\b",
        r"\bje (suis|serais) (agace|ennuye)e? a votre place\b",
        r"\bmerci de (me le dire|votre franchise|l information|m avoir prevenu|me prevenir)\b",
        r"\bmerci (pour|de) (votre|cette) (franchise|transparence|information)\b",
    ),
    "but-after-empathy": _rx(r"\b(je comprends|j entends|je vois|je concois|d accord|ok)\b[^.?!;]{0,40}?,? mais\b"),
    "isolate": _rx(
        r"\b(a part|mis a part|en dehors de|hormis|a l exception de|excepte) (ce|cela|ca|cette|ces)\b",
        r"\b(le reste|tout le reste|les autres|le solde|la partie non (contestee|concernee)|non conteste)\b[^.?!]{0,40}\b(conforme|en ordre|ok|bon|regle|payable|paye|part)\b",
        r"\b(la partie|le montant|les [0-9]+) (non )?(contestee?|concernee?|conformes?)\b",
        r"\bc est (le seul|la seule|tout ce qui) (point|chose|raison|bloque)\b",
        r"\b(seul|seule) (point|raison|chose)\b[^?]*\?",
        r"\bnon contestee?\b",
    ),
    "diagnostic": _rx(
        r"\bdepuis quand\b",
        r"\bjusqu a quand\b",
        r"\bpour combien de temps\b",
        r"\b(quel montant|combien) (pouvez|pourriez|vous pouvez|est ce que vous pouvez|vous pourriez)\b",
        r"\bcombien (sont|manque|de|en)\b",
        r"\b(qui (signe|valide|a la delegation|peut signer|le remplace|la remplace))\b",
        r"\b(delegation|suppleant|remplacant|interim)\b",
        r"\b(photos?|reserves?|bon de livraison|proces verbal|pv|preuve|justificatif|avis (de virement|d opere)|copie)\b",
        r"\b(quel|quelle|quels|quelles) (point|points|quantite|produits?|articles?|etape|signature|visa|reference|numero|banque|date)\b",
        r"\bqu est ce qui (bloque|coince|manque|pose probleme|s est passe|empeche)\b",
        r"\b(ca|ce qui) (bloque|coince) (ou|quoi)\b",
    ),
    # ----------------------------------------------------------- negotiation
    "proposal": _rx(
        r"\bje (vous )?(propose|suggere|note|mets|inscris|retiens|bloque|cale|programme|enregistre)\b",
        r"\b(on|nous) (dit|fixe|note|retient|cale|part sur|convient|convenons|se met d accord|s entend|fait)\b",
        r"\bje (vous )?(le |la )?(note|mets|inscris) (donc|pour|comme)\b",
        r"\bnous (notons|retenons|convenons|fixons)\b",
        r"\b(vous (le |la |les )?(lancez|faites|reglez|payez|virez|envoyez|signez|saisissez|programmez|validez))\b",
    ),
    "validation-ask": _rx(
        r"\b(ca vous va|ca vous convient|cela vous convient|c est bon pour vous|d accord|ok|on fait comme ca|c est jouable|"
        r"vous pouvez tenir|vous pouvez le faire|on part la dessus|je peux compter sur vous|ca marche|vous me confirmez|"
        r"vous confirmez|on s entend|je (vous )?l inscris|je note|je peux noter|entendu|on dit ca|c est possible|vous validez)\b[^.!]{0,20}\?",
    ),
    "plan-b": _rx(
        r"\b(a defaut|sinon|faute de quoi|dans le cas contraire|si (ce n est|c est) pas possible|si (vraiment )?(ce n est|c est) pas)\b",
        r"\bs (il|elle|ils) n (est|arrive|arrivent|sont|a) (pas|toujours pas)\b",
        r"\bsi (le|la|les) \w+ n (est|arrive|a|sont) (pas|toujours pas)\b",
        r"\bsi (rien|je n ai rien|je ne l ai|je ne vois rien|les fonds ne sont pas|une echeance saute|une echeance n est pas)\b",
        r"\bopposition\b",
    ),
    "proof-request": _rx(
        r"\b(avis (de virement|d opere|d execution)|preuve|justificatif|copie|capture|releve|confirmation bancaire|numero (du|de) (cheque|virement)|reference (du|de) (virement|paiement))\b",
        r"\b(m envoyer|me transmettre|me faire suivre|me transferer|me faxer|m adresser) (l |le |la |les |une |un |ce |cette )",
    ),
    "instalments": _rx(
        r"\b(echeancier|en (deux|trois|quatre|2|3|4) (fois|versements?|echeances?|paiements?)|premier versement|acompte|solde|reste|restants?)\b",
    ),
    "acceleration-clause": _rx(
        r"\b(deviendra|devient|sera|rend|rendra) (le solde |la totalite )?(immediatement )?exigible\b",
        r"\bdecheance du terme\b",
        r"\bsi une (echeance|mensualite) (saute|n est pas (honoree|respectee|payee))\b",
    ),
    "written-confirmation": _rx(
        r"\b(par ecrit|confirmation ecrite|je vous (le |la |les )?confirme|confirmer par|un (mail|courriel|e mail|email|courrier) (de confirmation|recapitulatif|recap)|"
        r"(mail|courriel|e mail|email|courrier) (recapitulatif|de confirmation|qui reprend)|ecrivez|me l ecrire|vous m ecriv|"
        r"je vous (envoie|adresse|fais|mets) (un |le |ca |tout ca |tout cela |cela |ceci )?(mail|courriel|e mail|email|recap|recapitulatif|par ecrit|par mail|par courriel))\b",
    ),
    "next-check": _rx(
        r"\bje (verifie|surveille|regarde|guette|controle|check|pointe)\b",
        r"\b(verifier|surveiller|controler) (la reception|nos (encaissements|releves|comptes))\b",
        r"\bje (vous )?(rappelle|rappellerai|recontacte|recontacterai)\b[^.?!]{0,30}\b(si|le|" + _DAY + r"|demain|lundi|le [0-9])",
        r"\b(si|au cas ou) (le|les|les fonds|le virement|le cheque|le paiement|rien)\b[^.?!]{0,30}\b(pas|n est|n a|arrive)\b",
    ),
    "resend": _rx(
        r"\bje (vous )?(la |le |les )?(renvoie|renvoye|reenvoie|retransmets|refais partir|envoie|transmets|fais suivre|transfere)\b",
        r"\b(duplicata|copie de la facture|facture corrigee|avoir)\b",
    ),
    "escalation-legit": _rx(
        r"\b(mise en demeure|lettre recommandee|recommande|injonction de payer|petites creances|service (juridique|contentieux)|contentieux|procedure judiciaire|tribunal de commerce)\b",
        r"\b(bloquer|bloque|suspendre|suspend|suspendrons|suspendons) (les |vos |nos )?(livraisons|commandes|compte|encours)\b",
        r"\b(paiement|reglement) (a la commande|comptant|d avance)\b",
        r"\bpenalites? (de retard)?\b",
        r"\bindemnite forfaitaire\b",
    ),
    "legal-frame": _rx(
        r"\b(l ?441|cgv|conditions generales|conditions de (vente|paiement)|de plein droit|la loi|legal|legale|code de commerce|60 jours|45 jours fin de mois|contrat|bon de commande)\b",
    ),
    "collective-procedure-ok": _rx(
        r"\b(declar\w* (de |notre |la )?creance|mandataire|administrateur judiciaire|liquidateur|jugement|bodacc|greffe|revendication|reserve de propriete)\b",
    ),
    "fraud-alert": _rx(
        r"\b(fraude|frauduleu\w+|arnaque|escroquerie|usurpation|faux (mail|rib|courriel))\b",
        r"\bne (payez|virez|reglez|faites) (rien|pas|aucun)\b",
        r"\b(nos|mes) coordonnees (bancaires )?n ont pas change\b",
        r"\b(rib|coordonnees bancaires|iban) (n a|n ont) pas change\b",
        r"\b(courrier signe|confirmation (ecrite )?signee?|canal (securise|habituel)|adresse habituelle)\b",
    ),
    "bank-dictation": _rx(
        r"\bfr ?[0-9]{2}( ?[0-9a-z]{4}){3,}",
        r"\b(notez|je vous (le |la )?(dicte|donne|epelle|lis))\b[^.?!]{0,30}\b(rib|iban|bic|coordonnees)\b",
        r"\b(bic|swift) ?:? ?[a-z]{6}",
        r"\b(oui|c est bien) (le|notre) (nouveau|nouvel) (rib|iban|compte)\b",
        r"\bje (note|prends|enregistre|modifie|change|mets a jour) (votre |le |ce |vos |les )?(nouveau |nouvel |nouvelles )?(rib|iban|coordonnees bancaires)\b",
    ),
    # --------------------------------------------------------------- recap
    "recap-marker": _rx(
        r"\b(je (re)?capitule|je resume|si je resume|recap|recapitulons|resumons|pour (etre sure?|qu on soit|resumer|recapituler|confirmer)|"
        r"donc (de mon cote )?je note|on est (bien )?d accord|je reprends|nous disons donc|on a donc|donc on dit|si je recapitule)\b",
    ),
    # -------------------------------------------------------------- closing
    "thanks": _rx(r"\bmerci\b", r"\bje vous remercie\b"),
    "farewell": _rx(r"\b(au revoir|bonne (journee|soiree|fin de journee|apres midi|semaine|fin de semaine)|a bientot|a tout a l heure|a demain|a lundi)\b"),
    "callback-vague": _rx(
        r"\bon se (rappelle|reparle|recontacte|redit)\b(?![^.?!]{0,20}\b(" + _DAY + r"|demain|le [0-9]|a [0-9]|[0-9]{1,2} ?h))",
        r"\bje (vous )?(rappellerai|rappelerai|rappelle) (plus tard|un de ces jours|la semaine pro|un autre jour|bientot)\b",
        r"\bon (verra|en reparle|en reparlera|voit ca)\b",
    ),
    # --------------------------------------------------------------- faults
    "apology": _rx(
        r"\b(excusez|pardonnez|pardon) (moi )?(de|pour) (vous )?(deranger|le derangement|derange|embeter|importuner)\b",
        r"\bdesolee? (de|pour|d avoir|du) (vous )?(deranger|derangement|derange|embeter|importuner|relancer|insister|appeler|avoir)\b",
        r"\b(encore |vraiment )?desolee?\b",
        r"\bje me permets\b",
        r"\bexcusez moi\b",
        r"\bpardon de\b",
        r"\bje ne vous derange pas\b",
        r"\bsi (je ne vous derange pas|ca ne vous derange pas)\b",
    ),
    "unsure-claim": _rx(
        r"\bsauf erreur\b",
        r"\b(il )?(me |nous )?(semble|semblerait|sembleraient)\b",
        r"\bpossiblement\b",
        r"\bje pense qu (on|il|elle|vous|votre|notre)\b",
        r"\bsi je ne me trompe\b",
        r"\ba moins que je (me trompe|fasse erreur)\b",
    ),
    "minimiser": _rx(
        r"\b(petit|leger|minuscule|petite) (souci|soucis|probleme|retard|oubli|detail|facture|montant|rien)\b",
        r"\bc est (surement|sans doute|probablement) rien\b",
        r"\b(pas|rien de) (urgent|grave|bien grave|presse)\b",
        r"\brien ne presse\b",
        r"\bun (tout )?petit peu\b",
        r"\bpas grand chose\b",
        r"\bsi jamais vous aviez un moment\b",
    ),
    "conditional": _rx(
        r"\bje (voudrais|souhaiterais|aimerais|pourrais|devrais)\b",
        r"\bj aimerais\b",
        r"\bserait il possible\b",
        r"\bil (faudrait|serait bien|serait bon)\b",
        r"\bce serait (bien|bon|possible|super)\b",
        r"\bon (aurait|pourrait)\b",
        r"\bil me semble\b",
    ),
    "hedging": _rx(
        r"\bpeut etre\b",
        r"\beventuellement\b",
        r"\bsi (jamais|possible|ca vous (va|dit|arrange)|vous voulez|vous pouvez)\b",
        r"\bje crois (qu|que)\b",
        r"\ben quelque sorte\b",
        r"\b(euh|bon ben|hein)\b",
    ),
    "negative-wording": _rx(
        r"\b(pas de|aucun) (souci|soucis|probleme|problemes|stress)\b",
        r"\bne vous (inquietez|en faites) pas\b",
        r"\bsans vouloir vous (embeter|deranger|ennuyer)\b",
        r"\bce n est pas (grave|bien grave)\b",
    ),
    "vague-time": _rx(
        r"\bdes que (possible|vous (pouvez|pourrez|le pourrez|aurez))\b",
        r"\bau plus (vite|tot)\b(?! (le|ce|cet|demain|" + _DAY + r"))",
        r"\bquand vous (pourrez|pouvez|voulez|aurez|le souhaitez)\b",
        r"\brapidement\b",
        r"(?<!jours )\b(en |a la |d ici la |vers la )?fin (de|du) (la )?(semaine|mois)\b",
        r"\b(debut|courant|dans le courant) (de|du) (la )?(semaine|mois)\b",
        r"\bun de ces jours\b",
        r"(?<!au )\bplus tard\b(?! (le|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|ce|cet|cette|demain|aujourd|[0-9]))",
        r"\bbientot\b",
        r"\ble plus vite possible\b",
        r"\bprochainement\b",
        r"\bla semaine (pro|prochaine)\b(?![^.?!]{0,15}\b(" + _DAY + r"|a [0-9]|[0-9]{1,2} ?h))",
        r"\bdans les (prochains|jours|semaines)\b",
        r"\ble moment venu\b",
        r"\bd ici (peu|quelques jours)\b",
    ),
    "hands-over": _rx(
        r"\b(vous me (tenez|tiendrez) au courant|tenez moi au courant|vous me (ferez|faites) signe|vous me (direz|dites)|faites moi signe|"
        r"vous me (rappelez|recontactez|rappellerez)|rappelez moi quand|revenez vers moi|je vous laisse (me )?(prevenir|me dire|revenir))\b",
        r"\b(je vous laisse|a vous de voir|comme vous voulez|c est vous qui voyez|vous voyez avec)\b",
    ),
    "concession": _rx(
        r"\b(prenez (tout )?votre temps|on (attendra|attend)|nous attendrons|j attendrai|on patiente|payez quand|aucune urgence|pas d urgence|rien ne presse)\b",
        r"\b(c est cadeau|on (oublie|annule|laisse tomber|efface|passe l eponge)|je (vous )?(fais|accorde|offre) (un avoir|une remise|un geste)|n en parlons plus)\b",
        r"\b(pas de|aucune|sans) penalites?\b",
        r"\bavoir (sur|pour) (la totalite|l ensemble|tout)\b",
        r"\b(oubliez|annulez) (mon appel|la facture|les penalites)\b",
        r"\b(d accord|ok|entendu|tres bien|bon|parfait) (pour|alors|donc) (les )?(90|soixante|quatre vingt dix) jours\b",
        r"\bquand (votre|son|leur) client (vous |l |les )?(aura|a) (paye|regle)\b",
    ),
    "doubt": _rx(
        r"\b(je ne vous crois pas|c est faux|si vous le dites|comme par hasard|comme d habitude|on me fait (toujours )?le coup|"
        r"ca m etonnerait|vous mentez|n importe quoi|a d autres|on connait la chanson|c est ca oui|mon oeil|soit c est faux)\b",
    ),
    "denigration": _rx(
        r"\b(nos|mes|les) commerciaux (promettent|disent|racontent)\b",
        r"\b(il|elle) (dit|raconte|promet) n importe quoi\b",
        r"\bil ne fallait pas (le|la) (prendre|croire)\b",
        r"\bpromettent la lune\b",
    ),
    "defensive": _rx(
        r"\b(jamais eu de (probleme|souci|reclamation)|nos (livraisons|produits) sont (toujours )?(controlees?|parfaite?s?)|ce n est pas (mon|notre) (probleme|faute|souci))\b",
        r"\bce n est pas mon probleme\b",
        r"\bpas mon probleme\b",
        r"\b(il )?(ne )?faut (pas|rien) exagerer\b",
        r"\b(vous exagerez|n exagerez pas|n exagerons rien)\b",
    ),
    "lie": _rx(r"\b(c est )?(d ordre )?(personnel|prive|privee|une affaire personnelle)\b"),
    "jargon": _rx(
        r"\b(ecoute active|activement|gagnant gagnant|win win|bienveillan\w+|constructi\w+|partenari\w+|empathie|reformulation|question ouverte|"
        r"je reformule|je vous donne la parole|je vous ecoute activement|dans l empathie|posture|assertivite|je vous propose un echange|ressenti|exprimez moi)\b",
    ),
    "threat": _rx(
        r"\bprison\b",
        r"\b(porter plainte|plainte|au penal|penalement|la police|les gendarmes|infraction penale|delit)\b",
        r"\bhuissier\b",
        r"\b(saisir|saisie) (vos|tous vos|de vos) (biens|meubles|comptes|voitures)\b",
        r"\b(prevenir|informer|avertir|dire a|signaler a|previendrons|informerons|avertirons|prevenons) (tous )?(vos|les) (clients|fournisseurs|banques?|banquiers?|salaries|partenaires|concurrents)\b",
        r"\b(cessation de paiement|mauvais payeur|liste noire|blacklist\w*|fichier des mauvais)\b",
        r"\bvous allez (le )?(regretter|payer cher|le sentir|le sentir passer|voir|avoir des problemes|entendre parler)\b",
        r"\b(le sentir passer|payer tres cher)\b",
        r"\bca (va|risque de) (vous )?couter (\w+ ){0,3}cher\b",
        r"\b(detruire|couler|ruiner|faire tomber) (votre|vos|la) (entreprise|societe|reputation|boite)\b",
        r"\b(dgccrf|signalement|denoncer|denonciation)\b",
        r"\b(2|deux) millions\b",
        r"\bvous n avez pas le choix\b",
        r"\bc est clair\s*\?",
        r"\b(sinon|faute de quoi|ou alors) (c est|ce sera) (l huissier|le tribunal|la guerre|la cata)\b",
        r"\bon (vous )?(coupe|couper) (tout|les vivres)\b",
    ),
    "insult": _rx(
        r"\b(escroc|escrocs|voleur|voleurs|menteur|menteuse|incapable|incompetente?|idiote?|imbecile|abrutie?|nulle?|minable|crapule|magouilleur|"
        r"connard|connasse|con|conne|mauvaise? payeu(r|se)|profiteur|parasite|malhonnete|guignols?|clowns?|rigolos?)\b",
        r"\bsi le chapeau vous va\b",
        r"\bvous vous (foutez|moquez) (de moi|du monde|de nous)\b",
        r"\bfoutez vous\b",
        r"\bvous plaisantez\b",
        r"\bserieusement\s*\?",
    ),
    "informal": _rx(r"\b(tu|t es|ton|ta|tes|toi|te)\b", r"\b(mec|ouais|grave|ca roule|nickel|kiffe|bosser|fric|thune|boulot)\b"),
    "rush-closing": _rx(r"^(ok |d accord |parfait |super |tres bien |entendu |ah )*(merci|au revoir|bonne journee)"),
}
"""Every cue, by name."""

LABELS: dict[str, str] = {
    "self-intro": "se présente",
    "service": "nomme son service",
    "asks-person": "cherche le bon interlocuteur",
    "asks-when-available": "demande quand la personne est joignable",
    "availability": "vérifie la disponibilité",
    "file-at-hand": "fait prendre le dossier",
    "callback-time": "fixe une heure de rappel",
    "phone-repeat": "répète le numéro",
    "callback-request": "demande un rappel",
    "deadline": "fixe une heure limite",
    "facts-due": "cite l'échéance ou le retard",
    "not-received": "constate le non-paiement",
    "previous-promise": "rappelle l'engagement précédent",
    "open-question": "pose une question ouverte",
    "closed-question": "pose une question fermée",
    "why-accusatory": "« pourquoi » accusateur",
    "blame": "reproche au lieu d'un constat",
    "unsure-claim": "doute de sa propre créance",
    "when-will-you-pay": "laisse le débiteur fixer la date (« quand pensez-vous… »)",
    "check-question": "fait valider",
    "alternative-question": "propose une alternative",
    "reformulation": "reformule",
    "empathy": "montre de l'empathie",
    "but-after-empathy": "« je comprends, mais »",
    "isolate": "isole l'objection ou la partie non contestée",
    "diagnostic": "pose une question de diagnostic",
    "proposal": "fait une proposition",
    "validation-ask": "demande l'accord",
    "plan-b": "prévoit une solution de repli",
    "proof-request": "demande une preuve",
    "instalments": "parle d'acompte ou d'échéancier",
    "acceleration-clause": "rappelle la déchéance du terme",
    "written-confirmation": "annonce une confirmation écrite",
    "next-check": "fixe un contrôle ou une suite",
    "resend": "renvoie le document",
    "escalation-legit": "annonce une suite prévue (pénalités, mise en demeure, contentieux)",
    "legal-frame": "rappelle le cadre (CGV, loi)",
    "collective-procedure-ok": "traite la procédure collective (déclaration, mandataire)",
    "fraud-alert": "alerte sur la fraude au RIB",
    "bank-dictation": "donne ou note des coordonnées bancaires par téléphone",
    "recap-marker": "annonce un récapitulatif",
    "thanks": "remercie",
    "farewell": "prend congé",
    "callback-vague": "renvoie à plus tard sans date",
    "apology": "formule d'excuse",
    "minimiser": "minimise la dette",
    "conditional": "conditionnel",
    "hedging": "hésitation",
    "negative-wording": "formulation négative (« pas de souci »)",
    "vague-time": "date vague",
    "hands-over": "rend la main au débiteur",
    "concession": "concède sans contrepartie",
    "doubt": "met en doute la parole du client",
    "denigration": "dénigre un collègue ou sa société",
    "defensive": "se défend au lieu d'écouter",
    "lie": "prétexte personnel",
    "jargon": "jargon de formation récité",
    "threat": "menace",
    "insult": "insulte ou ironie",
    "informal": "registre familier",
    "rush-closing": "clôt sans rien obtenir",
}

FAULTS: tuple[str, ...] = (
    "threat",
    "insult",
    "bank-dictation",
    "doubt",
    "denigration",
    "lie",
    "concession",
    "hands-over",
    "defensive",
    "why-accusatory",
    "blame",
    "when-will-you-pay",
    "apology",
    "minimiser",
    "unsure-claim",
    "vague-time",
    "callback-vague",
    "jargon",
    "but-after-empathy",
    "conditional",
    "negative-wording",
    "hedging",
    "informal",
)
"""Cues that are faults, the most serious first."""

PREFILTER_HINTS: dict[str, tuple[str, ...]] = {
    # A time of day needs a digit; a call back, its verb.
    "callback-time": ("rappel", "recontact", *"0123456789"),
    "plan-b": ("defaut", "sinon", "faute de quoi", "cas contraire", "si ", "s il", "s elle", "opposition"),
}
"""Strings one of which every match contains, for cues whose prefilter cannot be read off the
pattern (a character class, ``\\w+``); the tests check them like the derived ones."""

def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Strings one of which every match of ``pattern`` contains, read off its parse tree; None if unknown.

    A sound prefilter, derived rather than written by hand: a reply that
    contains none of them cannot match, so its regex need not run. (Most cues
    are absent from most replies; a substring test costs a fraction of a search.)
    """
    from re import _constants as c  # noqa: PLC0415 - parse-tree constants, used once per cue
    from re import _parser

    def required(items: list[tuple[object, object]]) -> frozenset[str] | None:
        candidates: list[frozenset[str]] = []
        run: list[str] = []

        def close() -> None:
            if run:
                candidates.append(frozenset({"".join(run)}))
                run.clear()

        for op, arg in items:
            if op is c.LITERAL:
                run.append(chr(arg))  # type: ignore[arg-type]
                continue
            close()
            found: frozenset[str] | None = None
            if op is c.SUBPATTERN:
                found = required(list(arg[-1]))  # type: ignore[index]
            elif op is c.BRANCH:
                branches = [required(list(b)) for b in arg[1]]  # type: ignore[index]
                found = None if any(b is None for b in branches) else frozenset().union(*branches)  # type: ignore[arg-type]
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and arg[0] >= 1:  # type: ignore[index]
                found = required(list(arg[2]))  # type: ignore[index]
            if found:
                candidates.append(found)
        close()
        if not candidates:
            return None
        # The most selective requirement: longest shortest literal, then fewest alternatives.
        return max(candidates, key=lambda cand: (min(len(x) for x in cand), -len(cand)))

    try:
        found = required(list(_parser.parse(pattern)))
    except Exception:  # noqa: BLE001 - an unparsable pattern simply gets no prefilter
        return None
    if not found or any(len(x.strip()) < 2 for x in found):
        return None
    return tuple(sorted(found))


def _needs_question_mark(pattern: str) -> bool:
    """Every alternative of ``pattern`` contains a literal ``?`` (so a reply without one cannot match)."""
    from re import _constants as c  # noqa: PLC0415
    from re import _parser

    def has(seq: list[tuple[object, object]]) -> bool:
        for op, arg in seq:
            if op is c.LITERAL and arg == ord("?"):
                return True
            if op is c.SUBPATTERN and has(list(arg[-1])):  # type: ignore[index]
                return True
            if op is c.BRANCH and all(has(list(b)) for b in arg[1]):  # type: ignore[index]
                return True
        return False

    return has(list(_parser.parse(pattern)))


_MAX_SPELLINGS = 400
"""A cue whose pattern spells out to at most this many strings is matched as literals."""


def spellings(pattern: str) -> list[tuple[str, bool, bool]] | None:
    """Every string ``pattern`` matches, with the word boundaries it needs; None if not a finite few.

    Most cues are alternations of fixed phrases (``\\bje (vous )?comprends\\b``): spelled
    out, they are matched all at once by one automaton instead of one regex each. Each
    spelling is ``(text, boundary before, boundary after)``; a pattern with a class, a
    repeat or a boundary inside a phrase is not spelled out.
    """
    from re import _constants as c  # noqa: PLC0415 - parse-tree constants, used once per cue
    from re import _parser

    def expand(items: list[tuple[object, object]]) -> list[str] | None:
        outs = [""]
        for op, arg in items:
            if op is c.LITERAL:
                outs = [o + chr(arg) for o in outs]  # type: ignore[arg-type]
            elif op is c.AT and arg is c.AT_BOUNDARY:
                outs = [o + "\x00" for o in outs]
            elif op is c.SUBPATTERN:
                sub = expand(list(arg[-1]))  # type: ignore[index]
                if sub is None:
                    return None
                outs = [o + x for o in outs for x in sub]
            elif op is c.BRANCH:
                alternatives: list[str] = []
                for branch in arg[1]:  # type: ignore[index]
                    sub = expand(list(branch))
                    if sub is None:
                        return None
                    alternatives.extend(sub)
                outs = [o + x for o in outs for x in alternatives]
            elif op is c.IN and all(o2 is c.LITERAL for o2, _a in arg):  # type: ignore[union-attr]
                outs = [o + chr(a) for o in outs for _o2, a in arg]  # type: ignore[union-attr]
            elif op is c.MAX_REPEAT and arg[0] == 0 and arg[1] == 1:  # type: ignore[index]
                sub = expand(list(arg[2]))  # type: ignore[index]
                if sub is None:
                    return None
                outs = [o + x for o in outs for x in ["", *sub]]
            else:
                return None
            if len(outs) > _MAX_SPELLINGS:
                return None
        return outs

    try:
        spelled = expand(list(_parser.parse(pattern)))
    except Exception:  # noqa: BLE001 - an unparsable pattern is simply searched as a regex
        return None
    if not spelled:
        return None
    out = []
    for text in spelled:
        before, after = text.startswith("\x00"), text.endswith("\x00")
        core = text.strip("\x00")
        if not core or "\x00" in core:
            return None
        out.append((core, before, after))
    return out


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _boundary(norm: str, i: int) -> bool:
    """``\\b`` at position ``i`` of ``norm``."""
    left = i > 0 and _word_char(norm[i - 1])
    right = i < len(norm) and _word_char(norm[i])
    return left != right


class CueMatcher:
    """Finds a set of named patterns in a text, faster than one search per pattern, with the same answers.

    Patterns that spell out to a few fixed strings are matched all at once by one
    Aho-Corasick automaton (word boundaries checked); the others run their regex
    only when the strings every match of theirs contains are present (a second
    automaton), and question-only patterns only when the text has a ``?``. The
    equivalence with plain ``search`` is checked on the labelled corpus by the tests.
    """

    def __init__(self, patterns: dict[str, re.Pattern[str]]) -> None:
        self.patterns = patterns
        self.prefilters = {
            name: required_literals(rx.pattern) or PREFILTER_HINTS.get(name) for name, rx in patterns.items()
        }
        self.questions_only = frozenset(name for name, rx in patterns.items() if _needs_question_mark(rx.pattern))
        self.spelled = {name: found for name, rx in patterns.items() if (found := spellings(rx.pattern)) is not None}
        self._built: tuple[Any, Any, tuple[str, ...]] | None = None

    def _automata(self) -> tuple[Any, Any, tuple[str, ...]]:
        if self._built is None:
            import ahocorasick

            spelled = ahocorasick.Automaton()
            entries: dict[str, list[tuple[str, bool, bool]]] = {}
            for name, forms in self.spelled.items():
                for core, before, after in forms:
                    entries.setdefault(core, []).append((name, before, after))
            for core, owners in entries.items():
                spelled.add_word(core, (len(core), tuple(owners)))
            if entries:
                spelled.make_automaton()
            owners_of: dict[str, set[str]] = {}
            for name, literals in self.prefilters.items():
                if name not in self.spelled:
                    for literal in literals or ():
                        owners_of.setdefault(literal, set()).add(name)
            needs = ahocorasick.Automaton()
            for literal, names in owners_of.items():
                needs.add_word(literal, frozenset(names))
            if owners_of:
                needs.make_automaton()
            always = tuple(n for n, lits in self.prefilters.items() if lits is None and n not in self.spelled)
            self._built = (spelled if entries else None, needs if owners_of else None, always)
        return self._built

    def find(self, norm: str, only: frozenset[str] | None = None) -> dict[str, str]:
        """Every pattern found in ``norm`` (or those of ``only``), with the words of its first match."""
        found: dict[str, str] = {}
        if not norm:
            return found
        spelled, needs, always = self._automata()
        first: dict[str, tuple[int, int]] = {}
        if spelled is not None:
            for end, (length, owners) in spelled.iter(norm):
                start = end - length + 1
                for name, before, after in owners:
                    if (before and not _boundary(norm, start)) or (after and not _boundary(norm, end + 1)):
                        continue
                    best = first.get(name)
                    if best is None or start < best[0] or (start == best[0] and end + 1 > best[1]):
                        first[name] = (start, end + 1)
        candidates = set(always)
        if needs is not None:
            for _end, names in needs.iter(norm):
                candidates |= names
        if "?" not in norm:
            candidates -= self.questions_only
        for name, rx in self.patterns.items():
            if only is not None and name not in only:
                continue
            span = first.get(name)
            if span is not None:
                found[name] = norm[span[0] : span[1]].strip(" ,.;:")
            elif name in candidates and name not in self.spelled:
                m = rx.search(norm)
                if m is not None:
                    found[name] = m.group(0).strip(" ,.;:")
        return found


MATCHER = CueMatcher(CUES)
"""The speech-act cues' matcher."""
PREFILTERS = MATCHER.prefilters
"""For each cue, strings one of which any match contains (None: always searched)."""
QUESTIONS_ONLY = MATCHER.questions_only
"""Cues that only a question can show."""
SPELLED = MATCHER.spelled
"""Cues matched as fixed strings (the others run their regex, behind a prefilter)."""


def find_cues(norm: str, only: frozenset[str] | None = None) -> dict[str, str]:
    """Every cue found in a normalised reply (or those of ``only``), with the words that matched (first match)."""
    return MATCHER.find(norm, only)


ADVICE: dict[str, str] = {
    "threat": "Menace (« {w} ») : n'annoncez que ce que vous ferez vraiment, calmement et avec sa date (mise en demeure, service contentieux).",
    "insult": "Propos blessant ou ironique (« {w} ») : restez sur les faits, sans viser la personne.",
    "bank-dictation": "Coordonnées bancaires au téléphone (« {w} ») : jamais ; renvoyez vers un écrit signé par le canal habituel.",
    "doubt": "Vous mettez en doute la parole du client (« {w} ») : vérifiez les faits sans soupçon exprimé.",
    "denigration": "Vous dénigrez un collègue ou votre société (« {w} ») : vérifiez ce qui a été promis, par écrit.",
    "lie": "Prétexte inexact (« {w} ») : restez discret sans mentir (« un dossier qu'il suit »).",
    "concession": "Vous cédez sans contrepartie (« {w} ») : une concession s'échange contre un engagement daté, et avec mandat.",
    "hands-over": "Vous rendez la main (« {w} ») : proposez vous-même la date et faites-la valider.",
    "defensive": "Vous vous défendez (« {w} ») au lieu d'écouter : reformulez et demandez les faits.",
    "why-accusatory": "« Pourquoi » accusateur (« {w} ») : demandez ce qui bloque, sans viser la personne.",
    "blame": "Reproche (« {w} ») : énoncez le constat (« nous n'avons pas reçu le règlement »), sans viser la personne.",
    "unsure-claim": "Vous doutez de votre propre créance (« {w} ») : énoncez les faits avec assurance, au présent.",
    "when-will-you-pay": "« {w} » laisse le débiteur fixer la date : proposez-la (« jeudi ou vendredi ? »).",
    "apology": "Formule d'excuse (« {w} ») : votre appel est légitime, allez droit au but.",
    "minimiser": "Vous minimisez la dette (« {w} ») : citez les faits, au présent.",
    "vague-time": "Date vague (« {w} ») : fixez un jour précis.",
    "callback-vague": "Suite sans date (« {w} ») : fixez le jour et l'heure.",
    "jargon": "Jargon de formation (« {w} ») : parlez au client avec ses faits à lui.",
    "but-after-empathy": "« {w} » annule l'empathie : dites « je comprends, et… ».",
    "conditional": "Conditionnel (« {w} ») : parlez au présent, avec des verbes d'engagement.",
    "negative-wording": "Formulation négative (« {w} ») : préférez « c'est noté », « avec plaisir ».",
    "hedging": "Hésitation (« {w} ») : soyez affirmatif.",
    "informal": "Registre familier (« {w} ») : vouvoiement et vocabulaire professionnel.",
}
"""What to tell the trainee about each fault (``{w}``: the words that showed it)."""

