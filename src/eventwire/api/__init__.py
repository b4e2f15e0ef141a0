"""The REST API (FastAPI): :func:`create_app` builds the application; ``eventwire serve`` runs it."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
