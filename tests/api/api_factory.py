"""Invented articles for the API, web and export tests: entities, attributions, events; spans by construction.

Names, places and events are made up (country codes are real ISO 3166-1 alpha-3 so filters have meaning).
"""

from __future__ import annotations

from typing import Any

from eventwire.model import (
    Article,
    Attribution,
    AttributionKind,
    CharSpan,
    Entity,
    Event,
    EventArg,
    EventDate,
    EventPlace,
    Factuality,
    Mention,
    Sentence,
    TimeExpr,
    content_hash,
)

TOKEN = "s3cret-token-for-tests"  # the API tests' write token
XSS_TITLE = '<script>window.__pwned = "title"</script>Harbour <b>row</b>'
XSS_BODY = ('Mayor <img src=x onerror="window.__pwned=1"> Ilse Varga said the '
            '<script>window.__pwned=2</script> plan "is dead" and </textarea><svg onload="window.__pwned=3"> '
            'protesters marched in Qorvath.')

# Entity names are words of the (untrusted) text, so they can be markup too: they reach the event tables, the
# entity page's heading, its who-acts-on-whom SVG and its timeline legend.
HOSTILE_ACTOR = '<img src=x onerror="window.__pwned=4">'
HOSTILE_TARGET = '"><svg onload="window.__pwned=6">'


class _Text:
    def __init__(self) -> None:
        self.text = ""
        self.marks: dict[str, CharSpan] = {}

    def add(self, s: str, name: str | None = None) -> None:
        start = len(self.text)
        self.text += s
        if name:
            self.marks[name] = CharSpan(start, len(self.text), s)


def make_article(n: int, *, published: str | None = None, actor: str = "Ana Ortiz", place: str = "Velmora",
                 country: str = "PRT", event_type: str = "PROTEST", title: str | None = None,
                 body: str | None = None) -> Article:
    """Article ``n``: a minister speaks (two attributions), protesters march and police arrest them."""
    t = _Text()
    if body is not None:
        return _raw(n, body, title=title, published=published)
    t.add(f"Report {n}. Minister ")
    t.add(actor, "actor1")
    t.add(" ")
    t.add("said", "cue1")
    t.add(" ")
    t.add("on Monday", "when")
    t.add(" that ")
    t.add(f"the port of {place} would reopen", "content1")
    t.add(". \"")
    t.add("We will not back down", "content2")
    t.add(",\" ")
    t.add(actor.split()[-1], "actor2")
    t.add(" ")
    t.add("told", "cue2")
    t.add(" reporters.")
    s1_end = len(t.text)
    t.add(" ")
    t.add("Protesters", "prot")
    t.add(" ")
    t.add("marched", "trig1")
    t.add(" in ")
    t.add(place, "place")
    t.add(" and ")
    t.add("police", "police")
    t.add(" ")
    t.add("detained", "trig2")
    t.add(" ")
    t.add("dozens", "dozens")
    t.add(".")
    m = t.marks
    text = t.text
    ents = (
        Entity("E1", "PERSON", actor, (Mention(m["actor1"]), Mention(m["actor2"])), country=None),
        Entity("E2", "GPE", place, (Mention(m["place"]),), country=country, kb_id=f"test:{place}"),
        Entity("E3", "NORP", "Protesters", (Mention(m["prot"], sentence=1),), country=country),
        Entity("E4", "ORG", "police", (Mention(m["police"], sentence=1),), country=country),
    )
    day = published[:10] if published else None
    events = (
        Event("V1", event_type, m["trig1"], actor=EventArg(m["prot"], "E3", "Protesters", country, "CVL"),
              date=EventDate(day, "day", "published") if day else None,
              place=EventPlace(m["place"], place, "place", country=country, lat=38.7, lon=-9.1),
              factuality=Factuality.ASSERTED, sentence=1),
        Event("V2", "COERCE", m["trig2"], mode="arrest",
              actor=EventArg(m["police"], "E4", "police", country, "GOV"),
              target=EventArg(m["prot"], "E3", "Protesters", country, "CVL"),
              date=EventDate(day, "day", "published") if day else None, sentence=1),
        Event("V3", "SUPPORT", m["cue2"], actor=EventArg(m["actor2"], "E1", actor, None, "GOV"),
              target=EventArg(m["place"], "E2", place, country), factuality=Factuality.REPORTED,
              date=EventDate(day, "day", "published") if day else None),
    )
    attrs = (
        Attribution("A1", AttributionKind.INDIRECT, (m["content1"],), source=m["actor1"], cue=m["cue1"],
                    source_entity="E1", factuality=Factuality.REPORTED),
        Attribution("A2", AttributionKind.DIRECT, (m["content2"],), source=m["actor2"], cue=m["cue2"],
                    source_entity="E1", factuality=Factuality.ASSERTED),
    )
    h = content_hash(text)
    return Article(
        id=h[:16], content_hash=h, text=text, source=f"invented/{n}.txt", title=title or f"Port report {n}",
        url=f"https://news.invalid/{n}", site="news.invalid", published=published, language="en",
        sentences=(Sentence(CharSpan.of(text, 0, s1_end)),
                   Sentence(CharSpan.of(text, s1_end + 1, len(text)))),
        entities=ents, times=(TimeExpr("T1", m["when"], "DATE", day or "XXXX-XX-XX", "day"),),
        attributions=attrs, events=events)


