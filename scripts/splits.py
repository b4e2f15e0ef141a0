"""How each shared dev set is split into a tuning part (look at it, tune on it) and a check part (report it,
never tune on it).  Used by scripts/evaluate.py.

stories-news and stories-ecb: a record is in the tuning part when the SHA-256 of its id is even (news: 26
tune / 24 check articles; ecb: 104 / 92 documents); each part is clustered as a collection of its own.  The
story parameters (aggregate/stories.py) were chosen on the whole dev sets, before this split existed, so the
check part is not a clean held-out score for them; it is kept for later changes.
"""

from __future__ import annotations

import hashlib

__all__ = ["stories_part"]


def stories_part(record_id: str) -> str:
    """"tune" or "check"."""
    return "tune" if int(hashlib.sha256(record_id.encode()).hexdigest(), 16) % 2 == 0 else "check"
