"""Response and request schemas of the REST API: what clients see, separate from the tables.

A table can gain a column without changing the API, and the API can rename for clarity (``start``/``end``
instead of JSON pairs) without a migration.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

__all__ = ["ArticleBrief", "ArticleOut", "ArticlePage", "ArticleRef", "AttributionItem", "AttributionOut",
           "AttributionPage", "ConflictOut", "ConflictValueOut", "EntityBrief", "EntityDetail", "EntityOut",
           "EntityPage", "ErrorBody", "ErrorOut", "EventArgOut", "EventDateOut", "EventItem", "EventPage",
           "EventPlaceOut", "FatalitiesOut", "FlagOut", "IncidentOut", "IncidentPage", "MentionOut",
           "NetworkEdge", "PostArticleIn", "PostArticleOut", "QuantityOut", "SpanOut", "StoryArticle",
           "StoryBrief", "StoryDetail", "StoryPage", "TimeOut", "TimelineBucket", "TimelineOut"]


class SpanOut(BaseModel):
    """Characters ``text[start:end]`` of the article (code points, end exclusive)."""

    start: int
    end: int
    text: str


class ErrorBody(BaseModel):
    status: int
    code: str = Field(description="Stable code: not_found, invalid_request, unauthorized, ...")
    message: str
    details: list[dict[str, Any]] = Field(default_factory=list)


class ErrorOut(BaseModel):
    """The one error shape of every endpoint."""

    error: ErrorBody


class _Page(BaseModel):
    total: int = Field(description="Rows matching the filters, on all pages (with `total_capped`: at least "
                                   "that many)")
    limit: int
    offset: int
    total_capped: bool = Field(False, description="A text search (`q`) of articles, events or attributions "
                                                  "counts its matches up to 1,000: true when it stopped "
                                                  "there, and `total` is that lower bound")


class ArticleBrief(BaseModel):
    id: str
    title: str | None
    published: str | None
    site: str | None
    url: str | None
    language: str | None
    status: str
    lead: str = Field(description="The first 240 characters of the text")
    n_entities: int
    n_attributions: int


class ArticlePage(_Page):
    items: list[ArticleBrief]


class MentionOut(SpanOut):
    kind: str
    sentence: int


class EntityOut(BaseModel):
    id: str = Field(description="Id within the article (E1, E2, ...)")
    key: str = Field(description="Id across articles: kb:<kb_id> or name:<TYPE>:<name>")
    type: str
    name: str
    country: str | None
    kb_id: str | None
    mentions: list[MentionOut]


class TimeOut(SpanOut):
    id: str
    type: str
    value: str
    precision: str
    anchored: bool


class AttributionOut(BaseModel):
    id: str
    kind: str
    source: SpanOut | None
    source_entity: str | None = Field(description="Entity id in this article the source resolves to")
    anonymous: bool
    anonymous_description: str | None
    cue: SpanOut | None
    content: list[SpanOut]
    factuality: str
    factuality_cues: list[SpanOut]
    via: str | None
    confidence: float


class EventArgOut(BaseModel):
    span: SpanOut | None
    entity: str | None = Field(None, description="Entity id in the article")
    key: str | None = Field(None, description="Entity key across articles (see /api/entities)")
    name: str | None = None
    country: str | None = None
    sector: str | None = None


class EventDateOut(BaseModel):
    value: str
    precision: str
    source: str = Field(description="text: from a time expression of the clause; paragraph: the time that "
                                    "opens its paragraph (its sentence names none); article: the lede's "
                                    "anchor day; published: the last fallback")


class EventPlaceOut(BaseModel):
    span: SpanOut | None
    name: str
    precision: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    kb_id: str | None = None


class QuantityOut(BaseModel):
    kind: str
    span: SpanOut
    low: float | None = None
    high: float | None = None
    unit: str | None = None


class EventItem(BaseModel):
    """One PLOVER event with the evidence span of each field."""

    article_id: str
    id: str = Field(description="Id within the article (V1, V2, ...)")
    type: str = Field(description="PLOVER event type")
    mode: str | None = None
    trigger: SpanOut
    actor: EventArgOut | None = None
    target: EventArgOut | None = None
    date: EventDateOut | None = None
    place: EventPlaceOut | None = None
    quantities: list[QuantityOut] = Field(default_factory=list)
    factuality: str
    factuality_cues: list[SpanOut] = Field(default_factory=list)
    attribution: str | None = Field(None, description="Attribution id the event is reported through")
    sentence: int = 0
    confidence: float = 1.0
    evidence: list[SpanOut] = Field(default_factory=list,
                                    description="The same happening's other mentions in the article")
    title: str | None = None
    published: str | None = None


class EventPage(_Page):
    items: list[EventItem]


class FlagOut(BaseModel):
    """Something the article says that contradicts the rest of it: ``span`` is [start, end] of the words."""

    article_id: str
    kind: str = Field(description="role-conflict, ...")
    span: list[int]
    text: str
    message: str
    evidence: list[SpanOut] = Field(default_factory=list, description="Where the article says otherwise")


class ArticleOut(BaseModel):
    id: str
    content_hash: str
    input_id: str | None
    source: str
    title: str | None
    url: str | None
    site: str | None
    authors: list[str]
    published: str | None
    updated: str | None
    language: str | None
    captions: list[str]
    metadata: dict[str, Any]
    status: str
    skip_reason: str | None
    text: str
    sentences: list[SpanOut]
    entities: list[EntityOut]
    times: list[TimeOut]
    attributions: list[AttributionOut]
    events: list[EventItem] = Field(default_factory=list)
    story_id: str | None = Field(default=None, description="Its story (none before it is assigned)")
    duplicate_of: str | None = Field(default=None, description="The earliest article whose text it copies")
    flags: list[FlagOut] = Field(default_factory=list, description="What contradicts the rest of the article")


class EntityBrief(BaseModel):
    key: str
    name: str
    type: str
    country: str | None
    kb_id: str | None
    articles: int
    mentions: int


class EntityPage(_Page):
    items: list[EntityBrief]


class AttributionItem(BaseModel):
    article_id: str
    id: str
    kind: str
    factuality: str
    source_text: str | None
    source_entity: str | None
    source_key: str | None
    source_name: str | None
    anonymous: bool
    anonymous_description: str | None
    cue_text: str | None
    content_text: str
    via: str | None
    confidence: float
    title: str | None
    published: str | None
    source: list[int] | None = Field(description="[start, end] of the source in the article text")
    cue: list[int] | None
    content: list[list[int]]


class AttributionPage(_Page):
    items: list[AttributionItem]


class NetworkEdge(BaseModel):
    actor_key: str
    actor_name: str
    target_key: str
    target_name: str
    count: int
    types: dict[str, int] = Field(description="Events on this edge by PLOVER type")


class ArticleRef(BaseModel):
    article_id: str
    entity_id: str
    title: str | None
    published: str | None


class EntityDetail(EntityBrief):
    article_refs: list[ArticleRef]
    attributions: list[AttributionItem] = Field(description="What this entity is reported to have said")
    events_as_actor: list[EventItem]
    events_as_target: list[EventItem]
    network: list[NetworkEdge] = Field(description="Who acts on whom, among events involving this entity")


class TimelineBucket(BaseModel):
    day: str
    type: str
    count: int


class TimelineOut(BaseModel):
    of: str = Field(description="What is counted: events, attributions or articles")
    buckets: list[TimelineBucket]


class PostArticleIn(BaseModel):
    text: str | None = Field(None, description="Plain text (kept exactly; spans index into it)")
    html: str | None = Field(None, description="A whole HTML page; the article body is extracted")
    url: str | None = None
    title: str | None = None
    published: str | None = Field(None, description="ISO 8601")


class PostArticleOut(BaseModel):
    id: str
    outcome: str = Field(description="stored; new-version when it supersedes the article stored for its url; "
                                     "updated when its text is stored for its url with other metadata; "
                                     "unchanged when the same text was stored before")
    href: str
    story_id: str | None = Field(default=None, description="The story it was put in (stored or new-version)")


class ConflictValueOut(BaseModel):
    value: str
    article_id: str
    span: list[int] | None = Field(default=None, description="[start, end] in that article's text")
    text: str | None = None
    source: str | None = Field(default=None, description="Who the article attributes the value to")


class ConflictOut(BaseModel):
    field: str = Field(description="fatalities, factuality (a claim and its denial), date or place")
    values: list[ConflictValueOut]


class FatalitiesReportOut(BaseModel):
    article_id: str
    low: float | None
    high: float | None


class FatalitiesOut(BaseModel):
    low: float | None = Field(description="The lowest credible figure across reports (as ACLED records)")
    high: float | None
    reports: list[FatalitiesReportOut]


class IncidentOut(BaseModel):
    id: str
    type: str
    story_id: str | None
    date: str | None = Field(description="A day, or first/last when the reports span several")
    date_first: str | None
    date_last: str | None
    place: str | None
    country: str | None
    actors: list[str]
    targets: list[str]
    articles: list[str]
    independent_sources: int = Field(description="Distinct outlets; copies counted once")
    fatalities: FatalitiesOut
    conflicts: list[ConflictOut]
    reports: list[dict[str, Any]] = Field(description="Each report: article, event, outlet, its own figures")


class IncidentPage(_Page):
    items: list[IncidentOut]


class StoryBrief(BaseModel):
    id: str
    title: str | None
    first_published: str | None
    last_published: str | None
    articles: int
    independent_sources: int
    incidents: int


class StoryPage(_Page):
    items: list[StoryBrief]


class StoryArticle(BaseModel):
    id: str
    title: str | None
    published: str | None
    site: str | None
    url: str | None
    duplicate_of: str | None
    flags: int


class StoryDetail(BaseModel):
    id: str
    title: str | None
    first_published: str | None
    last_published: str | None
    articles: int
    independent_sources: int
    article_refs: list[StoryArticle]
    incidents: list[IncidentOut]
