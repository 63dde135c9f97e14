"""Relance: terminal training simulator for B2B credit management and phone collection.

The package root imports nothing, so headless tools never pay for Textual.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
