"""How each shared dev set is split into a tuning part (look at it, tune on it) and a check part (report it,
never tune on it).  One function per set, used by scripts/evaluate.py and the training scripts.

events-news (50 whole articles): an article is in the tuning part when the SHA-256 of its id is even.  This
gives 26 tuning articles (131 events, 10 without events) and 24 check articles (107 events, 9 without):
a split by hash rather than by file order, so the parts do not follow the file's source ordering.
"""

from __future__ import annotations

import hashlib

__all__ = ["events_news_part"]


def events_news_part(article_id: str) -> str:
    """"tune" or "check"."""
    return "tune" if int(hashlib.sha256(article_id.encode()).hexdigest(), 16) % 2 == 0 else "check"
