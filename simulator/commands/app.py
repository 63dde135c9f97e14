"""``relance`` with no command: open the Textual app (the only place that imports it)."""

from __future__ import annotations

import argparse
import gc

__all__ = ["run_app"]


def run_app(args: argparse.Namespace) -> int:
    # Start-up allocates many long-lived objects (modules, the pack, widgets);
    # the cyclic GC would scan them repeatedly for nothing. It is paused until
    # the first screen is up, then the survivors are frozen out of its scans.
    gc.disable()
    try:
        from simulator.content.library import load_library

        library = load_library(args.pack or None, corpora=False)
        from simulator.tui.app import make_app

        app = make_app(library, lang=args.lang, served=bool(getattr(args, "served", False)))
    except BaseException:
        gc.enable()
        raise
    app.call_after_refresh(_resume_gc)
    try:
        app.run()
    finally:
        gc.enable()
        closer = getattr(app.store, "close", None)
        if closer is not None:
            closer()
    return int(app.return_code or 0)


def _resume_gc() -> None:
    gc.freeze()
    gc.enable()
