"""Where Relance keeps user data, cache and settings: the one seam tests redirect.

``RELANCE_HOME`` overrides everything (tests, shared machines, USB keys):
data in ``$RELANCE_HOME/data``, cache in ``$RELANCE_HOME/cache``, settings in
``$RELANCE_HOME/config``. Otherwise the platform's folders (platformdirs).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["BUNDLED_PACKS", "cache_dir", "config_dir", "data_dir", "project_root"]

APP = "relance"


def project_root() -> Path:
    """The folder that holds ``simulator/``, ``cases/`` and ``quizzes/``."""
    return Path(__file__).resolve().parent.parent


BUNDLED_PACKS = ("cases", "quizzes")
"""Folders (under the project root) searched for the bundled packs."""


def _home() -> Path | None:
    value = os.environ.get("RELANCE_HOME")
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """User data (the SQLite store, keys, exports by default)."""
    home = _home()
    if home:
        return home / "data"
    import platformdirs

    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def cache_dir() -> Path:
    """Cache of validated packs; safe to delete at any time."""
    home = _home()
    if home:
        return home / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP, appauthor=False))


def config_dir() -> Path:
    """User settings (identity, language)."""
    home = _home()
    if home:
        return home / "config"
    import platformdirs

    return Path(platformdirs.user_config_dir(APP, appauthor=False))
