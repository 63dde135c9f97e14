"""The interface catalogue: every string a screen shows, in French and English.

Screens call :func:`t` with a key; no interface text is written in a screen.
Content (personas, cases, questions) is shown in the pack's own language.
A test checks that both languages define every key and the same placeholders.
"""

from __future__ import annotations

import string

__all__ = ["CATALOGUE", "LANGUAGES", "language", "set_language", "t"]

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
    "key.drills": ("Entraînement", "Drills"),
    "key.replay": ("Rejouer l'appel", "Replay the call"),
    "key.scroll_up": ("Faire défiler vers le haut", "Scroll up"),
    "key.scroll_down": ("Faire défiler vers le bas", "Scroll down"),
    "key.file_up": ("Faire défiler le dossier vers le haut", "Scroll the client file up"),
    "key.file_down": ("Faire défiler le dossier vers le bas", "Scroll the client file down"),
    "words.and": ("et", "and"),
    "key.focus_next": ("Élément suivant", "Next item"),
    "key.focus_previous": ("Élément précédent", "Previous item"),
    "key.copy": ("Copier le texte sélectionné", "Copy the selected text"),
    "key.palette": ("Palette de commandes", "Command palette"),
    # quitting mid-activity
    "quit.confirm": ("Quitter Relance ?\n{note}", "Quit Relance?\n{note}"),
    "quit.yes": ("Quitter", "Quit"),
    "quit.no": ("Continuer", "Keep going"),
    "quit.call": (
        "Votre appel est enregistré ({n} réplique(s)) : vous le reprendrez au prochain lancement.",
        "Your call is saved ({n} reply/replies): you will resume it next time.",
    ),
    "quit.quiz": (
        "Votre quiz est enregistré : au prochain lancement, vous le reprendrez à la question {n}/{total}.",
        "Your quiz is saved: next time you will resume it at question {n}/{total}.",
    ),
    "quit.study": (
        "Votre étude de cas est enregistrée réponse par réponse, mais elle ne se reprend pas : il faudra la recommencer.",
        "Your case study is saved answer by answer but cannot be resumed: you will start it again.",
    ),
    "quit.questionnaire": (
        "Cette auto-évaluation n'est pas terminée : il faudra la recommencer.",
        "This self-assessment is not finished: you will start it again.",
    ),    # identity
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
    "identity.unknown_session": (
        "Code de session « {code} » inconnu : vérifiez-le auprès de votre formateur, ou laissez le champ vide.",
        "Unknown session code “{code}”: check it with your trainer, or leave the field empty.",
    ),
    "identity.nom.placeholder": ("ex. Martin", "e.g. Martin"),
    "identity.prenom.placeholder": ("ex. Claire", "e.g. Claire"),
    "identity.organisation.placeholder": ("votre entreprise ou organisme", "your company or organisation"),
    "identity.session.placeholder": ("donné par votre formateur, sinon vide", "given by your trainer, else empty"),
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
        "Une tentative n'est pas terminée : {what} ({n} réponse(s) enregistrée(s)). La reprendre ?",
        "An attempt is unfinished: {what} ({n} answer(s) saved). Resume it?",
    ),
    "home.resume_lost": (
        "« Abandonner » la clôt : ces {n} réponse(s) ne compteront pas. Échap : décider plus tard.",
        "“Abandon” closes it: those {n} answer(s) will not count. Esc: decide later.",
    ),
    "home.resume_yes": ("Reprendre", "Resume"),
    "home.resume_no": ("Abandonner", "Abandon"),
    "home.drills": ("Entraînement du jour", "Today's drills"),
    "home.drills_due": ("{n} carte(s) à revoir aujourd'hui", "{n} card(s) due today"),
    "home.drills_none": ("rien à revoir aujourd'hui", "nothing due today"),
    "home.mode": ("Mode : {mode}", "Mode: {mode}"),
    "mode.training": ("entraînement", "training"),
    "mode.exam": ("examen", "exam"),
    "key.mode": ("Mode", "Mode"),
    "mode.short.training": ("indices, notes et corrections au fil de l'eau", "hints, scores and corrections as you go"),
    "mode.short.exam": ("ni indice ni note avant la fin", "no hint, no score until the end"),
    "mode.explain.training": (
        "Mode entraînement : F3 donne un indice, chaque réplique est notée aussitôt, un quiz corrige chaque "
        "réponse et permet de réessayer.",
        "Training mode: F3 gives a hint, every reply is scored at once, a quiz corrects each answer and lets "
        "you try again.",
    ),
    "mode.explain.exam": (
        "Mode examen : pas d'indice ni de note pendant l'appel (le débrief vient à la fin), un quiz ne corrige "
        "qu'à la fin et sans second essai.",
        "Exam mode: no hint and no score during the call (the debrief comes at the end), a quiz is corrected "
        "only at the end, with no second try.",
    ),
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
    "call.limits": ("Marges de négociation", "Negotiation limits"),
    "call.limit.instalments": ("jusqu'à {n} échéances", "up to {n} instalments"),
    "call.limit.no_instalments": ("pas d'échéancier", "no instalment plan"),
    "call.limit.down": ("acompte minimum {amount}", "minimum down payment {amount}"),
    "call.limit.delay": ("délai supplémentaire maximum {n} jours", "at most {n} extra days"),
    "call.limit.penalties_yes": ("abandon des pénalités possible contre un paiement daté", "penalties may be waived for a dated payment"),
    "call.limit.penalties_no": ("pas d'abandon des pénalités", "penalties may not be waived"),
    "call.you_are": ("Vous :", "You:"),
    "call.callback": ("rappel", "call-back"),
    "call.calling": ("☎", "☎"),
    "call.when": ("{day}, {time}", "{day}, {time}"),
    "call.your_number": ("votre numéro direct", "your direct number"),
    "call.file_hidden": (
        "Écran étroit : le dossier client est masqué. F4 l'affiche (objectif, marges, factures).",
        "Narrow screen: the client file is hidden. F4 shows it (objective, limits, invoices).",
    ),
    "call.goal": ("Objectif de l'appel :", "Goal of the call:"),
    "call.goal.messagerie": (
        "laisser un message (nom, société, numéro de rappel répété, rien sur la dette)",
        "leave a message (name, company, call-back number said twice, nothing about the debt)",
    ),
    "call.goal.tiers": (
        "obtenir le bon interlocuteur et un moment de rappel (rien sur la dette)",
        "get the right contact and a time to call back (nothing about the debt)",
    ),
    "call.objection": ("objection", "objection"),
    "call.retry_note": (
        "Nouvelle tentative : l'appel reprend à votre réplique n° {n}. À vous.",
        "New attempt: the call resumes at your reply no. {n}. Your turn.",
    ),
    "call.hangup_confirm": (
        "Raccrocher maintenant ? L'appel est noté tel qu'il est, sans issue obtenue.",
        "Hang up now? The call is scored as it stands, with no outcome.",
    ),
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
    "outcome.refusal": ("refus du client", "the client refused"),
    "outcome.no-commitment": ("appel terminé sans engagement", "call ended without a commitment"),
    "outcome.hangup": ("le client a raccroché", "the client hung up"),
    "outcome.voicemail": ("message laissé", "message left"),
    "outcome.abandoned": ("appel abandonné", "call abandoned"),
    "outcome.None": ("appel interrompu", "call interrupted"),
    "step.current": ("en cours", "current"),
    "step.covered": ("franchie", "done"),
    "step.skipped": ("sautée", "skipped"),
    "step.todo": ("à venir", "to come"),
    "step.not_reached": ("non abordée", "not reached"),
    "step.attempted": ("tentée, non franchie", "tried, not done"),
    "step.title.messagerie": ("Message laissé", "Message left"),
    "step.title.tiers": ("Tiers au téléphone", "Third party on the line"),
    "step.done": ("réussi", "done"),
    "step.missed": ("manqué", "missed"),
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
    "debrief.example": ("Ce qu'une bonne réponse disait (corpus étiqueté) : {text}", "What a good reply said (labelled corpus): {text}"),
    "debrief.evidence": ("repéré : « {text} »", "found: “{text}”"),
    "debrief.violations": ("Fautes : {list}", "Faults: {list}"),
    "debrief.previous_reply": ("(réplique précédente)", "(previous reply)"),
    "debrief.sheet": ("Fiche de suivi (s)", "Follow-up sheet (s)"),
    "debrief.replay": ("Rejouer l'appel (p)", "Replay the call (p)"),
    "debrief.retry_here": ("↻ Rejouer à partir d'ici", "↻ Replay from here"),
    "debrief.sheet_saved": ("Fiche de suivi enregistrée : {score}/100", "Follow-up sheet saved: {score}/100"),
    "debrief.sheet_todo": ("Fiche de suivi : pas encore remplie (s)", "Follow-up sheet: not filled in yet (s)"),
    "debrief.why": ("Pourquoi cette note :", "Why this score:"),
    "debrief.loss.step": ("étape « {subject} » : {state} ({points} points)", "step “{subject}”: {state} ({points} points)"),
    "debrief.loss.step.skipped": ("sautée", "skipped"),
    "debrief.retry_of": (
        "Nouvelle tentative de l'appel du {when}, reprise à votre réplique n° {reply}.",
        "A new attempt at the call of {when}, resumed at your reply no. {reply}.",
    ),
    "debrief.loss.step.missed": ("non franchie", "not done"),
    "debrief.loss.step.tried": ("{score}/100, non franchie", "{score}/100, not done"),
    "debrief.loss.objection": ("objection {subject} : {score}/100 ({points} points)", "objection {subject}: {score}/100 ({points} points)"),
    "debrief.loss.outcome": ("résultat de l'appel : {what} ({points} points)", "what the call obtained: {what} ({points} points)"),
    "debrief.loss.skipped": ("étape « {subject} » sautée, ordre de la méthode ({points} points)", "step “{subject}” skipped, out of order ({points} points)"),
    "debrief.loss.fatal": ("faute grave : note plafonnée à {score} ({points} points)", "serious fault: score capped at {score} ({points} points)"),
    "debrief.loss.floor": ("note plancher : 0", "floor: 0"),
    "debrief.obtained.objective": ("objectif atteint", "objective met"),
    "debrief.obtained.fallback": ("objectif de repli seulement", "fallback objective only"),
    "debrief.obtained.short": ("engagement en deçà de l'objectif et du repli", "commitment short of the objective and the fallback"),
    "debrief.obtained.message-missed": ("message sans les éléments attendus ou avec une faute", "message missing what is needed, or with a fault"),
    "debrief.obtained.callback-missed": ("rappel non obtenu, ou obtenu avec une faute", "no callback obtained, or with a fault"),
    "debrief.obtained.hangup": ("aucun engagement (le client a raccroché)", "no commitment (the client hung up)"),
    "debrief.obtained.refusal": ("aucun engagement (le client a refusé)", "no commitment (the client refused)"),
    "debrief.obtained.no-commitment": ("aucun engagement (appel terminé sans engagement)", "no commitment (call ended without one)"),
    "debrief.obtained.callback": ("un rappel, pas un engagement", "a callback, not a commitment"),
    "debrief.obtained.None": ("aucun engagement (appel interrompu)", "no commitment (call interrupted)"),
    "key.sheet": ("Fiche de suivi", "Follow-up sheet"),
    # follow-up sheet
    "sheet.title": ("Fiche de suivi (main courante)", "Follow-up sheet"),
    "sheet.intro": (
        "Notez ce que l'appel a donné, comme dans votre main courante. Entrée passe au champ suivant.",
        "Record what the call gave, as in your call log. Enter moves to the next field.",
    ),
    "sheet.date.placeholder": ("jj/mm/aaaa", "dd/mm/yyyy"),
    "sheet.interlocutor.placeholder": ("ex. Martine Leroy, comptable", "e.g. Martine Leroy, accountant"),
    "sheet.reason.placeholder": ("le motif, avec les mots du client", "the reason, in the client's words"),
    "sheet.amount.placeholder": ("ex. 4 800 € (vide si aucun engagement)", "e.g. 4 800 € (empty if no commitment)"),
    "sheet.promised_date.placeholder": ("jj/mm/aaaa", "dd/mm/yyyy"),
    "sheet.means.placeholder": ("virement, chèque, LCR, prélèvement…", "transfer, cheque, bill of exchange…"),
    "sheet.who.placeholder": ("qui lance le paiement", "who makes the payment"),
    "sheet.next_action.placeholder": ("ex. vérifier la réception du virement", "e.g. check the transfer arrived"),
    "sheet.next_date.placeholder": ("jj/mm/aaaa", "dd/mm/yyyy"),
    "sheet.saved": ("enregistrée, visible dans Mes résultats", "saved, shown in My results"),
    "sheet.not_saved": ("non enregistrée (aucune tentative ouverte)", "not saved (no attempt recorded)"),
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
    "quiz.single_help": ("Tapez le numéro du choix (une seule réponse).", "Type the number of your choice (one answer)."),
    "quiz.multiple_help": (
        "Plusieurs réponses possibles : tapez leurs numéros séparés par des virgules (ex. 1,3).",
        "Several answers possible: type their numbers separated by commas (e.g. 1,3).",
    ),
    "quiz.number_help": (
        "Tapez un nombre à la française, avec son unité si besoin (ex. 1 234,56 €).",
        "Type a number, with its unit if needed (e.g. 1 234,56 €; a comma for decimals).",
    ),
    "quiz.text_help": ("Tapez votre réponse en quelques mots.", "Type your answer in a few words."),
    "quiz.next": ("Entrée : question suivante", "Enter: next question"),
    "quiz.press_enter": ("Appuyez sur Entrée (champ vide) pour passer à la suite.", "Press Enter (empty field) to go on."),
    "quiz.try_again": ("Vous pouvez réessayer ({n} essai(s) restant(s)).", "You may try again ({n} try/tries left)."),
    "quiz.or_skip": ("Entrée seule : question suivante.", "Enter alone: next question."),
    "quiz.over": ("Terminé : Échap pour revenir à l'accueil.", "Finished: Esc to go back home."),
    "quiz.resumed": ("Reprise à la question {n}.", "Resumed at question {n}."),
    "quiz.all_right": ("Toutes les réponses sont justes.", "Every answer is right."),
    "quiz.unanswered": ("(sans réponse)", "(no answer)"),
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
    "quiz.review": ("Correction des questions manquées", "Review of the questions missed"),
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
    "questionnaire.choose": ("À quel moment répondez-vous ?", "When are you answering?"),
    "questionnaire.choose_help": (
        "Tapez 1 ou 2, ou Entrée pour « {phase} ».",
        "Type 1 or 2, or Enter for “{phase}”.",
    ),
    "questionnaire.already": (" — déjà enregistré", " — already recorded"),
    "phase.before": ("positionnement (avant)", "entry positioning (before)"),
    "phase.after": ("évaluation finale (après)", "final assessment (after)"),
    "questionnaire.scale_help": ("Tapez un niveau de 1 à 5.", "Type a level from 1 to 5."),
    "questionnaire.free": ("{prompt} (facultatif, Entrée pour terminer)", "{prompt} (optional, Enter to finish)"),
    "questionnaire.progress": ("Progression par objectif", "Progress by objective"),
    "questionnaire.saved": ("Auto-évaluation enregistrée : {phase}.", "Self-assessment saved: {phase}."),
    # results
    "results.title": ("Mes résultats", "My results"),
    "results.none": ("Aucune tentative terminée pour l'instant.", "No finished attempt yet."),
    "results.history": ("Historique des tentatives", "Attempt history"),
    "results.chart": ("Notes au fil du temps (appels, quiz, fiches de suivi)", "Scores over time (calls, quizzes, follow-up sheets)"),
    "results.by_step": ("Maîtrise par étape de la méthode", "Mastery per method step"),
    "results.by_objection": ("Maîtrise par objection", "Mastery per objection"),
    "results.axis.date": ("date", "date"),
    "results.axis.hour": ("heure (le {day})", "time (on {day})"),
    "results.axis.score": ("note /100", "score /100"),
    "results.col.mastery": ("Maîtrise", "Mastery"),
    "results.col.trend": ("Tendance", "Trend"),
    "results.col.calls": ("Appels", "Calls"),
    "results.col.number": ("N°", "No."),
    "results.col.sheet": ("Fiche", "Sheet"),
    "results.kind.sheet": ("fiche de suivi", "follow-up sheet"),
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
        "Vos progrès sont enregistrés après chaque réplique et chaque réponse ; « relance locate » indique où.",
        "Your progress is saved after every reply and answer; “relance locate” shows where.",
    ),
    "palette.call": ("Démarrer un appel : {title}", "Start a call: {title}"),
    "palette.call_help": ("{stars} · {situation} · {company}", "{stars} · {situation} · {company}"),
    "palette.study_help": ("étude de cas chiffrée", "numeric case study"),
    "palette.results_help": ("moyennes, courbe de progression, historique", "averages, progress chart, history"),
    "palette.drills": ("Entraînement du jour", "Today's drills"),
    "palette.drills_help": ("les répliques à retravailler, espacées dans le temps", "replies to work on again, spaced over time"),
    "palette.language_help": ("l'interface en français ou en anglais", "the interface in French or English"),
    "palette.help_help": ("les touches de l'écran courant", "the keys of the current screen"),
    "palette.quiz": ("Démarrer un quiz : {title}", "Start a quiz: {title}"),
    "palette.study": ("Démarrer une étude de cas : {title}", "Start a case study: {title}"),
    "palette.questionnaire": ("Auto-évaluation : {title}", "Self-assessment: {title}"),
    "palette.results": ("Voir mes résultats", "Show my results"),
    "palette.language": ("Changer de langue (français / anglais)", "Switch language (French / English)"),
    "palette.help": ("Afficher l'aide", "Show help"),
    "error.store": ("Progression non enregistrée : {message}", "Progress not saved (store message, in French): {message}"),
    # drills
    "drill.title": ("Entraînement du jour", "Today's drills"),
    "drill.placeholder": ("Votre réplique, puis Entrée", "Your reply, then Enter"),
    "drill.intro": (
        "{n} carte(s) à revoir : chaque fois, le client vient de parler ; répondez comme en appel.",
        "{n} card(s) due: each time the client has just spoken; answer as in a call.",
    ),
    "drill.card": ("Carte {n}/{total} — {kind} : {title}", "Card {n}/{total} — {kind}: {title}"),
    "drill.kind.step": ("étape", "step"),
    "drill.kind.objection": ("objection", "objection"),
    "drill.case": ("Dossier : {case}", "Case: {case}"),
    "drill.next": ("Prochaine révision : {when}", "Next review: {when}"),
    "drill.due_in": ("dans {n} jour(s), le {date}", "in {n} day(s), on {date}"),
    "drill.next_card": ("Entrée : carte suivante", "Enter: next card"),
    "drill.finish": ("Entrée : terminer l'entraînement", "Enter: finish the drills"),
    "drill.none": ("Aucune carte à revoir aujourd'hui.", "No card due today."),
    "drill.done": ("Entraînement terminé : {n} carte(s), moyenne {score}/100.", "Drills done: {n} card(s), average {score}/100."),
    "drill.skipped": ("Carte « {title} » ignorée : {reason}", "Card “{title}” skipped: {reason}"),
    # help per screen
    "help.home": (
        "Flèches puis Entrée ouvrent une activité. « Entraînement du jour » reprend les répliques à retravailler.",
        "Arrows then Enter open an activity. “Today's drills” brings back the replies to work on.",
    ),
    "help.identity": (
        "Tab ou Entrée passent au champ suivant ; le code de session est facultatif.",
        "Tab or Enter move to the next field; the session code is optional.",
    ),
    "help.call": (
        "Tapez votre réplique puis Entrée. Le bandeau du haut dit qui vous êtes et qui vous appelez ; "
        "le dossier (F4) donne l'objectif, le repli et les marges. Votre réplique reste dans le champ quoi que vous fassiez.",
        "Type your reply then Enter. The top band says who you are and whom you call; the client file (F4) "
        "gives the objective, the fallback and the limits. Your reply stays in the field whatever you do.",
    ),
    "help.debrief": (
        "Tab parcourt les boutons : « Rejouer à partir d'ici » reprend l'appel juste avant cette réplique, "
        "dans une nouvelle tentative liée à celle-ci.",
        "Tab moves through the buttons: “Replay from here” restarts the call just before that reply, "
        "as a new attempt linked to this one.",
    ),
    "help.sheet": (
        "Entrée passe au champ suivant ; au dernier, la fiche est notée et enregistrée.",
        "Enter moves to the next field; on the last one the sheet is scored and saved.",
    ),
    "help.quiz": (
        "Tapez la réponse puis Entrée : numéros des choix, V/F, nombres à la française (1 234,56 €). "
        "Après la correction, Entrée passe à la suite.",
        "Type the answer then Enter: choice numbers, T/F, numbers such as 1 234,56. After the correction, "
        "Enter goes on.",
    ),
    "help.results": (
        "La maîtrise pondère davantage les derniers appels ; la tendance compare le dernier aux précédents.",
        "Mastery weighs the latest calls most; the trend compares the last call with the ones before.",
    ),
    "help.drills": (
        "Répondez comme en appel ; la note fixe la prochaine révision (plus tard si c'est réussi).",
        "Answer as in a call; the score sets the next review (later when it went well).",
    ),
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


def said_by(who: str) -> str:
    """``who`` ready to introduce what was said: « Vous : » in French, “You: ” in English."""
    return f"{who} : " if language() == "fr" else f"{who}: "


def placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}
