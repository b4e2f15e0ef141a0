"""The invented multi-report collections live in eventwire.testing (shared with the store, API and web
tests); the names the aggregate tests use."""

from __future__ import annotations

from eventwire.testing import STORY_GOLD as GOLD_STORIES
from eventwire.testing import STORY_REPORTS as REPORTS
from eventwire.testing import story_reports as reports

__all__ = ["GOLD_STORIES", "REPORTS", "reports"]
