"""The FastAPI application: ``create_app(db)`` builds one; nothing is created at import time.

    uvicorn --factory 'eventwire.api:create_app'      # or: eventwire serve --db URL

Read endpoints are open (like datasette, read-only by default); ``POST /api/articles`` needs the token given
to :func:`create_app` (``eventwire serve`` reads EVENTWIRE_API_TOKEN) and answers 403 when none is set.
CORS headers are sent only for the origins passed in ``cors_origins`` (none by default).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any, Literal

import anyio
import anyio.to_thread
from fastapi import APIRouter, Body, Depends, FastAPI, Header, Path, Query, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Connection

from .. import __version__ as _version
from .. import settings
from ..ingest import IngestHooks, Tally, ingest_items
from ..model import AttributionKind, Factuality, Skip
from ..runners.base import Runner
from ..store import SqlStore, open_store
from ..store import queries as Q
from .article import article_body
from .attributions import attributions_body
from .cache import SharedValues, StoreCache
from .docs import add_docs
from .entity import LISTED, entity_values
from .errors import ApiError, install_error_handlers
from .events import events_body
from .guard import WriteGuard, bearer_token, token_matches
from .headers import SecurityHeaders
from .schemas import (
    ArticleOut,
    ArticlePage,
    AttributionPage,
    EntityDetail,
    EntityPage,
    ErrorOut,
    EventPage,
    IncidentPage,
    PostArticleIn,
    PostArticleOut,
    StoryDetail,
    StoryPage,
    TimelineOut,
)

__all__ = ["create_app"]

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in ((404, "Not found"), (422, "Invalid parameters"), (503, "Database unavailable"))
}

Limit = Annotated[int, Query(ge=1, le=Q.MAX_LIMIT, description="Rows per page")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip")]
Day = Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY[-MM[-DD]]")]
Text = Annotated[str | None, Query(max_length=200)]
Country = Annotated[str | None, Query(max_length=3, description="ISO 3166-1 alpha-3")]
EntityKey = Annotated[str | None, Query(max_length=300, description="kb:<id> or name:<TYPE>:<name>")]


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


def _check_key(key: str | None) -> None:
    if key is None:
        return
    try:
        Q.parse_entity_key(key)
    except ValueError as e:
        raise ApiError(422, str(e)) from e


def create_app(db: str | None = None, *, store: SqlStore | None = None, token: str | None = None,
               runner: Runner | None = None, cors_origins: Sequence[str] = (), web: bool = True,
               max_body: int | None = None, shared_cache: str | None = None,
               threads: int | None = None) -> FastAPI:
    """The API (and, with ``web``, the web UI) over the database at URL ``db`` (or an open ``store``).

    ``token``: the bearer token POST /api/articles requires; None or empty disables writing.
    ``runner``: where a POST's article is analysed (runners/; default: a LocalRunner in this process, its
    model loaded on the first POST; tests pass one with a step that needs no spaCy).
    ``max_body``: the largest POST body in bytes (default: the setting ``api_max_body``).
    ``shared_cache``: a SQLite file where the server processes of one ``eventwire serve`` share the response
    bodies they computed (api/cache.py; None: this process keeps its own only).
    ``threads``: the read requests answered at once (default: the setting ``serve_threads``); a POST's
    analysis runs beside them, one at a time, never in their turn.
    """
    owned = store is None
    read_threads = int(settings.get("serve_threads") if threads is None else threads)
    the_store: SqlStore = store if store is not None else open_store(db)  # type: ignore[assignment]

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> Any:
        # What is alive once the server is up (modules, SQLAlchemy and pydantic internals) stays alive;
        # frozen, the cyclic collector stops walking it on every full collection.  A country's timeline at 1M
        # events builds ~5,400 buckets per request, enough to trigger full collections often: its CPU time
        # per call went from p95 66-91 ms to 25 ms (p50 18-20 ms either way; 80 calls in-process, 2 cores).
        gc.collect()
        gc.freeze()
        # anyio's limiter of this process's event loop, which every sync route (and file response) waits on
        anyio.to_thread.current_default_thread_limiter().total_tokens = read_threads
        try:
            yield
        finally:
            gc.unfreeze()
            if owned:
                the_store.close()

    # docs_url/redoc_url off: their pages load scripts from a CDN; api/docs.py renders /docs offline.
    app = FastAPI(title="eventwire", version=_version, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Articles, entities, attributions and PLOVER events with evidence spans. "
                              "Errors share one shape: `{\"error\": {status, code, message, details}}`.")
    app.state.store = the_store
    app.state.token = token or None
    app.state.runner = runner
    # One POST ingests at a time per server process: the runner's step (a spaCy pipeline) is not documented as
    # thread-safe, and stories are assigned read-then-write (aggregate/online.py), so two copies posted at
    # once could both start a story.  `eventwire serve --workers N` runs N processes for parallel writes.
    app.state.ingest_lock = threading.Lock()
    # A POST analyses in a thread of its own limiter: waiting for the lock, or analysing for seconds, it
    # takes none of the few read threads (serve_threads).
    app.state.ingest_limiter = anyio.CapacityLimiter(1)
    # Values: the overview's few, and per entity (its values, API and page), article (the same three),
    # search and event list asked for.  Kept as encoded bodies: 1,000 values (200 people x entity API, entity
    # page, search page, events by actor, events by q) at 1M events grew a worker from 150 to 223 MB RSS (as
    # Python objects: 492 MB).  The load benchmark's mix asks for ~1,740 values, 102 MB, in one process:
    # 1,024 values dropped what it asked for again (2,032 computations instead of 1,736, ~20 % more CPU);
    # bounded by their bytes instead, 128 MB, as the processes' shared file is.
    app.state.store_cache = StoreCache(size=8192, max_bytes=128 << 20,
                                       shared=SharedValues(shared_cache) if shared_cache else None)
    install_error_handlers(app)
    # Outermost last: the security headers reach every response, the guard's refusals and CORS's included.
    app.add_middleware(WriteGuard, routes=app.router.routes, token=app.state.token,
                       max_body=int(settings.get("api_max_body") if max_body is None else max_body))
    if cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET"],
                           allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(SecurityHeaders)
    app.include_router(_router())
    add_docs(app)
    if web:
        from ..web import mount

        mount(app)
    return app


def _post(app: FastAPI, body: PostArticleIn) -> PostArticleOut:
    """POST /api/articles after its checks: read, analyse and store the article (in a thread)."""
    # imported here: the readers (trafilatura: +30 MiB RSS, ~1 s) only in a server that is written to
    from ..readers import read_record

    record = {"text": body.text, "html": body.html, "url": body.url, "title": body.title,
              "published": body.published}
    # "analyze()": a record source, so a post is a version of an earlier one by its url only (versions.py)
    item = read_record({k: v for k, v in record.items() if v is not None}, source="analyze()")
    if isinstance(item, Skip):
        raise ApiError(422, f"not an article: {item.reason}: {item.detail or 'not an article'}",
                       code="not_an_article")
    # The same ingest as `eventwire ingest` and `watch` (ingest.py): a text stored already is not analysed
    # again, a new text for a stored url supersedes it, and the article joins its story.
    outcomes: list[tuple[str, str]] = []
    skips: list[Skip] = []
    with app.state.ingest_lock:
        ingest_items([item], app.state.store, runner=_post_runner(app), tally=Tally(),
                     hooks=IngestHooks(skipped=skips.append,
                                       stored=lambda id_, outcome: outcomes.append((id_, outcome))))
    if not outcomes:
        skip = skips[0] if skips else Skip(item.source, "not-stored")
        raise ApiError(422, f"not an article: {skip.reason}: {skip.detail}", code="not_an_article")
    article_id, outcome = outcomes[0]
    with app.state.store.engine.connect() as conn:
        story_id = Q.article_story(conn, article_id)["story_id"]
    return PostArticleOut(id=article_id, outcome=outcome, href=f"/api/articles/{article_id}",
                          story_id=story_id)


def _post_runner(app: FastAPI) -> Runner:
    """The app's runner, the default one made on the first POST (importing the NLP only then)."""
    if app.state.runner is None:
        from ..pipeline import default_analyzer
        from ..runners.local import LocalRunner

        # the process-wide Analyzer (pipeline.py): one model in memory, shared with eventwire.analyze()
        app.state.runner = LocalRunner(step_factory=default_analyzer)
    runner: Runner = app.state.runner
    return runner


