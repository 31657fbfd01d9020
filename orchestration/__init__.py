"""Dagster orchestration of the budget warehouse.

Importing this package is cheap and has no side effects: the Dagster definitions live in
``orchestration.definitions`` (which loads ``orchestration/defs/``) and are only imported by
Dagster tools and by ``python -m orchestration.run``.
"""
