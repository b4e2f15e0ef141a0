"""Aggregates and exports over a store: ``export(store, "csv", path)``."""

from __future__ import annotations

from .export import FORMATS, GDELT_COLUMNS, KINDS, ExportFilters, export

__all__ = ["FORMATS", "GDELT_COLUMNS", "KINDS", "ExportFilters", "export"]