def get_conn(request: Request) -> Iterator[Connection]:
    store: SqlStore = request.app.state.store
    with store.engine.connect() as conn:
        yield conn


Conn = Annotated[Connection, Depends(get_conn)]


def _router() -> APIRouter:
    r = APIRouter(prefix="/api", responses=_ERRORS)

    @r.get("/health", tags=["meta"])
    def health(conn: Conn) -> dict[str, Any]:
        """Liveness and what the database holds."""
        return {"ok": True, "events": Q.has_table(conn, "events")}

    @r.get("/articles", response_model=ArticlePage, tags=["articles"])
    def list_articles(conn: Conn, q: Text = None, site: Text = None, language: Text = None,
                      status: Literal["analyzed", "skipped"] | None = None, date_from: Day = None,
                      date_to: Day = None, entity: EntityKey = None, limit: Limit = 50,
                      offset: Offset = 0) -> Any:
        """Articles, newest first; `q` searches title and text."""
        _check_key(entity)
        return Q.list_articles(conn, q=q, site=site, language=language, status=status, date_from=date_from,
                               date_to=date_to, entity=entity, limit=limit, offset=offset)

    @r.get("/articles/{article_id}", response_model=ArticleOut, tags=["articles"])
    def get_article(request: Request,
                    article_id: Annotated[str, Path(min_length=6, max_length=64)]) -> Any:
        """One article with its text and every span: entities, times, attributions, events."""
        store: SqlStore = request.app.state.store
        cache: StoreCache = request.app.state.store_cache
        # read and encoded once per store state, the read shared with the article page (api/article.py)
        with store.engine.connect() as conn:
            try:
                body = article_body(cache, conn, store, article_id)
            except Exception as e:
                if "matches several" in str(e):
                    raise ApiError(409, str(e)) from e
                raise
        if body is None:
            raise ApiError(404, f"no article {article_id}")
        return Response(body, media_type="application/json")

    @r.post("/articles", response_model=PostArticleOut, status_code=201, tags=["articles"],
            responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 413: {"model": ErrorOut}})
    async def post_article(request: Request, body: Annotated[PostArticleIn, Body()],
                           authorization: Annotated[str | None, Header()] = None) -> Any:
        """Analyse one article and store it.  Needs `Authorization: Bearer <token>`; bodies over the
        setting `api_max_body` get 413."""
        # WriteGuard checked all this before the body was read; checked again here so that the route is
        # safe on its own.
        expected: str | None = request.app.state.token
        if not expected:
            raise ApiError(403, "writing is disabled: start the server with a token (EVENTWIRE_API_TOKEN)",
                           code="writes_disabled")
        if not token_matches(bearer_token(authorization), expected):
            raise ApiError(401, "missing or wrong bearer token")
        if not (body.text or body.html):
            raise ApiError(422, "give text or html")
        # analysed in a thread of the POSTs' own limiter (create_app), not in a read thread
        return await anyio.to_thread.run_sync(_post, request.app, body,
                                              limiter=request.app.state.ingest_limiter)

    @r.get("/entities", response_model=EntityPage, tags=["entities"])
    def list_entities(conn: Conn, q: Text = None, type: Text = None, country: Text = None,
                      limit: Limit = 50, offset: Offset = 0) -> Any:
        """Entities across articles (one row per key), most articles first."""
        return Q.list_entities(conn, q=q, type=type, country=country, limit=limit, offset=offset)

    @r.get("/entities/{key:path}", response_model=EntityDetail, tags=["entities"])
    def get_entity(request: Request, conn: Conn, key: str, limit: Limit = 50) -> Any:
        """One entity: its articles, what it said (attributions), its events as actor and target."""
        _check_key(key)

        def compute() -> bytes | None:
            if limit <= LISTED:  # a prefix of what the entity page lists: computed once for both
                values = entity_values(cache, conn, key)
                if values is None:
                    return None
                found = {**values["summary"], "article_refs": values["refs"][:limit],
                         "attributions": values["quotes"][:limit],
                         "events_as_actor": values["as_actor"].items[:limit],
                         "events_as_target": values["as_target"].items[:limit], "network": values["network"]}
            else:
                summary = Q.entity_summary(conn, key)
                if summary is None:
                    return None
                found = {**summary, "article_refs": Q.entity_articles(conn, key, limit=limit),
                         "attributions": Q.entity_attributions(conn, key, limit=limit),
                         "events_as_actor": Q.list_events(conn, actor=key, limit=limit).items,
                         "events_as_target": Q.list_events(conn, target=key, limit=limit).items,
                         "network": Q.entity_network(conn, key)}
            # kept encoded (~100 KB for a person in ~3,400 articles; ~5x that as Python objects)
            return bytes(JSONResponse(EntityDetail.model_validate(found).model_dump(mode="json")).body)

        # ~100 ms for a name in ~3,000 articles at 1M events; kept until the store changes (api/cache.py)
        cache: StoreCache = request.app.state.store_cache
        found = cache.get(conn, ("entity", key, limit), compute)
        if found is None:
            raise ApiError(404, f"no entity {key}")
        return Response(found, media_type="application/json")

    @r.get("/attributions", response_model=AttributionPage, tags=["attributions"])
    def list_attributions(request: Request, conn: Conn, source_entity: EntityKey = None,
                          article_id: Text = None, kind: AttributionKind | None = None,
                          factuality: Factuality | None = None, anonymous: bool | None = None, q: Text = None,
                          date_from: Day = None, date_to: Day = None, limit: Limit = 50,
                          offset: Offset = 0) -> Any:
        """Who said what: filter by source entity, kind, factuality; `q` searches the source words."""
        _check_key(source_entity)
        # answered once per store state (api/cache.py), as the event lists are
        body = attributions_body(request.app.state.store_cache, conn, source_entity=source_entity,
                                 article_id=article_id, kind=_s(kind), factuality=_s(factuality),
                                 anonymous=anonymous, q=q, date_from=date_from, date_to=date_to, limit=limit,
                                 offset=offset)
        return Response(body, media_type="application/json")

    @r.get("/events", response_model=EventPage, tags=["events"])
    def list_events(request: Request, conn: Conn, type: Text = None, actor: EntityKey = None,
                    target: EntityKey = None, country: Country = None, actor_country: Country = None,
                    target_country: Country = None,
                    date_from: Day = None, date_to: Day = None, factuality: Factuality | None = None,
                    q: Text = None, article_id: Text = None,
                    sort: Literal["date", "-date", "type", "confidence", "-confidence"] = "-date",
                    limit: Limit = 50, offset: Offset = 0) -> Any:
        """PLOVER events; `country` is where it happened; `q` searches actor, target and place words."""
        _check_key(actor)
        _check_key(target)
        cache: StoreCache = request.app.state.store_cache
        body = events_body(cache, conn, type=type, actor=actor, target=target, country=country,
                           actor_country=actor_country, target_country=target_country, date_from=date_from,
                           date_to=date_to, factuality=_s(factuality), q=q, article_id=article_id, sort=sort,
                           limit=limit, offset=offset)
        return Response(body, media_type="application/json")

    @r.get("/stories", response_model=StoryPage, tags=["stories"])
    def list_stories(conn: Conn, q: Text = None, date_from: Day = None, date_to: Day = None,
                     min_articles: Annotated[int, Query(ge=1, le=1_000_000)] = 1, limit: Limit = 50,
                     offset: Offset = 0) -> Any:
        """Stories (articles reporting the same real-world story), most recently published first."""
        return Q.list_stories(conn, q=q, date_from=date_from, date_to=date_to, min_articles=min_articles,
                              limit=limit, offset=offset)

    @r.get("/stories/{story_id}", response_model=StoryDetail, tags=["stories"])
    def get_story(conn: Conn, story_id: Annotated[str, Path(min_length=1, max_length=64)]) -> Any:
        """One story: its articles (copies marked) and its incidents with corroboration and conflicts."""
        found = Q.story_detail(conn, story_id)
        if found is None:
            raise ApiError(404, f"no story {story_id}")
        return found

    @r.get("/incidents", response_model=IncidentPage, tags=["stories"])
    def list_incidents(conn: Conn, type: Text = None, country: Country = None, date_from: Day = None,
                       date_to: Day = None, story_id: Text = None,
                       min_sources: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
                       conflicts: bool | None = None, actor: EntityKey = None, target: EntityKey = None,
                       limit: Limit = 50, offset: Offset = 0) -> Any:
        """Incidents (one per real happening across reports), most independent sources first; `actor` and
        `target` take an entity key, as for /api/events."""
        return Q.list_incidents(conn, type=type, country=country, date_from=date_from, date_to=date_to,
                                story_id=story_id, min_sources=min_sources, conflicts=conflicts, actor=actor,
                                target=target, limit=limit, offset=offset)

    @r.get("/timeline", response_model=TimelineOut, tags=["events"])
    def timeline(request: Request, conn: Conn, of: Literal["events", "attributions", "articles"] = "events",
                 type: Text = None, actor: EntityKey = None, country: Country = None, date_from: Day = None,
                 date_to: Day = None) -> Any:
        """Counts by day × type: events (by PLOVER type), attributions (by kind) or articles."""
        _check_key(actor)

        def compute() -> bytes:
            if of == "events":
                buckets = Q.timeline_events(conn, type=type, actor=actor, country=country,
                                            date_from=date_from, date_to=date_to)
            elif of == "attributions":
                buckets = Q.timeline_attributions(conn, source_entity=actor, kind=type, date_from=date_from,
                                                  date_to=date_to)
            else:
                buckets = Q.timeline_articles(conn, entity=actor, date_from=date_from, date_to=date_to)
            # Encoded as is (the shape is TimelineOut's, tested): a year of 16 types is ~5,000 buckets, and
            # validating and re-encoding them through pydantic cost as much as the query.
            return bytes(JSONResponse({"of": of, "buckets": buckets}).body)

        # An aggregate of the whole store (a country's year: ~12 ms CPU at 1M events), kept until it changes
        cache: StoreCache = request.app.state.store_cache
        body = cache.get(conn, ("timeline", of, type, actor, country, date_from, date_to), compute)
        return Response(body, media_type="application/json")

    return r
