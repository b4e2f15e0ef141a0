"""Routes of the web UI: overview, article, entity, search."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from sqlalchemy import Connection

from ..api.article import article_values
from ..api.cache import StoreCache
from ..api.convert import article_out
from ..api.entity import entity_values
from ..api.events import events_body
from ..model import AttributionKind
from ..nlp.events.plover import type_names
from ..store import SqlStore
from ..store import queries as Q
from .charts import PALETTE, colour, colour_class, network_svg, timeline_svg
from .highlight import segments
from .rows import event_arg, event_rows, key_url

__all__ = ["mount"]

HERE = Path(__file__).resolve().parent
PLOVER_ORDER = list(type_names())
KIND_ORDER = [str(k) for k in AttributionKind]
PAGE = 50
# The overview's "most covered" looks at the newest 500 articles (see queries.list_entities).
TOP_OF = 500
# The story page's "who said what" reads the attributions of its first 40 reports (10 each): a story of 500
# copies would otherwise list thousands of rows.
STORY_QUOTES_OF = 40
# Rows the search page lists of each kind (events: the first of the API's default page of 50).
SEARCH_LISTS = 20

Text = Annotated[str | None, Query(max_length=200)]
Day = Annotated[str | None, Query(pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$")]


def _json_for_script(data: Any) -> Markup:
    """JSON safe inside <script type="application/json">: no '</script>' or '<!--' can appear in it."""
    raw = json.dumps(data, ensure_ascii=False)
    return Markup(raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _safe_url(url: str | None) -> str | None:
    """Only http(s) links leave the page: a stored url of 'javascript:...' must not become clickable."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def _outlet(url: str | None) -> str:
    """The host of a URL without ``www.``: the outlet of an article with no site name."""
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.")


def _blank(v: str | None) -> str | None:
    return v if v else None


def _plural(n: int, word: str, many: str | None = None) -> str:
    """``1 article``, ``3 articles`` (``many``: an irregular plural)."""
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def _total(page: Q.Page) -> str:
    """A page's total as shown: ``1000+`` where a text search stopped counting (queries.SEARCH_TOTAL_CAP)."""
    return f"{page.total}+" if page.total_capped else str(page.total)


def _when(value: str | None) -> str:
    """An ISO timestamp as people read it: '2024-03-14T09:05:00+01:00' -> '2024-03-14 09:05 +01:00'."""
    m = re.match(r"^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$",
                 value or "")
    if not m:
        return value or ""
    day, hm, tz = m.groups()
    return " ".join(x for x in (day, hm, "UTC" if tz in ("Z", "+00:00") else tz) if x)


def _label_rows(conn: Connection, *row_lists: list[dict[str, Any]]) -> None:
    """Give each row a ``label`` for its article: the title, or the first words of an untitled article
    (a bare id told an analyst nothing; 1 of the 7 demo articles has no title)."""
    rows = [r for rows in row_lists for r in rows]
    leads = Q.article_leads(conn, [r["article_id"] for r in rows if not r.get("title")])
    for r in rows:
        r["label"] = r.get("title") or " ".join(leads.get(r["article_id"], "").split()) or r["article_id"]


