"""The PDF attestation (fpdf2): the signed payload laid out in French, a QR code, the signed JSON attached.

* Font: DejaVu Sans subset shipped in ``records/fonts`` (renders €, accents, « », the
  narrow no-break space U+202F used by French number formatting); embedded in the PDF.
* The signed envelope is attached as ``attestation.json`` (a PDF embedded file), which
  :func:`read_envelope` (pypdf) gives back to ``relance verify``; the printed text is a
  rendering of that JSON, the JSON is what is signed.
* The QR code (segno, drawn as vector squares) holds :func:`~simulator.records.attest.qr_text`:
  key id, SHA-256 of the canonical payload and the signature.
* The finished PDF is signed as a whole (:mod:`simulator.records.pdfsign`, a PDF signature
  readers recognise), so the pages a reader sees are covered, not only the attached JSON.
  The key's fingerprint is printed on the page, to compare with the one the organisation
  publishes.
* Deterministic rendering: creation date and attachment dates come from the issue date, so the
  same envelope gives the same document; the PDF signature is appended to it as an incremental
  update that records when it was signed.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from simulator.errors import ExportError
from simulator.records.attest import qr_text

__all__ = [
    "ATTACHMENT_NAME",
    "FONT_DIR",
    "fr_date",
    "fr_duration",
    "fr_number",
    "read_envelope",
    "render_pdf",
    "render_signed_pdf",
]

FONT_DIR = Path(__file__).resolve().parent / "fonts"
ATTACHMENT_NAME = "attestation.json"
NNBSP = "\u202f"
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
    "novembre", "décembre",
)
KIND_LABELS = {"call": "Appel", "quiz": "Quiz", "case-study": "Étude de cas", "questionnaire": "Auto-évaluation"}
STATUS_LABELS = {"finished": "terminée", "abandoned": "abandonnée", "open": "en cours"}


# --------------------------------------------------------------------------- French formatting


def fr_number(value: float | None, decimals: int = 1) -> str:
    """``1234.5`` → ``1 234,5`` with narrow no-break spaces; integers without decimals."""
    if value is None:
        return "—"
    number = float(value)
    if number.is_integer():
        text = f"{int(number):,}"
    else:
        text = f"{number:,.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(",", NNBSP).replace(".", ",")


def fr_date(text: str | None) -> str:
    """``2026-11-23`` (or a timestamp) → ``23 novembre 2026``."""
    if not text:
        return "—"
    try:
        day = date.fromisoformat(str(text)[:10])
    except ValueError:
        return str(text)
    return f"{day.day}{'er' if day.day == 1 else ''} {MONTHS[day.month - 1]} {day.year}"


def fr_duration(seconds: float | None) -> str:
    """``3725`` → ``1 h 02 min``; ``42`` → ``42 s``."""
    if seconds is None:
        return "—"
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}{NNBSP}h{NNBSP}{minutes:02d}{NNBSP}min"
    if minutes:
        return f"{minutes}{NNBSP}min{NNBSP}{secs:02d}{NNBSP}s"
    return f"{secs}{NNBSP}s"


def _hours(value: Any) -> str:
    return "—" if value is None else f"{fr_number(value, 2)}{NNBSP}heure" + ("s" if float(value) >= 2 else "")


def _score(value: Any) -> str:
    return "—" if value is None else f"{fr_number(value)}{NNBSP}/{NNBSP}100"


# --------------------------------------------------------------------------- rendering


def _pdf_class() -> Any:
    from fpdf import FPDF

    class AttestationPDF(FPDF):  # type: ignore[misc]
        footer_text = ""

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", "", 7)
            self.set_text_color(110)
            self.cell(0, 4, f"{self.footer_text} — page {self.page_no()}/{{nb}}", align="C")
            self.set_text_color(0)

    return AttestationPDF


def _issue_datetime(payload: Mapping[str, Any]) -> datetime:
    try:
        day = date.fromisoformat(str((payload.get("issued") or {}).get("date"))[:10])
    except ValueError:
        day = date(2000, 1, 1)
    return datetime(day.year, day.month, day.day, 12, 0, 0, tzinfo=UTC)


def render_pdf(envelope: Mapping[str, Any]) -> bytes:
    """The PDF bytes of a signed envelope."""
    try:
        return _render(envelope)
    except ExportError:
        raise
    except Exception as exc:  # noqa: BLE001 - fpdf2/font problems become a clear export error
        raise ExportError(f"impossible de produire le PDF de l'attestation ({type(exc).__name__}: {exc})") from None


def render_signed_pdf(envelope: Mapping[str, Any], key: Any) -> bytes:
    """The PDF of a signed envelope, itself signed as a whole with ``key`` (the envelope's key)."""
    from simulator.records.pdfsign import sign_pdf

    unsigned = render_pdf(envelope)
    payload = envelope["payload"]
    provider = payload.get("provider") or {}
    try:
        return sign_pdf(
            unsigned,
            key,
            signer_name=str(provider.get("name") or "Relance"),
            moment=_issue_datetime(payload),
            reason="Attestation de fin de formation et certificat de réalisation",
            location=str((payload.get("issued") or {}).get("place") or ""),
        )
    except Exception as exc:  # noqa: BLE001 - pyHanko problems become a clear export error
        raise ExportError(f"impossible de signer le PDF de l'attestation ({type(exc).__name__}: {exc})") from None


def _render(envelope: Mapping[str, Any]) -> bytes:
    payload = envelope["payload"]
    provider = payload.get("provider") or {}
    trainee = payload.get("trainee") or {}
    training = payload.get("training") or {}
    issued = payload.get("issued") or {}
    moment = _issue_datetime(payload)

    pdf = _pdf_class()(orientation="P", unit="mm", format="A4")
    pdf.footer_text = f"Attestation {trainee.get('prenom', '')} {trainee.get('nom', '')} — clé {envelope['kid']}"
    pdf.set_creation_date(moment)
    pdf.set_creator("Relance")
    pdf.set_producer("Relance (fpdf2)")
    pdf.set_title(f"Attestation de fin de formation — {trainee.get('prenom', '')} {trainee.get('nom', '')}")
    pdf.set_author(str(provider.get("name") or "Relance"))
    pdf.set_subject(str(training.get("title", "")))
    pdf.set_keywords(f"attestation relance kid:{envelope['kid']}")
    pdf.set_lang("fr-FR")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.epw

    def text(value: str, size: float = 10, style: str = "", height: float = 5.0, align: str = "L") -> None:
        pdf.set_font("DejaVu", style, size)
        pdf.multi_cell(width, height, value, align=align, new_x="LMARGIN", new_y="NEXT")

    def heading(value: str) -> None:
        pdf.ln(2.5)
        pdf.set_font("DejaVu", "B", 11)
        pdf.set_fill_color(232, 238, 246)
        pdf.cell(width, 6.5, value, fill=True, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.2)

    def field(label: str, value: str) -> None:
        pdf.set_font("DejaVu", "B", 9.5)
        pdf.cell(52, 5, label)
        pdf.set_font("DejaVu", "", 9.5)
        pdf.multi_cell(width - 52, 5, value or "—", new_x="LMARGIN", new_y="NEXT")

    # Provider header
    text(str(provider.get("name") or "Organisme de formation"), 12, "B", 6)
    details = [
        f"Déclaration d'activité n°{NNBSP}{provider['nda']}" if provider.get("nda") else "",
        f"SIRET {provider['siret']}" if provider.get("siret") else "",
        str(provider.get("address") or ""),
    ]
    if any(details):
        text(" · ".join(d for d in details if d), 8.5, "", 4.2)
    pdf.ln(3)
    text("Attestation de fin de formation", 17, "B", 8, "C")
    text("et certificat de réalisation", 12, "", 6, "C")
    pdf.ln(1)
    text(str((payload.get("mentions") or {}).get("attestation", "")), 7.5, "", 3.8, "C")

    heading("Bénéficiaire")
    field("Nom, prénom", f"{trainee.get('nom', '')} {trainee.get('prenom', '')}".strip())
    field("Employeur / organisation", str(trainee.get("employer") or ""))
    if trainee.get("email"):
        field("Courriel", str(trainee["email"]))

    heading("Action de formation")
    field("Intitulé", str(training.get("title", "")))
    field("Nature de l'action", str(training.get("nature", "")))
    field("Dates", f"du {fr_date(training.get('start_date'))} au {fr_date(training.get('end_date'))}")
    field("Durée", _hours(training.get("hours")) + (
        f" (prévue{NNBSP}: {_hours(training.get('planned_hours'))})"
        if training.get("planned_hours") not in (None, training.get("hours")) else ""
    ))
    activity = payload.get("activity") or {}
    field("Activité enregistrée", f"{activity.get('attempts', 0)} exercice(s), "
          f"{fr_duration(activity.get('recorded_seconds'))} dans Relance")
    if training.get("place"):
        field("Lieu", str(training["place"]))
    if training.get("trainer"):
        field("Formateur", str(training["trainer"]))
    field("Code de session", str(training.get("code", "")))
    objectives = training.get("objectives") or []
    if objectives:
        pdf.ln(1)
        text("Objectifs de la formation :", 9.5, "B")
        for objective in objectives:
            pdf.set_x(pdf.l_margin + 3)
            pdf.set_font("DejaVu", "", 9.5)
            pdf.multi_cell(width - 3, 5, f"• {objective}", new_x="LMARGIN", new_y="NEXT")

    heading("Résultats de l'évaluation des acquis")
    assessment = payload.get("assessment") or {}
    modules = assessment.get("modules") or []
    if not assessment.get("planned") or not modules:
        text("Aucune évaluation notée n'a été enregistrée pour cette session.", 9.5)
    else:
        _table(
            pdf,
            ("Module", "Exercices", "Meilleure note", "Moyenne", "Réussis"),
            [
                (
                    str(m.get("title") or m.get("module")),
                    str(m.get("attempts", 0)),
                    _score(m.get("best_score")),
                    _score(m.get("mean_score")),
                    f"{m.get('passed', 0)}{NNBSP}/{NNBSP}{m.get('graded', 0)}" if m.get("graded") else "—",
                )
                for m in modules
            ],
            (62, 20, 30, 30, 32),
        )

    attempts = payload.get("attempts") or []
    if attempts:
        heading("Détail des exercices")
        _table(
            pdf,
            ("N°", "Exercice", "Date", "Durée", "Note", "Résultat", "Empreinte"),
            [
                (
                    str(a.get("id")),
                    f"{KIND_LABELS.get(a.get('kind'), a.get('kind'))} — {a.get('title')}",
                    fr_date(a.get("started_at")),
                    fr_duration(a.get("duration_s")),
                    _score(a.get("score")) if a.get("score") is not None else "—",
                    _verdict(a),
                    str(a.get("transcript_hash") or "")[7:19],
                )
                for a in attempts
            ],
            (9, 52, 27, 19, 20, 20, 27),
            size=7.5,
        )
        packs = sorted({(a["pack"]["id"], a["pack"]["version"], a["pack"]["hash"]) for a in attempts if a.get("pack")})
        pdf.ln(1)
        for pack_id, version, digest in packs:
            text(f"Pack {pack_id} v{version} — {digest}", 6.5, "", 3.4)

    heading("Certificat de réalisation")
    representative = f"{provider['representative']}, " if provider.get("representative") else ""
    text(
        f"Je soussigné(e), {representative}représentant(e) légal(e) du dispensateur de l'action concourant au "
        f"développement des compétences {provider.get('name') or ''}, atteste que "
        f"{trainee.get('prenom', '')} {trainee.get('nom', '')}, salarié(e) de l'entreprise "
        f"{trainee.get('employer') or '—'}, a suivi l'action « {training.get('title', '')} », "
        f"de nature : {training.get('nature', '')}, qui s'est déroulée du {fr_date(training.get('start_date'))} "
        f"au {fr_date(training.get('end_date'))}, pour une durée de {_hours(training.get('hours'))}.",
        9.5,
    )
    pdf.ln(1)
    text(str((payload.get("mentions") or {}).get("conservation", "")), 7.5, "", 3.8)

    # Signature block with the QR code on the right
    qr_size = 34.0
    if pdf.get_y() + qr_size + 6 > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(3)
    top = pdf.get_y()
    _draw_qr(pdf, qr_text(envelope), pdf.w - pdf.r_margin - qr_size, top, qr_size)
    left_width = width - qr_size - 6
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(left_width, 5.5, f"Fait à {issued.get('place') or '—'}, le {fr_date(issued.get('date'))}",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 9.5)
    pdf.multi_cell(left_width, 5, "Cachet et signature du responsable du dispensateur de formation",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8.5)
    pdf.multi_cell(
        left_width,
        4.3,
        f"Signé électroniquement — Ed25519, clé {envelope['kid']} : le PDF entier et le fichier "
        f"« {ATTACHMENT_NAME} » qui lui est joint. Vérification : relance verify <ce fichier> [--replay].",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("DejaVu", "B", 7)
    pdf.multi_cell(left_width, 3.4, f"Empreinte de la clé (à comparer avec celle publiée par l'organisme) :\n"
                   f"{_fingerprint(envelope)}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 6)
    pdf.multi_cell(left_width, 3, f"Clé publique : {envelope['public_key']}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + qr_size + 2))

    # Compact (C encoder): the signature covers the canonical payload, not this layout.
    data = json.dumps(envelope, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    pdf.embed_file(
        bytes=data,
        basename=ATTACHMENT_NAME,
        desc="Attestation signée (JSON, Ed25519 sur RFC 8785)",
        mime_type="application/json",
        modification_date=moment,
        creation_date=moment,
        compress=True,
    )
    return bytes(pdf.output())


def _fingerprint(envelope: Mapping[str, Any]) -> str:
    from simulator.records.attest import unb64url
    from simulator.records.keys import fingerprint

    return fingerprint(unb64url(str(envelope["public_key"])))


def _verdict(attempt: Mapping[str, Any]) -> str:
    if attempt.get("status") != "finished":
        return STATUS_LABELS.get(str(attempt.get("status")), str(attempt.get("status")))
    if attempt.get("passed") is None:
        return "—"
    return "réussi" if attempt["passed"] else "non réussi"


def _table(pdf: Any, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
           size: float = 8.5) -> None:
    from fpdf.fonts import FontFace

    pdf.set_font("DejaVu", "", size)
    with pdf.table(
        col_widths=tuple(widths),
        width=sum(widths),
        align="LEFT",
        text_align="LEFT",
        line_height=size * 0.5,
        padding=0.8,
        headings_style=FontFace(emphasis="BOLD", fill_color=(245, 245, 245)),
        first_row_as_headings=True,
    ) as table:
        row = table.row()
        for heading in headings:
            row.cell(heading)
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(value)


def _draw_qr(pdf: Any, data: str, x: float, y: float, size: float) -> None:
    import segno

    qr = segno.make(data, error="m", micro=False, boost_error=False)
    matrix = qr.matrix
    count = len(matrix)
    border = 2
    module = size / (count + 2 * border)
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(matrix):
        column = 0
        while column < count:
            if row[column]:
                start = column
                while column < count and row[column]:
                    column += 1
                pdf.rect(
                    x + (border + start) * module,
                    y + (border + row_index) * module,
                    (column - start) * module,
                    module,
                    style="F",
                )
            else:
                column += 1
    pdf.set_fill_color(255, 255, 255)


# --------------------------------------------------------------------------- reading back


def read_envelope(data: bytes) -> Any:
    """The signed envelope attached to a PDF attestation, or None if the PDF has none.

    Raises ``ValueError`` if the bytes are not a readable PDF or the attachment is not JSON.
    """
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        attachments = reader.attachments
        contents = attachments.get(ATTACHMENT_NAME)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"PDF illisible ({exc})") from None
    if not contents:
        return None
    from simulator.records.attest import loads_strict

    try:
        return loads_strict(contents[0].decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError("la pièce jointe attestation.json n'est pas en UTF-8") from None
    except json.JSONDecodeError:
        raise ValueError("la pièce jointe attestation.json n'est pas du JSON valide") from None
    # DuplicateKeyError propagates: the caller reports the attestation as invalid.
