"""One exception tree; every message says how to fix the problem.

    EventwireError
    ├── ConfigError        a setting or argument is wrong
    ├── ModelError         the spaCy pipeline cannot be loaded
    ├── InputError         an input cannot be read as an article (readers turn these into counted skips)
    └── StoreError         the database cannot be opened, created or written
"""

from __future__ import annotations

__all__ = ["ConfigError", "EventwireError", "InputError", "ModelError", "StoreError"]


class EventwireError(Exception):
    """Base of every error eventwire raises on purpose."""


class ConfigError(EventwireError):
    """A setting or argument is wrong."""


class ModelError(EventwireError):
    """The spaCy pipeline cannot be loaded."""


class InputError(EventwireError):
    """An input cannot be read as an article; ``reason`` is the stable skip code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class StoreError(EventwireError):
    """The database cannot be opened, created or written."""
