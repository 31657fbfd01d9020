"""Autoloaded Dagster definitions (see orchestration/definitions.py)."""
