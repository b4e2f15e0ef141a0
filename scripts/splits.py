"""How each shared dev set we tune on is split into a tuning part (look at it, tune on it) and a check part
(report it, never tune on it).  Used by scripts/evaluate.py and the training scripts.

events-news (50 whole articles): an article is in the tuning part when the SHA-256 of its id is even.  This
gives 26 tuning articles (131 events, 10 without events) and 24 check articles (107 events, 9 without):
a split by hash rather than by file order, so the parts do not follow the file's source ordering.

stories-news and stories-ecb: the same rule (news: 26 tune / 24 check articles; ecb: 104 / 92 documents);
each part is clustered as a collection of its own.  The story parameters (aggregate/stories.py) were chosen
on the whole dev sets, before this split existed, so the check part is not a clean held-out score for them;
it is kept for later changes.
"""

from __future__ import annotations

import hashlib

__all__ = ["part_of"]


def part_of(record_id: str) -> str:
    """"tune" when the SHA-256 of the id is even, else "check" (every set above)."""
    return "tune" if int(hashlib.sha256(record_id.encode()).hexdigest(), 16) % 2 == 0 else "check"
