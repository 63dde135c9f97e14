"""A trainer's own pack, as written from docs/authoring.md: Axis Fournitures calls Morel Agencement."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

MANIFEST = """\
kind: pack
id: morel
title: Pack Morel
version: "1.0"
depends: [relance-appels]
"""

PERSONA = """\
kind: persona
id: sophie-morel
name: Sophie Morel
civility: Madame
type: difficulte-tresorerie
lines:
  asked_date: ["Le solde, je peux le faire le {deadline}."]
objections:
  - objection: tresorerie-tendue
    at: donner-la-parole
    asked:
      amount: ["Cette semaine, je peux faire {down_payment}, pas plus."]
"""

CASE = """\
kind: case
id: morel-premier-appel
title: Morel Agencement, facture de 14 400 €
persona: sophie-morel
call_date: 2026-11-17
creditor: {company: Axis Fournitures, caller: Claire Martin, email: c.martin@axis.fr}
debtor:
  company: Morel Agencement
  contact: Sophie Morel
  payment_terms: 45 jours fin de mois
  customer_since: 2014
third_parties:
  - {name: Hélène Vidal, role: daf, function: directrice financière}
  - {name: Bruno Lefort, role: commercial, side: creditor}
invoices:
  - number: F-2026-0412
    issued: 2026-09-15
    due: 2026-10-31
    amount: 14 400,00 €
objective: {text: Obtenir un virement de la totalité}
fallback: {text: Un acompte cette semaine, amount: 5000}
"""



@pytest.fixture
def morel_texts() -> dict[str, str]:
    """The default files of the Morel pack, to edit in a test."""
    return {"pack.yaml": MANIFEST, "persona.yaml": PERSONA, "case.yaml": CASE}


@pytest.fixture
def make_pack(tmp_path: Path) -> Callable[..., Path]:
    """Write the Morel pack, with files replaced or added by keyword (name=text, None drops it)."""

    def make(**files: str | None) -> Path:
        root = tmp_path / "morel"
        root.mkdir(exist_ok=True)
        contents: dict[str, str | None] = {"pack.yaml": MANIFEST, "persona.yaml": PERSONA, "case.yaml": CASE}
        contents.update({name.replace("__", "/").replace("_yaml", ".yaml"): text for name, text in files.items()})
        for name, text in contents.items():
            path = root / name
            if text is None:
                path.unlink(missing_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root

    return make
