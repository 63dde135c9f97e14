"""Records: the SQLite store, recording of attempts, exports (CSV, JSON, xAPI), signed attestations.

Only the store is imported here (the app opens it at start-up); exports, signing and PDF
rendering are imported by the commands that need them.
"""

from simulator.records.store import (
    ATTEMPT_KINDS,
    Attempt,
    Store,
    Trainee,
    TrainingSession,
    default_store_path,
)

__all__ = ["ATTEMPT_KINDS", "Attempt", "Store", "Trainee", "TrainingSession", "default_store_path"]
