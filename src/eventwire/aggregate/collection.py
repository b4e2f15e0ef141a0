"""One collection of analysed articles (a day of news, a feed, one input file) made into stories, copies,
incidents and consistency flags: what ``eventwire extract --stories`` adds to the batch interchange
(FORMAT.md, "Collections")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..model import Article, Flag, Incident
from .duplicates import find_duplicates
from .flags import article_flags
from .incidents import build_incidents
from .stories import cluster_collection

__all__ = ["Collection", "analyze_collection"]


@dataclass(frozen=True)
class Collection:
    stories: dict[str, str]  # article id -> story id
    copies: dict[str, str]  # article id -> id of the earliest copy of its text
    incidents: tuple[Incident, ...]
    flags: dict[str, tuple[Flag, ...]]  # article id -> its flags

    @cached_property
    def incident_of(self) -> dict[tuple[str, str], str]:
        """(article id, event id) -> incident id."""
        return {(r.article_id, r.event_id): i.id for i in self.incidents for r in i.reports}

    def annotate(self, article: Article, record: dict[str, Any]) -> dict[str, Any]:
        """``record`` (``article.to_dict()``) with story, duplicate_of, flags and each event's incident."""
        incident_of = self.incident_of
        record["story"] = self.stories.get(article.id)
        record["duplicate_of"] = self.copies.get(article.id)
        record["flags"] = [f.to_dict() for f in self.flags.get(article.id, ())]
        for event in record.get("events", []):
            event["incident"] = incident_of.get((article.id, event["id"]))
        return record


def analyze_collection(articles: Iterable[Article]) -> Collection:
    """Stories, copies, incidents and flags of one collection."""
    arts = list(articles)
    copies = find_duplicates(arts)
    stories = cluster_collection(arts, copies=copies)
    incidents = build_incidents(arts, stories, copies=copies)
    flags = {a.id: f for a in arts if (f := tuple(article_flags(a)))}
    return Collection(stories=stories, copies=copies, incidents=tuple(incidents), flags=flags)
