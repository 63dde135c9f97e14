"""The interface catalogue: every string a screen shows, in French and English.

Screens call :func:`t` with a key; no interface text is written in a screen.
Content (personas, cases, questions) is shown in the pack's own language.
A test checks that both languages define every key and the same placeholders.
"""

from __future__ import annotations

import string

__all__ = ["CATALOGUE", "LANGUAGES", "set_language", "t"]

LANGUAGES = ("fr", "en")

CATALOGUE: dict[str, tuple[str, str]] = {
    # app
    "app.title": ("Relance", "Relance"),
    "app.subtitle": ("Entraînement à la relance téléphonique", "Phone collection training"),
    "key.quit": ("Quitter", "Quit"),
    "key.help": ("Aide", "Help"),
    "key.back": ("Retour", "Back"),
    "key.results": ("Résultats", "Results"),
    "key.language": ("English", "Français"),
    "key.hint": ("Indice", "Hint"),
    "key.file": ("Dossier", "File"),
    "key.hangup": ("Raccrocher", "Hang up"),
    "key.next": ("Suivant", "Next"),
    "key.submit": ("Valider", "Submit"),
    "key.open": ("Ouvrir", "Open"),
    # identity
    "identity.title": ("Bienvenue dans Relance", "Welcome to Relance"),
    "identity.intro": (
        "Indiquez votre identité : elle figure sur vos résultats et attestations.",
        "Enter your identity: it appears on your results and certificates.",
    ),
    "identity.nom": ("Nom", "Last name"),
    "identity.prenom": ("Prénom", "First name"),
    "identity.organisation": ("Organisation", "Organisation"),
    "identity.session": ("Code de session (facultatif)", "Session code (optional)"),
    "identity.save": ("Commencer", "Start"),
    "identity.missing": ("Nom, prénom et organisation sont obligatoires.", "Last name, first name and organisation are required."),
    # home
    "home.hello": ("Bonjour {name}", "Hello {name}"),
    "home.calls": ("Appels d'entraînement", "Practice calls"),
    "home.quizzes": ("Quiz", "Quizzes"),
    "home.studies": ("Études de cas", "Case studies"),
    "home.questionnaires": ("Auto-évaluation", "Self-assessment"),
    "home.results": ("Mes résultats", "My results"),
    "home.best": ("meilleur {score}/100", "best {score}/100"),
    "home.todo": ("à faire", "to do"),
    "home.difficulty": ("difficulté {n}", "difficulty {n}"),
    "home.questions": ("{n} questions", "{n} questions"),
    "home.resume": (
        "Une tentative n'est pas terminée : {what}. La reprendre ?",
        "An attempt is unfinished: {what}. Resume it?",
    ),
    "home.mode": ("Mode : {mode}", "Mode: {mode}"),
    "mode.training": ("entraînement", "training"),
    "mode.exam": ("examen", "exam"),
    "key.mode": ("Mode", "Mode"),
    # call
    "call.title": ("Appel — {case}", "Call — {case}"),
    "call.file": ("Dossier client", "Client file"),
    "call.debtor": ("Client", "Client"),
    "call.contact": ("Interlocuteur", "Contact"),
    "call.terms": ("Conditions de paiement : {terms}", "Payment terms: {terms}"),
    "call.since": ("Client depuis {year}", "Customer since {year}"),
    "call.third_parties": ("Tiers", "Third parties"),
    "call.their_side": ("chez le client", "at the client"),
    "call.our_side": ("chez nous", "on our side"),
    "call.your_email": ("Votre e-mail : {email}", "Your e-mail: {email}"),
    "call.invoices": ("Factures", "Invoices"),
    "call.invoice_line": ("{number} · {amount} · échue le {due}", "{number} · {amount} · due {due}"),
    "call.total": ("Total dû : {amount}", "Total due: {amount}"),
    "call.history": ("Historique", "History"),
    "call.objective": ("Objectif", "Objective"),
    "call.fallback": ("Repli", "Fallback"),
    "call.briefing": ("Consignes", "Briefing"),
    "call.situation": ("Situation : {situation}", "Situation: {situation}"),
    "call.placeholder": ("Votre réplique, puis Entrée", "Your reply, then Enter"),
    "call.you": ("Vous", "You"),
    "call.them": ("Client", "Client"),
    "call.method": ("Méthode", "Method"),
    "call.mood": ("Humeur du client", "Client's mood"),
    "call.hint": ("Indice : {hint}", "Hint: {hint}"),
    "call.no_hint": ("Pas d'indice pour cette étape.", "No hint for this step."),
    "call.elapsed": ("Durée {time}", "Time {time}"),
    "call.score": ("→ {score}/100 · {feedback}", "→ {score}/100 · {feedback}"),
    "call.ended": ("Appel terminé : {outcome}. Entrée pour le débrief.", "Call over: {outcome}. Enter for the debrief."),
    "call.abandon": ("Abandonner cet appel ?", "Abandon this call?"),
    "call.empty": ("Écrivez une réplique avant de valider.", "Type a reply before submitting."),
    "situation.direct": ("interlocuteur direct", "direct contact"),
    "situation.mobile": ("portable", "mobile"),
    "situation.switchboard": ("standard", "switchboard"),
    "situation.absent": ("interlocuteur absent", "contact away"),
    "situation.wrong-person": ("mauvais interlocuteur", "wrong person"),
    "situation.voicemail": ("messagerie", "voicemail"),
    "outcome.commitment": ("engagement obtenu", "commitment obtained"),
    "outcome.instalments": ("échéancier convenu", "instalment plan agreed"),
    "outcome.callback": ("rappel convenu", "callback agreed"),
    "outcome.dispute": ("litige ouvert, partie non contestée réglée", "dispute opened, undisputed part paid"),
    "outcome.refusal": ("pas d'engagement", "no commitment"),
    "outcome.hangup": ("le client a raccroché", "the client hung up"),
    "outcome.voicemail": ("message laissé", "message left"),
    "outcome.abandoned": ("appel abandonné", "call abandoned"),
    "outcome.None": ("appel interrompu", "call interrupted"),
    "step.current": ("en cours", "current"),
    "step.covered": ("franchie", "done"),
    "step.skipped": ("sautée", "skipped"),
    "step.todo": ("à venir", "to come"),
    # debrief
    "debrief.title": ("Décryptage de l'appel", "Call debrief"),
    "debrief.overall": ("Note globale : {score}/100 — {outcome}", "Overall: {score}/100 — {outcome}"),
    "debrief.objective_met": ("objectif atteint", "objective met"),
    "debrief.objective_missed": ("objectif non atteint", "objective missed"),
    "debrief.steps": ("Par étape", "By step"),
    "debrief.objections": ("Objections", "Objections"),
    "debrief.turns": ("Réplique par réplique", "Reply by reply"),
    "debrief.feedback": ("Conseil : {text}", "Advice: {text}"),
    "debrief.model": ("Réponse modèle : {text}", "Model answer: {text}"),
    "debrief.evidence": ("repéré : « {text} »", "found: “{text}”"),
    "debrief.violations": ("Fautes : {list}", "Faults: {list}"),
    "debrief.sheet": ("Remplir la fiche de suivi", "Fill in the follow-up sheet"),
    "key.sheet": ("Fiche de suivi", "Follow-up sheet"),
    # follow-up sheet
    "sheet.title": ("Fiche de suivi (main courante)", "Follow-up sheet"),
    "sheet.date": ("Date de l'appel", "Call date"),
    "sheet.interlocutor": ("Interlocuteur (nom, fonction)", "Contact (name, role)"),
    "sheet.reason": ("Motif invoqué", "Reason given"),
    "sheet.amount": ("Montant promis", "Amount promised"),
    "sheet.promised_date": ("Date promise", "Date promised"),
    "sheet.means": ("Mode de paiement", "Payment means"),
    "sheet.who": ("Qui paie", "Who pays"),
    "sheet.next_action": ("Prochaine action", "Next action"),
    "sheet.next_date": ("Date de la prochaine action", "Next action date"),
    "sheet.submit": ("Enregistrer la fiche", "Save the sheet"),
    "sheet.result": ("Fiche de suivi : {score}/100", "Follow-up sheet: {score}/100"),
    "sheet.expected": ("attendu : {text}", "expected: {text}"),
    "sheet.done": ("Terminer", "Finish"),
    # quiz
    "quiz.title": ("Quiz — {title}", "Quiz — {title}"),
    "quiz.progress": ("Question {n}/{total}", "Question {n}/{total}"),
    "quiz.answer_placeholder": ("Votre réponse, puis Entrée", "Your answer, then Enter"),
    "quiz.choices_help": ("Tapez le numéro du choix (plusieurs : 1,3).", "Type the choice number (several: 1,3)."),
    "quiz.order_help": ("Tapez les numéros dans l'ordre, séparés par des virgules.", "Type the numbers in order, separated by commas."),
    "quiz.match_help": (
        "Tapez, dans l'ordre des éléments de gauche, les numéros de droite choisis : « 2,3,1 ».",
        "Type, in the order of the left items, the numbers of the chosen right items: “2,3,1”.",
    ),
    "quiz.truefalse_help": ("Tapez V (vrai) ou F (faux).", "Type T (true) or F (false)."),
    "quiz.correct": ("Correct ({score} pt)", "Correct ({score} pt)"),
    "quiz.partial": ("Partiellement correct ({score} pt)", "Partly correct ({score} pt)"),
    "quiz.wrong": ("Incorrect", "Incorrect"),
    "quiz.retry": ("Nouvel essai possible (pénalité {penalty} %).", "You may try again (penalty {penalty} %)."),
    "quiz.invalid": ("Réponse illisible : {message}", "Unreadable answer: {message}"),
    "quiz.finished": ("Quiz terminé : {score} % — {verdict}", "Quiz over: {score} % — {verdict}"),
    "quiz.passed": ("réussi", "passed"),
    "quiz.failed": ("non réussi", "failed"),
    "quiz.abandon": ("Abandonner ce quiz ?", "Abandon this quiz?"),
    "quiz.review": ("Correction", "Review"),
    "quiz.your_answer": ("Votre réponse : {text}", "Your answer: {text}"),
    "quiz.expected": ("Réponse attendue : {text}", "Expected answer: {text}"),
    "quiz.time_left": ("Temps restant {time}", "Time left {time}"),
    # case study
    "study.title": ("Étude de cas — {title}", "Case study — {title}"),
    "study.solution": ("Corrigé", "Worked solution"),
    "study.result": ("Étude de cas : {score} % — {verdict}", "Case study: {score} % — {verdict}"),
    # questionnaire
    "questionnaire.title": ("Auto-évaluation — {title}", "Self-assessment — {title}"),
    "questionnaire.phase": ("Moment : {phase}", "When: {phase}"),
    "phase.before": ("avant la formation (positionnement)", "before training"),
    "phase.after": ("après la formation", "after training"),
    "questionnaire.scale_help": ("Tapez un niveau de 1 à 5.", "Type a level from 1 to 5."),
    "questionnaire.free": ("{prompt} (facultatif, Entrée pour terminer)", "{prompt} (optional, Enter to finish)"),
    "questionnaire.progress": ("Progression par objectif", "Progress by objective"),
    "questionnaire.saved": ("Auto-évaluation enregistrée.", "Self-assessment saved."),
    # results
    "results.title": ("Mes résultats", "My results"),
    "results.none": ("Aucune tentative terminée pour l'instant.", "No finished attempt yet."),
    "results.history": ("Historique des tentatives", "Attempt history"),
    "results.chart": ("Notes au fil des tentatives", "Scores over attempts"),
    "results.by_step": ("Note moyenne par étape de la méthode", "Average score per method step"),
    "results.overall": ("Moyenne générale : {score}/100 sur {n} tentative(s)", "Overall average: {score}/100 over {n} attempt(s)"),
    "results.kind.call": ("appel", "call"),
    "results.kind.quiz": ("quiz", "quiz"),
    "results.kind.case-study": ("étude de cas", "case study"),
    "results.kind.questionnaire": ("auto-évaluation", "self-assessment"),
    "results.col.date": ("Date", "Date"),
    "results.col.kind": ("Type", "Kind"),
    "results.col.what": ("Activité", "Activity"),
    "results.col.score": ("Note", "Score"),
    # confirm / help
    "confirm.yes": ("Oui", "Yes"),
    "confirm.no": ("Non", "No"),
    "help.title": ("Aide", "Help"),
    "help.body": (
        "Relance se pilote au clavier.\n\n"
        "Partout : F1 aide · Ctrl+P commandes · Échap retour · Ctrl+Q quitter · F2 changer de langue.\n"
        "Accueil : flèches et Entrée pour ouvrir une activité ; r résultats ; m mode entraînement/examen.\n"
        "Appel : tapez votre réplique puis Entrée ; F3 indice (mode entraînement) ; F4 affiche ou masque le dossier ; "
        "F6 raccrocher.\n"
        "Quiz : tapez la réponse puis Entrée (numéros des choix, « 1,3 » pour plusieurs, V/F, nombres à la "
        "française : 1 234,56 €).\n"
        "Vos progrès sont enregistrés après chaque réplique et chaque réponse ; `relance locate` indique où.",
        "Relance is keyboard-driven.\n\n"
        "Everywhere: F1 help · Ctrl+P commands · Esc back · Ctrl+Q quit · F2 switch language.\n"
        "Home: arrows and Enter to open an activity; r results; m training/exam mode.\n"
        "Call: type your reply then Enter; F3 hint (training mode); F4 show or hide the client file; F6 hang up.\n"
        "Quiz: type the answer then Enter (choice numbers, “1,3” for several, T/F, numbers such as 1 234,56).\n"
        "Your progress is saved after every reply and answer; `relance locate` shows where.",
    ),
    "palette.call": ("Démarrer un appel : {title}", "Start a call: {title}"),
    "palette.quiz": ("Démarrer un quiz : {title}", "Start a quiz: {title}"),
    "palette.study": ("Démarrer une étude de cas : {title}", "Start a case study: {title}"),
    "palette.questionnaire": ("Auto-évaluation : {title}", "Self-assessment: {title}"),
    "palette.results": ("Voir mes résultats", "Show my results"),
    "palette.language": ("Changer de langue (français / anglais)", "Switch language (French / English)"),
    "palette.help": ("Afficher l'aide", "Show help"),
    "error.store": ("Progression non enregistrée : {message}", "Progress not saved: {message}"),
}

_current = "fr"


def set_language(lang: str) -> None:
    """Select the interface language (``fr`` or ``en``)."""
    global _current
    _current = lang if lang in LANGUAGES else "fr"


def language() -> str:
    return _current


def t(key: str, **values: object) -> str:
    """The interface string ``key`` in the current language, with ``{placeholders}`` filled."""
    pair = CATALOGUE.get(key)
    if pair is None:
        return key
    text = pair[LANGUAGES.index(_current)]
    return text.format(**values) if values else text


def placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}