def _raw(n: int, body: str, *, title: str | None, published: str | None) -> Article:
    """An article whose text is ``body`` as given, with an entity and an attribution found by str.find."""
    h = content_hash(body)
    name = "Ilse Varga"
    i = body.find(name)
    j = body.find("said")
    q = body.find("is dead")
    ents = (Entity("E1", "PERSON", name, (Mention(CharSpan.of(body, i, i + len(name))),)),) if i >= 0 else ()
    attrs: tuple[Attribution, ...] = ()
    if i >= 0 and j >= 0 and q >= 0:
        attrs = (Attribution("A1", AttributionKind.MIXED, (CharSpan.of(body, q, q + 7),),
                             source=CharSpan.of(body, i, i + len(name)), cue=CharSpan.of(body, j, j + 4),
                             source_entity="E1"),)
    return Article(id=h[:16], content_hash=h, text=body, source=f"invented/{n}.txt", title=title,
                   url="javascript:window.__pwned=9", published=published, language="en",
                   entities=ents, attributions=attrs)


def hostile_event_article(n: int, *, published: str) -> Article:
    """An article whose event's actor and target are named by markup: ``HOSTILE_ACTOR attacked HOSTILE_TARGET
    in Qorvath``, with a quote of the actor's."""
    t = _Text()
    t.add(f"Report {n}. ")
    t.add(HOSTILE_ACTOR, "actor")
    t.add(" ")
    t.add("attacked", "trig")
    t.add(" ")
    t.add(HOSTILE_TARGET, "target")
    t.add(" in ")
    t.add("Qorvath", "place")
    t.add(". ")
    t.add(HOSTILE_ACTOR, "actor2")
    t.add(" ")
    t.add("said", "cue")
    t.add(" ")
    t.add("</script><script>window.__pwned=7</script>", "content")
    t.add(".")
    m = t.marks
    day = published[:10]
    ents = (Entity("E1", "PERSON", HOSTILE_ACTOR, (Mention(m["actor"]), Mention(m["actor2"]))),
            Entity("E2", "PERSON", HOSTILE_TARGET, (Mention(m["target"]),)),
            Entity("E3", "GPE", "Qorvath", (Mention(m["place"]),), country="TUR", kb_id="test:Qorvath"))
    events = (Event("V1", "ASSAULT", m["trig"], actor=EventArg(m["actor"], "E1", HOSTILE_ACTOR),
                    target=EventArg(m["target"], "E2", HOSTILE_TARGET),
                    date=EventDate(day, "day", "published"),
                    place=EventPlace(m["place"], "Qorvath", "place", country="TUR")),)
    attrs = (Attribution("A1", AttributionKind.INDIRECT, (m["content"],), source=m["actor2"], cue=m["cue"],
                         source_entity="E1"),)
    h = content_hash(t.text)
    return Article(id=h[:16], content_hash=h, text=t.text, source=f"invented/{n}.txt", title=f"Report {n}",
                   published=published, language="en", entities=ents, attributions=attrs, events=events)


def dumps_spans(a: dict[str, Any]) -> list[tuple[int, int, str]]:
    """Every (start, end, text) of an /api/articles/{id} response."""
    out: list[tuple[int, int, str]] = []
    for e in a["entities"]:
        out += [(m["start"], m["end"], m["text"]) for m in e["mentions"]]
    for x in a["attributions"]:
        for s in [x["source"], x["cue"], *x["content"]]:
            if s:
                out.append((s["start"], s["end"], s["text"]))
    for v in a["events"]:
        out.append((v["trigger"]["start"], v["trigger"]["end"], v["trigger"]["text"]))
    return out
