"""Content audits run by ``relance validate`` after the checks and the golden transcripts.

The audits warn about content that is well-formed but grades or teaches
something wrong (see :mod:`simulator.quiz.audit` and
:mod:`simulator.dialogue.audit`), and about a rate table that ends before
``today``.  They are warnings: they never change the exit code, and they
never run when the app loads a pack.  ``today`` is an argument (``relance
validate --date``), so the result is reproducible.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from simulator.content.checks import Located, pack_problem
from simulator.content.loader import located_problem
from simulator.content.problems import Problem

__all__ = ["run_audits"]


def run_audits(library: Any, today: date) -> list[Problem]:
    """Every audit warning for the packs of ``library``, as of ``today``."""
    from simulator.dialogue.audit import model_answer_findings
    from simulator.quiz import rates
    from simulator.quiz.audit import cites_rates, outdated_message, quiz_audits

    table = rates.packaged_table()
    problems: list[Problem] = []
    for pack in library.packs:
        problems.extend(pack_problem(pack, found) for found in quiz_audits(pack, table))
    for found in model_answer_findings(library, library.all("case")):
        located = Located(found.owner, found.path, found.code, found.message, found.hint, "warning")
        problems.append(pack_problem(library.pack_of(found.kind, found.owner), located))
    outdated = outdated_message(table, today)
    if outdated is not None and any(cites_rates(pack, table) for pack in library.packs):
        message, hint = outdated
        problems.append(
            located_problem(rates.resource_path(), code="rates-outdated", message=message, hint=hint, severity="warning")
        )
    return problems
