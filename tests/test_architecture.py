"""Headless core: loading content and running the engines never imports Textual."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_content_and_engines_import_no_textual() -> None:
    code = textwrap.dedent(
        """
        import importlib, pkgutil, sys
        import simulator
        skip = ("simulator.tui", "simulator.commands.app", "simulator.__main__")
        for info in pkgutil.walk_packages(simulator.__path__, "simulator."):
            if info.name.startswith(skip):
                continue
            importlib.import_module(info.name)
        from simulator.content.library import load_library
        load_library(use_cache=False)
        from simulator.cli import main
        assert main(["validate", "--no-cache"]) == 0
        bad = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
        print("LOADED", bad)
        assert not bad, bad
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "LOADED []" in result.stdout


def test_no_check_registration_circle() -> None:
    """content/loader → content/checks → quiz/checks → content used to import each other in a circle."""
    import ast
    from pathlib import Path

    package = Path(__file__).resolve().parents[1] / "simulator"

    def imports(relative: str) -> set[str]:
        tree = ast.parse((package / relative).read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        return found

    assert not any(m.startswith("simulator.content") for m in imports("quiz/checks.py"))
    assert "simulator.content.loader" not in imports("content/checks.py")
    assert not any(m.startswith("simulator.content") for m in imports("model/checks.py"))
