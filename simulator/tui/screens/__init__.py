"""Screens of the Relance application."""
