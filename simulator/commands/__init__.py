"""Headless CLI commands, one module per group; each exposes ``register(subparsers)``."""

COMMAND_MODULES = (
    "simulator.commands.content",
    "simulator.commands.author",
    "simulator.commands.calls",
    "simulator.commands.scoring",
    "simulator.commands.lint",
    "simulator.commands.quiz",
    "simulator.commands.interchange",
    "simulator.commands.records",
    "simulator.commands.stats",
    "simulator.commands.trainee",
)
"""Modules whose ``register`` adds sub-commands, in help order."""
