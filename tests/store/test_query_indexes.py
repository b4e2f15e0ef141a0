"""Schemas 4 and 5: the read queries' indexes are created on new databases and added to a version-3 one."""

from __future__ import annotations

from sqlalchemy import inspect

from eventwire.store import SqlStore
from eventwire.store.migrations import MIGRATIONS, latest_version
from eventwire.store.tables import KEY_INDEXES, QUERY_INDEXES


def _names(store: SqlStore, table: str) -> set[str]:
    return {ix["name"] for ix in inspect(store.engine).get_indexes(table) if ix["name"]}


def _wanted(table: str) -> set[str]:
    return {str(ix.name) for ix in (*QUERY_INDEXES, *KEY_INDEXES)
            if ix.table is not None and ix.table.name == table}


def test_new_database_has_the_query_indexes(db_url: str) -> None:
    with SqlStore.from_url(db_url) as s:
        assert _wanted("events") <= _names(s, "events")
        assert _wanted("attributions") <= _names(s, "attributions")
        assert _wanted("entities") <= _names(s, "entities")


def test_migrations_4_and_5_add_them_to_a_version_3_database(db_url: str) -> None:
    with SqlStore.from_url(db_url, migrations=MIGRATIONS[:2]) as s:  # the code before schema 4
        assert s.schema_version() == 3
        with s.engine.begin() as conn:
            for ix in (*QUERY_INDEXES, *KEY_INDEXES):
                ix.drop(conn)
        assert not (_wanted("events") & _names(s, "events"))
    with SqlStore.from_url(db_url) as s:
        assert s.schema_version() == latest_version(MIGRATIONS) >= 5
        assert _wanted("events") <= _names(s, "events")
        assert _wanted("attributions") <= _names(s, "attributions")
        assert _wanted("entities") <= _names(s, "entities")
