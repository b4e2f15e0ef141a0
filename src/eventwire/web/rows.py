"""Table rows rendered in Python where a Jinja macro per cell cost more than the query behind them.

The entity page lists 200 events (100 as actor, 100 as target); through ``_macros.html``'s ``arg`` macro, two
calls per row, and the row's dozen attribute look-ups, its two event tables took ~8 of its ~30 ms CPU at 1M
events.  :func:`event_rows` writes the same bytes (``tests/web/test_rows.py`` renders both and compares
them): each value escaped as autoescape does, a missing one written as nothing, ``None`` as ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, pass_environment
from jinja2.filters import do_truncate
from markupsafe import Markup, escape

from .charts import colour_class

__all__ = ["event_arg", "event_rows", "key_url"]

_MISSING = object()


def key_url(key: str | None) -> str:
    return "/entities/" + quote(key or "", safe=":")


def _get(obj: Any, name: str) -> Any:
    """``obj.name`` as a template reads it from a row (a dict): absent -> :data:`_MISSING`."""
    if isinstance(obj, Mapping):
        return obj.get(name, _MISSING)
    return getattr(obj, name, _MISSING)


def _out(value: Any) -> str:
    """``{{ value }}``: escaped; a missing value is written as nothing (Jinja's Undefined)."""
    return "" if value is _MISSING else str(escape(value))


def _truthy(value: Any) -> bool:
    return value is not _MISSING and bool(value)


def event_arg(a: Any) -> Markup:
    """An event's actor or target: a link to its entity where it has a key, its country as a tag (the
    templates' ``arg``, a Jinja global)."""
    if not _truthy(a):
        return Markup('<span class="muted">—</span>')
    name = _get(a, "name")
    if not _truthy(name):
        span = _get(a, "span")
        # `a.name or (a.span.text if a.span else ...)`: nothing beside a link, a dash alone
        name = _get(span, "text") if _truthy(span) else "" if _truthy(_get(a, "key")) else "—"
    key = _get(a, "key")
    text = f'<a href="{_out(key_url(key))}">{_out(name)}</a>' if _truthy(key) else _out(name)
    country = _get(a, "country")
    if _truthy(country):
        text += f' <span class="tag">{_out(country)}</span>'
    return Markup(text)


@pass_environment
def event_rows(env: Environment, items: Sequence[Any], show_article: bool = True,
               order: Sequence[str] = ()) -> Markup:
    """The ``<tr>`` rows of ``_macros.html``'s event table (``order``: the PLOVER types, for colours)."""
    if not items:
        return Markup('\n<tr><td colspan="8" class="muted">No events match.</td></tr>\n')
    parts: list[str] = []
    for e in items:
        etype = _get(e, "type")
        date = _get(e, "date")
        value = _get(date, "value") if _truthy(date) else _MISSING
        when = "" if not _truthy(date) else _MISSING if value is _MISSING else env.filters["when"](value)
        mode = _get(e, "mode")
        place = _get(e, "place")
        trigger = _get(e, "trigger")
        parts.append(
            f'\n<tr data-type="{_out(etype)}">\n'
            f'  <td class="nowrap">{_out(when)}</td>\n'
            f'  <td class="nowrap"><span class="pill {_out(colour_class(etype, order))}">{_out(etype)}</span>'
            + (f' <span class="muted">{_out(mode)}</span>' if _truthy(mode) else "") + '</td>\n'
            f'  <td>{event_arg(_get(e, "actor"))}</td>\n'
            f'  <td><a href="/articles/{_out(_get(e, "article_id"))}#evt-{_out(_get(e, "id"))}">'
            f'{_out(_get(trigger, "text") if trigger is not _MISSING else _MISSING)}</a></td>\n'
            f'  <td>{event_arg(_get(e, "target"))}</td>\n'
            f'  <td class="nowrap">{_out(_get(place, "name")) if _truthy(place) else ""}'
            + (f' <span class="tag">{_out(_get(place, "country"))}</span>'
               if _truthy(place) and _truthy(_get(place, "country")) else "") + '</td>\n'
            f'  <td>{_out(_get(e, "factuality"))}</td>\n'
            '  ' + (f'<td class="art"><a href="/articles/{_out(_get(e, "article_id"))}">'
                    f'{_out(do_truncate(env, _label(e), 48))}</a></td>' if show_article else "")
            + '\n</tr>\n')
    return Markup("".join(parts))


def _label(e: Any) -> Any:
    for name in ("label", "title", "article_id"):
        value = _get(e, name)
        if _truthy(value):
            return value
    last = _get(e, "article_id")
    return "" if last is _MISSING else last
