"""web/rows.py writes the event table's rows in Python: the same bytes as the Jinja macros it replaced."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment

from eventwire.api import create_app
from eventwire.store import queries as Q
from eventwire.web.rows import event_arg

# _macros.html's `arg` and `event_table` before web/rows.py, verbatim: the reference the rows are held to.
OLD_MACROS = """{% macro arg(a) -%}
{%- if a -%}
  {%- if a.key -%}<a href="{{ key_url(a.key) }}">{{ a.name or (a.span.text if a.span else '') }}</a>
  {%- else -%}{{ a.name or (a.span.text if a.span else '—') }}{%- endif -%}
  {%- if a.country %} <span class="tag">{{ a.country }}</span>{% endif -%}
{%- else -%}<span class="muted">—</span>{%- endif -%}
{%- endmacro %}

{% macro event_table(page, show_article=True) %}
<table class="data events">
<thead><tr><th>date</th><th>type</th><th>actor</th><th>trigger</th><th>target</th><th>place</th><th>factuality</th>{% if show_article %}<th>article</th>{% endif %}</tr></thead>
<tbody>
{% for e in page.items %}
<tr data-type="{{ e.type }}">
  <td class="nowrap">{{ e.date.value|when if e.date else '' }}</td>
  <td class="nowrap"><span class="pill {{ colour_class(e.type, plover) }}">{{ e.type }}</span>{% if e.mode %} <span class="muted">{{ e.mode }}</span>{% endif %}</td>
  <td>{{ arg(e.actor) }}</td>
  <td><a href="/articles/{{ e.article_id }}#evt-{{ e.id }}">{{ e.trigger.text }}</a></td>
  <td>{{ arg(e.target) }}</td>
  <td class="nowrap">{{ e.place.name if e.place else '' }}{% if e.place and e.place.country %} <span class="tag">{{ e.place.country }}</span>{% endif %}</td>
  <td>{{ e.factuality }}</td>
  {% if show_article %}<td class="art"><a href="/articles/{{ e.article_id }}">{{ (e.label or e.title or e.article_id)|truncate(48) }}</a></td>{% endif %}
</tr>
{% else %}
<tr><td colspan="8" class="muted">No events match.</td></tr>
{% endfor %}
</tbody>
</table>
{% endmacro %}
"""  # noqa: E501 (the macros' own lines)

HOSTILE = '<script>alert("x")</script> & \'q\''

ARGS: list[Any] = [
    None,
    {},
    {"name": "Ana Ortiz", "key": "name:PERSON:Ana Ortiz", "country": "PRT", "span": {"text": "Ortiz"}},
    {"name": HOSTILE, "key": f"name:PERSON:{HOSTILE}", "country": None},
    {"name": None, "key": "kb:Q1", "span": {"text": "the minister"}},
    {"name": "", "key": "kb:Q2", "span": None},
    {"name": None, "key": None, "span": None, "country": "DEU"},
    {"name": None, "key": None, "span": {"text": HOSTILE}},
    {"name": None, "key": None, "span": {"text": None}},
    {"name": None, "key": "kb:Q3", "span": {}},
    {"name": "Ostrand police", "key": None, "country": "DEU"},
]


def _event(i: int) -> dict[str, Any]:
    """Event rows as queries.list_events gives them, each field varied over the cases a template meets."""
    e: dict[str, Any] = {
        "article_id": f"a{i:04d}" if i % 7 else HOSTILE, "id": f"e{i}",
        "type": ("PROTEST", "ASSAULT", "CONSULT", "NEWTYPE", HOSTILE)[i % 5],
        "mode": ("", None, "threaten", HOSTILE)[i % 4],
        "actor": ARGS[i % len(ARGS)], "target": ARGS[(i * 3 + 1) % len(ARGS)],
        "trigger": ({"text": "marched"}, {"text": HOSTILE}, None, {})[i % 4],
        "date": ({"value": "2024-03-14T09:05:00+01:00"}, None, {"value": "2024-03-11/P1W"},
                 {"value": "2024-03-14"}, {"value": None}, {})[i % 6],
        "place": ({"name": "Velmora", "country": "PRT"}, None, {"name": HOSTILE, "country": None},
                  {"name": None, "country": "DEU"}, {})[i % 5],
        "factuality": ("asserted", None, "reported")[i % 3],
        "title": ("A title long enough to be cut short at forty-eight characters", None, "", HOSTILE)[i % 4],
    }
    if i % 3 == 0:
        e["label"] = ("Short label", "", "A label long enough to be cut at forty-eight chars")[i % 9 // 3]
    if i % 11 == 5:
        del e["mode"], e["factuality"]
    return e


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Environment:
    db: Path = tmp_path_factory.mktemp("rows") / "rows.db"
    app = create_app(f"sqlite:///{db}")
    templates_env: Environment = app.state.templates.env
    return templates_env


@pytest.mark.parametrize("show_article", [True, False])
def test_event_rows_are_the_old_macro_s_bytes(env: Environment, show_article: bool) -> None:
    old: Any = env.from_string(OLD_MACROS).module
    new: Any = env.get_template("_macros.html").module
    for items in ([], [_event(0)], [_event(i) for i in range(60)]):
        page = Q.Page(len(items), 100, 0, items)  # as queries.list_events gives it
        want = str(old.event_table(page, show_article))
        assert str(new.event_table(page, show_article)) == want
        if items:
            assert "No events match." not in want and want.count("<tr data-type") == len(items)


def test_event_arg_is_the_old_macro_s_bytes(env: Environment) -> None:
    old: Any = env.from_string(OLD_MACROS).module
    for a in ARGS:
        assert str(event_arg(a)) == str(old.arg(a))
    assert "&lt;script&gt;" in str(event_arg(ARGS[3])) and "<script>" not in str(event_arg(ARGS[3]))
