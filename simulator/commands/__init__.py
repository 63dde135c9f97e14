"""Headless CLI commands, one module per group; each exposes ``register(subparsers)``."""

COMMAND_MODULES = (
    "simulator.commands.content",
    "simulator.commands.calls",
    "simulator.commands.quiz",
    "simulator.commands.records",
    "simulator.commands.trainee",
)
"""Modules whose ``register`` adds sub-commands, in help order."""
