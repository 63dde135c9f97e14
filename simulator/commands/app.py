"""``relance`` with no command: open the Textual app (the only place that imports it)."""

from __future__ import annotations

import argparse

__all__ = ["run_app"]


def run_app(args: argparse.Namespace) -> int:
    from simulator.content.library import load_library

    library = load_library(args.pack or None)
    from simulator.tui.app import make_app

    app = make_app(library, lang=args.lang)
    try:
        app.run()
    finally:
        closer = getattr(app.store, "close", None)
        if closer is not None:
            closer()
    return int(app.return_code or 0)
