"""The call-practice engine (pure, deterministic, headless)."""

from simulator.dialogue.engine import (
    ENGINE_VERSION,
    CallEnded,
    CallSetup,
    CallState,
    Commitment,
    Event,
    Turn,
    advance,
    setup_call,
    start,
)
from simulator.dialogue.scorecard import Scorecard, scorecard
from simulator.dialogue.transcript import dumps, play, to_document

__all__ = [
    "ENGINE_VERSION",
    "CallEnded",
    "CallSetup",
    "CallState",
    "Commitment",
    "Event",
    "Scorecard",
    "Turn",
    "advance",
    "dumps",
    "play",
    "scorecard",
    "setup_call",
    "start",
    "to_document",
]