def mount(app: FastAPI) -> None:
    """Add the UI routes and /static to ``app``."""
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(key_url=key_url, event_rows=event_rows, arg=event_arg, safe_url=_safe_url,
                                 colour=colour, colour_class=colour_class, plover=PLOVER_ORDER,
                                 kinds=KIND_ORDER, palette=PALETTE, plural=_plural)
    templates.env.filters["when"] = _when
    templates.env.filters["outlet"] = _outlet
    templates.env.filters["total"] = _total
    app.state.templates = templates  # its environment: tests render its macros
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def conn_of(request: Request) -> Connection:
        store: SqlStore = request.app.state.store
        return store.engine.connect()

    def page(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {"active": name.split(".")[0], **ctx},
                                          status_code=status)

    # The overview's store-wide values, its charts and each entity page's (at 1M events: the overview's
    # counts 63 ms, "most covered" 190 ms, the unfiltered timeline 140 + 22 ms (query + SVG), one type's
    # ~13 + 5; an entity named in ~3,000 articles ~130 ms), recomputed only when the store changes
    # (api/cache.py).
    cache: StoreCache = app.state.store_cache

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request, type: Text = None, country: Text = None, actor: Text = None,
                 q: Text = None, date_from: Day = None, date_to: Day = None,
                 offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> HTMLResponse:
        filters = {"type": _blank(type), "country": _blank(country), "actor": _blank(actor), "q": _blank(q),
                   "date_from": _blank(date_from), "date_to": _blank(date_to)}
        actor_key = filters["actor"]
        if actor_key is not None:
            try:
                Q.parse_entity_key(actor_key)
            except ValueError:
                actor_key = None  # a free-text actor filter is matched by q instead
                filters["q"] = filters["q"] or filters["actor"]
        # Every variant is a function of the store and its parameters (the incidents it lists included:
        # the write counter counts them, schema 14), kept as a whole page: one type's was ~14 ms CPU at 1M
        # events, asked for again and again with the six types of the load benchmark.
        with conn_of(request) as conn:
            html: bytes = cache.get(conn, ("overview", actor_key, *filters.values(), offset), lambda: bytes(
                overview_page(request, conn, filters, actor_key, offset).body))
        return HTMLResponse(html)

    def overview_page(request: Request, conn: Connection, filters: dict[str, str | None],
                      actor_key: str | None, offset: int) -> HTMLResponse:
        has_events = Q.has_table(conn, "events")
        counts = cache.get(conn, "counts", lambda: Q.overview_counts(conn))
        if has_events:
            # the chart counts what the event table lists: the same filters, the text one included
            def chart_of() -> Markup:
                buckets = Q.timeline_events(conn, type=filters["type"], actor=actor_key,
                                            country=filters["country"], date_from=filters["date_from"],
                                            date_to=filters["date_to"], q=filters["q"])
                return timeline_svg(buckets, order=PLOVER_ORDER, title="events per day by type")

            chart = cache.get(conn, ("chart", actor_key, *filters.values()), chart_of)
            events = Q.list_events(conn, type=filters["type"], actor=actor_key,
                                   country=filters["country"], date_from=filters["date_from"],
                                   date_to=filters["date_to"],
                                   q=filters["q"], limit=PAGE, offset=offset)
        else:
            events = Q.Page(0, PAGE, offset, [])
            buckets = Q.timeline_attributions(conn, date_from=filters["date_from"],
                                              date_to=filters["date_to"])
            chart = timeline_svg(buckets, order=KIND_ORDER, title="attributions per day by kind")
        arts = Q.list_articles(conn, q=filters["q"], date_from=filters["date_from"],
                               date_to=filters["date_to"], entity=actor_key, limit=PAGE,
                               offset=0 if has_events else offset)
        attrs = Q.list_attributions(conn, source_entity=actor_key, date_from=filters["date_from"],
                                    date_to=filters["date_to"], q=filters["q"], limit=20)
        top = cache.get(conn, "top", lambda: Q.list_entities(conn, recent=TOP_OF, limit=12))
        # not cached: incidents are rebuilt at the end of an ingest run, after the writes that move the
        # write counter the caches are keyed on
        incidents = Q.list_incidents(conn, type=filters["type"], country=filters["country"],
                                     date_from=filters["date_from"], date_to=filters["date_to"], limit=6)
        _label_rows(conn, events.items, attrs.items)
        qs = {k: v for k, v in filters.items() if v}
        listed = events if has_events else arts
        # a capped total is a lower bound: a full page may have more after it
        more = offset + PAGE < listed.total or (listed.total_capped and len(listed.items) == PAGE)
        return page(request, "overview.html", has_events=has_events, chart=chart, events=events,
                    incidents=incidents,
                    articles=arts, attributions=attrs, top=top, filters=filters, counts=counts,
                    next_url=("/?" + urlencode({**qs, "offset": offset + PAGE})) if more else None,
                    prev_url=("/?" + urlencode({**qs, "offset": max(offset - PAGE, 0)})) if offset else None)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_view(request: Request, article_id: str) -> HTMLResponse:
        store: SqlStore = request.app.state.store

        def render() -> bytes | None:
            # the article as read for GET /api/articles/{id} too (api/article.py)
            values = article_values(cache, conn, store, article_id)
            if values is None:
                return None
            article, placed = values
            data = article_out(article).model_dump()
            data["entities"] = [{**e, "url": key_url(e["key"])} for e in data["entities"]]
            return bytes(page(request, "article.html", article=article, segs=segments(article), data=data,
                              data_json=_json_for_script(data), placed=placed).body)

        body = None
        if 6 <= len(article_id) <= 64:
            # kept as the page itself (~6 ms CPU to read and render at 1M events), as the entity page is
            with conn_of(request) as conn:
                body = cache.get(conn, ("article page", article_id), render)
        if body is None:
            return page(request, "missing.html", status=404, what=f"article {article_id}")
        return HTMLResponse(body)

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_view(request: Request,
                     offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> HTMLResponse:
        with conn_of(request) as conn:
            found = Q.list_stories(conn, limit=PAGE, offset=offset)
        more = offset + PAGE < found.total
        return page(request, "stories.html", stories=found,
                    next_url=f"/stories?offset={offset + PAGE}" if more else None,
                    prev_url=f"/stories?offset={max(offset - PAGE, 0)}" if offset else None)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_view(request: Request, story_id: str) -> HTMLResponse:
        with conn_of(request) as conn:
            story = Q.story_detail(conn, story_id) if len(story_id) <= 64 else None
            if story is None:
                return page(request, "missing.html", status=404, what=f"story {story_id}")
            refs = story["article_refs"]
            said: list[dict[str, Any]] = []
            for ref in refs[:STORY_QUOTES_OF]:
                said += Q.list_attributions(conn, article_id=ref["id"], limit=10).items
            _label_rows(conn, said)
        # reports over time, one colour per outlet: who ran the story when
        buckets = [{"day": (r["published"] or "")[:10], "type": r["site"] or _outlet(r["url"]) or "?",
                    "count": 1} for r in refs if r["published"]]
        outlets = sorted({str(b["type"]) for b in buckets})
        chart = timeline_svg(buckets, order=outlets, title="reports per day by outlet")
        titles = {r["id"]: r["title"] or r["id"] for r in refs}
        return page(request, "story.html", story=story, chart=chart, said=said, titles=titles)

    @app.get("/entities/{key:path}", response_class=HTMLResponse, include_in_schema=False)
    def entity_view(request: Request, key: str) -> HTMLResponse:
        try:
            Q.parse_entity_key(key)
        except ValueError:
            return page(request, "missing.html", status=404, what=f"entity {key}")

        def render() -> bytes | None:
            ctx = _entity_page(conn, key)
            return None if ctx is None else bytes(page(request, "entity.html", **ctx).body)

        # Kept as the page itself (no template reads the request): its context as Python objects was ~5x
        # the ~140 KB of HTML for a person in ~3,400 articles, and a hit skips the rendering.
        with conn_of(request) as conn:
            body = cache.get(conn, ("entity page", key), render)
        if body is None:
            return page(request, "missing.html", status=404, what=f"entity {key}")
        return HTMLResponse(body)

    def _entity_page(conn: Connection, key: str) -> dict[str, Any] | None:
        values = entity_values(cache, conn, key)  # shared with GET /api/entities/{key}
        if values is None:
            return None
        summary, network, as_actor, as_target = (values[k] for k in ("summary", "network", "as_actor",
                                                                      "as_target"))
        refs, quotes = values["refs"], values["quotes"]
        # per day, not per day and type: the chart stacks the two roles only (its bars from ~4x fewer rows)
        buckets = [{"day": b["day"], "type": f"as {role}", "count": b["count"]}
                   for role in ("actor", "target") for b in Q.entity_event_days(conn, key, role)]
        _label_rows(conn, as_actor.items, as_target.items, quotes, refs)
        chart = timeline_svg(buckets, order=["as actor", "as target"], title="events over time")
        net = network_svg(key, summary["name"], network)
        return {"entity": summary, "as_actor": as_actor, "as_target": as_target, "refs": refs,
                "quotes": quotes, "chart": chart, "network": net}

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search(request: Request, q: Text = None) -> HTMLResponse:
        q = (q or "").strip() or None
        results: dict[str, Any] = {}
        if q:
            with conn_of(request) as conn:
                # ~75 ms CPU for a full name at 1M events (four indexed searches, each sorted and counted):
                # answered once per store state (api/cache.py)
                body = cache.get(conn, ("search page", q), lambda: bytes(
                    page(request, "search.html", q=q, results=_search(conn, str(q))).body))
            return HTMLResponse(body)
        return page(request, "search.html", q="", results=results)

    def _search(conn: Connection, q: str) -> dict[str, Any]:
        # the events: the first of GET /api/events?q=..., computed once for both (api/events.py)
        found = json.loads(events_body(cache, conn, q=q))
        events = Q.Page(found["total"], SEARCH_LISTS, 0, found["items"][:SEARCH_LISTS], found["total_capped"])
        results = {"entities": Q.list_entities(conn, q=q, limit=SEARCH_LISTS, mentions=False),
                   "articles": Q.list_articles(conn, q=q, limit=SEARCH_LISTS),
                   "attributions": Q.list_attributions(conn, q=q, limit=SEARCH_LISTS),
                   "events": events}
        _label_rows(conn, results["events"].items, results["attributions"].items)
        return results
