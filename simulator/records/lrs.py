"""Posting xAPI statements to a learning record store (LRS), in batches, with bounded retries.

* ``POST {endpoint}/statements`` with ``X-Experience-API-Version: 1.0.3``, JSON body (a list),
  HTTP Basic authentication.
* A batch is marked as sent in the store (per endpoint and statement id) **only after the LRS
  answered 200/204**; an interrupted transfer resumes with the statements not yet accepted.
* Network errors, timeouts, 429 and 5xx are retried with exponential backoff, a bounded number
  of times; any other 4xx stops at once with the LRS's message (nothing of that batch is
  marked as sent).

Only the standard library is used (``urllib``).
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from simulator.errors import ExportError, UsageError
from simulator.records.store import Store

__all__ = ["LrsReport", "normalise_endpoint", "post_statements"]

RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}


@dataclass(frozen=True)
class LrsReport:
    """What a transfer did: statements sent now, skipped (already accepted earlier), batches, retries."""

    endpoint: str
    sent: int
    skipped: int
    batches: int
    retries: int


def normalise_endpoint(url: str) -> str:
    """The statements resource of an LRS endpoint (``…/xapi`` → ``…/xapi/statements``)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"adresse de LRS invalide : {url!r}", "exemple : https://lrs.exemple.fr/xapi")
    base = url.strip().rstrip("/")
    return base if base.endswith("/statements") else base + "/statements"


def _auth_header(auth: str | None) -> dict[str, str]:
    if not auth:
        return {}
    if ":" not in auth:
        raise UsageError("--auth attend IDENTIFIANT:MOT_DE_PASSE")
    token = base64.b64encode(auth.encode("utf-8")).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def _excerpt(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip().replace("\n", " ")
    return text[:300] + ("…" if len(text) > 300 else "")


def post_statements(
    statements: Sequence[dict[str, Any]],
    endpoint: str,
    *,
    store: Store | None = None,
    auth: str | None = None,
    batch_size: int = 50,
    retries: int = 4,
    backoff: float = 0.5,
    timeout: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[int, int], None] | None = None,
) -> LrsReport:
    """Send the statements not yet accepted by this endpoint; mark each accepted batch in ``store``.

    Raises :class:`ExportError` on a refused batch (4xx) or when retries are exhausted.
    """
    if batch_size < 1:
        raise UsageError("la taille de lot doit être au moins 1")
    url = normalise_endpoint(endpoint)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Experience-API-Version": "1.0.3",
        "User-Agent": "Relance",
        **_auth_header(auth),
    }
    already = store.sent_statement_ids(url) if store is not None else set()
    todo = [s for s in statements if s["id"] not in already]
    skipped = len(statements) - len(todo)
    sent = batches = retried = 0
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        body = json.dumps(batch, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        for attempt in range(retries + 1):
            request = urllib.request.Request(url, data=body, headers=headers, method="POST")
            problem = ""
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
                detail = _excerpt(error.read() or b"")
                if status not in RETRY_STATUSES:
                    hint = {
                        401: "vérifiez l'identifiant et le mot de passe (--auth)",
                        403: "ce compte n'a pas le droit d'écrire des déclarations",
                        404: "vérifiez l'adresse du LRS (elle se termine souvent par /xapi)",
                        409: "le LRS a déjà des déclarations de mêmes identifiants mais de contenu différent",
                    }.get(status, "le LRS a refusé les déclarations ; rien n'a été marqué comme envoyé pour ce lot")
                    raise ExportError(
                        f"le LRS a refusé le lot {batches + 1} (HTTP {status}) : {detail or error.reason}",
                        f"{hint} ; {sent} déclaration(s) envoyée(s) avant l'erreur",
                    ) from None
                problem = f"HTTP {status} {detail}".strip()
            except (urllib.error.URLError, OSError, TimeoutError) as error:
                reason = getattr(error, "reason", error)
                problem = f"connexion impossible ({reason})"
            else:
                if status in (200, 204):
                    break
                problem = f"réponse inattendue HTTP {status}"
            if attempt == retries:
                raise ExportError(
                    f"envoi au LRS impossible après {retries + 1} essais : {problem}",
                    f"{sent} déclaration(s) envoyée(s) ; relancez la commande pour reprendre là où elle s'est arrêtée",
                )
            retried += 1
            sleep(backoff * (2**attempt))
        if store is not None:
            store.mark_sent(url, [s["id"] for s in batch])
        sent += len(batch)
        batches += 1
        if progress is not None:
            progress(sent, len(todo))
    return LrsReport(endpoint=url, sent=sent, skipped=skipped, batches=batches, retries=retried)
