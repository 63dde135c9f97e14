"""The ``relance`` command line.

Sub-commands live in :mod:`simulator.commands`; this module parses arguments,
runs the command and is the one place that prints errors. Exit codes: 0 success,
1 problems found or operation failed, 2 usage error. The Textual app is imported
only by the command that opens it.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from simulator import __version__
from simulator.commands import COMMAND_MODULES
from simulator.errors import ContentError, SimulatorError
from simulator.textsafe import VisibleStream

__all__ = ["build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    """argparse with French messages and exit code 2 on usage errors."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        translated = (
            message.replace("the following arguments are required", "arguments obligatoires manquants")
            .replace("invalid choice", "choix invalide")
            .replace("choose from", "choix possibles :")
            .replace("unrecognized arguments", "arguments non reconnus")
            .replace("expected one argument", "une valeur attendue")
            .replace("invalid int value", "nombre entier invalide")
        )
        sys.stderr.write(f"relance: erreur : {translated}\n")
        raise SystemExit(2)


_APP_OPTIONS = {"--lang": True, "--pack": True, "--served": False}
"""Options of ``relance`` alone (opening the app) → whether each takes a value."""


def opens_app(argv: Sequence[str]) -> bool:
    """Whether ``argv`` only opens the app (global options, no command).

    Then the sub-commands are not registered at all: building them imports every
    command module, a tenth of the app's start-up for nothing.
    """
    index = 0
    while index < len(argv):
        name, equals, _value = argv[index].partition("=")
        if name not in _APP_OPTIONS:
            return False
        index += 2 if _APP_OPTIONS[name] and not equals else 1
    return index == len(argv)


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="relance",
        description="Relance — simulateur d'entraînement à la relance téléphonique et à la "
        "gestion du poste client. Sans commande, ouvre l'application.",
        epilog="variables d'environnement : RELANCE_HOME (dossier des données, voir `relance locate`) ; "
        "RELANCE_NOW (date du jour simulée, AAAA-MM-JJ ou AAAA-MM-JJTHH:MM, pour voir les cartes "
        "d'entraînement dues un autre jour).",
    )
    parser.add_argument("--version", action="version", version=f"relance {__version__}", help="afficher la version")
    parser.add_argument(
        "--pack",
        action="append",
        metavar="DOSSIER",
        help="dossier d'un pack de contenu (répétable ; défaut : les packs fournis)",
    )
    parser.add_argument("--lang", choices=("fr", "en"), help="langue de l'interface")
    # One browser tab of `relance serve` (a trainee session of its own): not for people.
    parser.add_argument("--served", action="store_true", help=argparse.SUPPRESS)
    if not commands:
        parser.set_defaults(command=None)
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=_Parser, title="commandes")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    for command in sub.choices.values():
        # `--pack` is accepted before or after the command name.
        if not any("--pack" in action.option_strings for action in command._actions):
            command.add_argument(
                "--pack",
                action="append",
                metavar="DOSSIER",
                default=argparse.SUPPRESS,
                help="dossier d'un pack de contenu (répétable ; défaut : les packs fournis)",
            )
    return parser


def print_error(error: SimulatorError) -> None:
    """The one place where user errors are printed."""
    sys.stderr.write(f"relance: erreur : {error.message}\n")
    if isinstance(error, ContentError) and error.problems:
        for problem in error.problems[:20]:
            sys.stderr.write(problem.format() + "\n")
        if len(error.problems) > 20:
            sys.stderr.write(f"… et {len(error.problems) - 20} autre(s)\n")
    if error.hint:
        sys.stderr.write(f"  conseil : {error.hint}\n")


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(commands=not opens_app(given))
    args = parser.parse_args(given)
    saved = sys.stdout, sys.stderr
    if args.command is not None:
        # Commands print replies, names, file names and attestation fields that come from
        # anyone: their control characters are made visible on the way out (textsafe).
        # The app renders its own screen and makes them visible in its widgets.
        sys.stdout, sys.stderr = VisibleStream(sys.stdout), VisibleStream(sys.stderr)
    try:
        if args.command is None:
            from simulator.commands.app import run_app

            return run_app(args)
        return int(args.handler(args) or 0)
    except SimulatorError as error:
        print_error(error)
        return error.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("relance: interrompu\n")
        return 130
    except BrokenPipeError:
        return 0
    finally:
        sys.stdout, sys.stderr = saved
