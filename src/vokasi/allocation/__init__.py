"""Allocation engine (placeholder docstring, completed below)."""
