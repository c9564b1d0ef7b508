"""Helpers for testing code that uses secheaders (``strategies`` needs hypothesis)."""
