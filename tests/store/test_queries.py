"""How the list queries of store/queries.py page: the same pages and totals, fewer statements."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event
from test_entity_counts import _fill

from eventwire.nlp.events.plover import type_names
from eventwire.store import SqlStore
from eventwire.store import queries as Q


def _pages(store: SqlStore) -> list[Any]:
    """Pages of every list query that counts apart from its page: first, middle, last, past the last."""
    out: list[Any] = []
    with store.engine.connect() as conn:
        keys = [e["key"] for e in Q.list_entities(conn, limit=500, mentions=False).items]
        for limit, offset in ((1, 0), (2, 1), (3, 0), (500, 0), (2, 30), (500, 500), (1, 10_000)):
            page = {"limit": limit, "offset": offset}
            out += [Q.list_articles(conn, **page), Q.list_articles(conn, entity=keys[0], **page),
                    Q.list_attributions(conn, **page), Q.list_incidents(conn, **page),
                    Q.list_stories(conn, **page), Q.list_events(conn, **page),
                    Q.list_events(conn, type=type_names()[1], **page)]
            out += [Q.list_events(conn, actor=k, **page) for k in keys]
            out += [Q.list_events(conn, target=k, **page) for k in keys]
            out += [Q.list_attributions(conn, source_entity=k, **page) for k in keys[:3]]
            out += [Q.list_entities(conn, type="PERSON", **page)]
    return out


def test_a_page_shorter_than_its_limit_is_its_own_total(store: SqlStore,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(store)
    got = _pages(store)
    with monkeypatch.context() as m:  # every total counted, as before
        m.setattr(Q, "_short_page_total", lambda *a: None)
        assert got == _pages(store)
    assert any(p.total > len(p.items) > 0 for p in got) and any(0 < len(p.items) < p.limit for p in got)
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    with store.engine.connect() as conn:
        key = max(Q.list_entities(conn, limit=500, mentions=False).items, key=lambda e: e["articles"])["key"]
        event.listen(store.engine, "before_cursor_execute", record)
        try:
            # a short page: no count
            assert 0 < len(Q.list_events(conn, actor=key, limit=500).items) < 500
            assert Q.list_attributions(conn, source_entity=key).total == 0
            assert not [s for s in seen if "count(*)" in s.lower()], seen
            # a full page: counted
            assert Q.list_events(conn, actor=key, limit=1).total > 1
            assert [s for s in seen if "count(*)" in s.lower()]
        finally:
            event.remove(store.engine, "before_cursor_execute", record)
