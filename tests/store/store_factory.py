"""Invented articles for the store tests, built with model.py's dataclasses (no pipeline, no spaCy).

``make_article(n)`` is deterministic in ``n``: the kill test's writer subprocess and the checking parent
build the same article from the same number.  Names, places and events are made up.
"""

from __future__ import annotations

import random

from eventwire.model import (
    AnalysisStatus,
    Article,
    CharSpan,
    Entity,
    Mention,
    MentionKind,
    Sentence,
    TimeExpr,
    content_hash,
)

PEOPLE = ["Ana Pérez", "Bo Lindqvist", "Chidi Okafor", "Dương Minh Châu", "Élodie Marchand", "Farid Haddad",
          "Grażyna Nowak", "Hiroshi Tanaka", "Ingrid Sæther", "José Ñúñez", "Kwame Mensah", "Lea Müller"]
PLACES = [("Lima", "PER"), ("Tromsø", "NOR"), ("Kraków", "POL"), ("Zürich", "CHE"), ("São Paulo", "BRA"),
          ("Accra", "GHA"), ("Đà Nẵng", "VNM")]
WHENS = [("on Monday", "DATE", "2024-03-04", "day"), ("last week", "DATE", "2024-W09", "week"),
         ("in March 2024", "DATE", "2024-03", "month"), ("for three months", "DURATION", "P3M", "duration"),
         ("every Friday", "SET", "XXXX-WXX-5", "set"), ("recently", "DATE", "PAST_REF", "vague")]
VERBS = ["met", "called", "criticised", "thanked", "visited"]


class _Builder:
    """Appends text and hands back the span of what was appended, so spans are right by construction."""

    def __init__(self) -> None:
        self.text = ""

    def add(self, s: str) -> tuple[int, int]:
        start = len(self.text)
        self.text += s
        return start, len(self.text)


def make_article(n: int, *, sentences: int = 8, skipped: bool = False) -> Article:
    """Invented article number ``n``: ``sentences`` sentences of people meeting in places, with times."""
    rng = random.Random(n)
    b = _Builder()
    sent_spans: list[tuple[int, int]] = []
    mentions: dict[str, list[tuple[int, int, MentionKind, int]]] = {}
    types: dict[str, tuple[str, str | None]] = {}
    time_rows: list[tuple[int, int, str, str, str, int]] = []

    b.add(f"Report {n} ✓ — ")
    for i in range(sentences):
        if i:
            b.add(" ")
        start = len(b.text)
        who, whom = rng.sample(PEOPLE, 2)
        place, country = rng.choice(PLACES)
        when = rng.choice(WHENS)
        s_who = b.add(who)
        b.add(f" {rng.choice(VERBS)} ")
        s_whom = b.add(whom)
        b.add(" in ")
        s_place = b.add(place)
        for name, span, etype, ctry in ((who, s_who, "PERSON", None), (whom, s_whom, "PERSON", None),
                                        (place, s_place, "GPE", country)):
            mentions.setdefault(name, []).append((*span, MentionKind.NAME, i))
            types[name] = (etype, ctry)
        b.add(" ")
        ts = b.add(when[0])
        time_rows.append((*ts, when[1], when[2], when[3], i))
        b.add(".")
        if rng.random() < 0.5:
            b.add(" ")
            ps = b.add("They")
            mentions[who].append((*ps, MentionKind.PRONOUN, i))
            b.add(" said the talks went well 🙂.")
        sent_spans.append((start, len(b.text)))

    text = b.text
    entities = tuple(
        Entity(id=f"E{k + 1}", type=types[name][0], name=name,
               mentions=tuple(Mention(CharSpan.of(text, s, e), kind, sent) for s, e, kind, sent in ms),
               country=types[name][1], kb_id=f"iso3166:{types[name][1]}" if types[name][1] else None)
        for k, (name, ms) in enumerate(mentions.items())
    )
    times = tuple(
        TimeExpr(id=f"T{k + 1}", span=CharSpan.of(text, s, e), type=ttype, value=value, precision=prec,
                 anchored=value[:1].isdigit(), sentence=sent)
        for k, (s, e, ttype, value, prec, sent) in enumerate(time_rows)
    )
    h = content_hash(text)
    month = rng.randint(1, 12)
    return Article(
        id=h[:16], content_hash=h, text=text, source=f"invented/{n}.txt", input_id=f"in-{n}",
        title=f"Invented report {n}", url=f"https://news.invalid/{n}", site="news.invalid",
        authors=("Staff Writer", "Zoë Ångström")[: 1 + n % 2],
        published=None if n % 5 == 0 else f"2024-{month:02d}-{rng.randint(1, 28):02d}T09:00:00+01:00",
        language="en", captions=(f"Caption {n} — café",) if n % 3 else (),
        metadata={"n": n, "tags": ["invented", "ü"], "nested": {"a": [1, 2.5, None, True]}},
        status=AnalysisStatus.SKIPPED if skipped else AnalysisStatus.ANALYZED,
        skip_reason="language" if skipped else None,
        sentences=() if skipped else tuple(Sentence(CharSpan.of(text, s, e)) for s, e in sent_spans),
        entities=() if skipped else entities,
        times=() if skipped else times,
    )
