"""Loaded by the Ralph processes the LRS tests start (PYTHONPATH), never by Relance.

Ralph 5.1's file-system LRS backend writes statements with its data backend's default operation,
CREATE, which refuses to write into an existing file: every POST after the first one fails with
HTTP 500 "Statements bulk indexation failed" (the upstream code is the same). Statements must be
appended to the LRS file, so the backend's default operation is set to APPEND; nothing else of
Ralph is changed. Runs in the server's reloader and in its worker (both start a new interpreter).
"""

from __future__ import annotations

try:
    from ralph.backends.data.base import BaseOperationType
    from ralph.backends.lrs.fs import FSLRSBackend
except ImportError:  # not a Ralph environment: nothing to do
    pass
else:
    FSLRSBackend.default_operation_type = BaseOperationType.APPEND
