"""Where an event happened: a place phrase of the event's clause, geocoded offline.

Only a place the clause attaches to the event counts ("attacked boats off Venezuela", "protests in Lyon");
an actor's nationality is never taken as the event's place (GDELT's country-centroid failure).  Precision
in the spirit of UCDP's ``where_prec``: ``place`` (a city with coordinates), ``admin1`` (a US state),
``country``, ``water`` ("off X", "in the waters of X") and ``airspace`` ("the airspace over X").
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc, Token

from eventwire.model import CharSpan, Entity, EventPlace
from eventwire.nlp.docindex import EntityLookup, doc_text
from eventwire.nlp.entities import gazetteer as gz
from eventwire.nlp.events.roles import clause_head, entity_at

__all__ = ["dateline_city", "place_of", "place_of_entity"]

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_LOCATIVE = frozenset(
    {
        "in",
        "at",
        "near",
        "off",
        "over",
        "outside",
        "inside",
        "across",
        "along",
        "into",
        "around",
        "throughout",
        "within",
        "on",
    }
)
_WATER_PREPS = frozenset({"off"})
_AIR_WORDS = frozenset({"airspace", "skies"})


def _geocode(name: str, head: Token, index: EntityLookup) -> EventPlace | None:
    link = index.covering(head)
    entity = link.entity if link is not None else None
    # the countries the rest of the article names: a place's own country, as the entities layer read it,
    # would vouch for itself ("Ontario" linked to the Californian city in a report on Canada)
    countries = frozenset(e.country for e in index.source if e.country and e is not entity)
    found = _lookup(entity.name if entity is not None else name, entity, countries)
    if found is not None:
        return found
    if entity is not None and entity.type in _PLACE_LABELS:
        # a place the entities layer kept (not one it read as no name: "[Super] Tuesday", "14:30 [UTC]")
        return _unplaced(name, entity, countries)
    return None


def place_of_entity(entity: Entity, span: CharSpan, countries: frozenset[str]) -> EventPlace | None:
    """A place entity's mention (a dateline's "LIRRA") geocoded as an event place (precision "unknown", with
    the entity's name and country, when the gazetteer does not know it, as for a clause's place);
    ``countries``: those the article is about (an alternate name counts there)."""
    found = _lookup(entity.name, entity, countries) or _unplaced(entity.name, entity, countries)
    return replace(found, span=span)


def _region(lookup: str, countries: frozenset[str]) -> EventPlace | None:
    """A region named for its capital or main town, placed in that town's country ("Kunduz province":
    Afghanistan), at the precision of a state or province; None where the town is unknown or in none of the
    article's countries."""
    words = lookup.split()
    if len(words) < 2 or words[-1].lower() not in gz.REGION_WORDS:
        return None
    town = gz.place_for(" ".join(words[:-1]), countries=countries)
    if town is None or town.country is None or (countries and town.country not in countries):
        return None
    return EventPlace(span=None, name=lookup, precision="admin1", country=town.country, admin1=lookup)


def _subdivision(lookup: str, sub: gz.Subdivision) -> EventPlace:
    """A subdivision as an event place, under its name as written where that is the list's without
    diacritics or with "province" after it ("Nangarhar province" for the ISO name), else the list's."""
    words = lookup.split()
    head = " ".join(words[:-1]) if len(words) > 1 else lookup
    name = next((n for n in (lookup, head) if gz.fold(n) == gz.fold(sub.name)), sub.name)
    return EventPlace(span=None, name=name, precision="admin1", country=sub.country, admin1=name,
                      kb_id=f"iso3166-2:{sub.code}" if sub.code else None)


def _lookup(lookup: str, entity: Entity | None, countries: frozenset[str]) -> EventPlace | None:
    # a country name first: "Venezuela" is a country before it is the small Cuban town of that name
    country = gz.country_for(lookup)
    if country is None and entity is not None and entity.kb_id and entity.kb_id.startswith("iso3166:"):
        country = gz.country_by_code(entity.kb_id.split(":", 1)[1])
    if country is not None:
        return EventPlace(span=None, name=country.name, precision="country", country=country.alpha3,
                          kb_id=f"iso3166:{country.alpha3}")
    # a name known only as another name of a city counts where the article is about that city's country
    place = gz.locate(lookup, countries)
    if isinstance(place, gz.Subdivision):
        return _subdivision(lookup, place)
    if place is not None:
        return _of_place(place, None)
    found = _region(lookup, countries)
    if found is not None:
        return found
    words = lookup.split()
    if len(words) > 1 and words[0].lower().replace("-", "") in gz.COMPASS_WORDS:
        # a part of a country or region is somewhere inside it, at its precision
        inner = _lookup(" ".join(words[1:]), None, countries)
        if inner is not None and inner.precision in ("country", "admin1"):
            return replace(inner, name=lookup)
    return None


def _unplaced(name: str, entity: Entity | None, countries: frozenset[str]) -> EventPlace:
    """A place the gazetteer cannot pin down, with the country it lies in where that much is known: the
    entity's, or the one country every place of that name (in the article's countries, if any) lies in
    ("Washington": the state or the capital)."""
    country = entity.country if entity is not None else None
    if country is None:
        country = gz.sole_country(name, countries) or gz.sole_country(name)
    return EventPlace(span=None, name=name, precision="unknown", country=country)


def _of_place(place: gz.Place, span: CharSpan | None) -> EventPlace:
    city = place.kind == "city"
    return EventPlace(span=span, name=place.name, precision="place" if city else "admin1",
                      country=place.country, admin1=None if city else place.name,
                      lat=place.lat if city else None, lon=place.lon if city else None,
                      kb_id=f"geonames:{place.geonames_id}")


# a dateline's city, and the state the agencies abbreviate after it: "CONCORD, N.H. --", "Pittsburgh, Pa."
_DATELINE_CITY = re.compile(r"\s*([A-Z][A-Za-z'’-]*(?:[ .]+[A-Z][A-Za-z'’-]*){0,3})")
_DATELINE_STATE = re.compile(r"\s*,\s*((?:[A-Z][a-z]{0,4}\.\s?){1,2}|[A-Z][a-z]+(?: [A-Z][a-z]+)?\b)")


def _state(words: str) -> gz.Place | None:
    """The US state a dateline names after its city: abbreviated ("N.H.") or by name ("OSCEOLA, Iowa")."""
    state = gz.us_state(words)
    if state is None and not words.endswith("."):
        named = gz.place_for(words)
        state = named if named is not None and named.kind == "admin1" else None
    return state


def dateline_city(lead: str, start: int) -> EventPlace | None:
    """The city (else the US state) a dateline names, ``lead`` being the dateline's words and ``start`` where
    they begin in the text.  A dateline names a city: "WASHINGTON (AP) --" is the capital, never the state,
    and "CHARLESTON, W.Va." the one in West Virginia; a city the gazetteer cannot tell apart after its state
    ("RYE, N.H.") gives the state.  None where it names neither (a caption label, an outlet)."""
    found = _DATELINE_CITY.match(lead)
    if found is None:
        return None
    name = found.group(1).rstrip(" .")
    state_at = _DATELINE_STATE.match(lead, found.end())
    state = _state(state_at.group(1).strip()) if state_at is not None else None
    at = start + found.start(1)
    city = gz.city_for(name, state=state.admin1 if state is not None else None)
    if city is not None:
        return _of_place(city, CharSpan(at, at + len(name), name))
    if state is not None and state_at is not None:
        abbreviation = state_at.group(1).strip()
        s0 = start + state_at.start(1)
        return _of_place(state, CharSpan(s0, s0 + len(abbreviation), abbreviation))
    return None


def _with_span(
    place: EventPlace, text: str, start: int, end: int, precision: str | None = None
) -> EventPlace:
    return EventPlace(
        span=CharSpan.of(text, start, end),
        name=place.name,
        precision=precision or place.precision,
        country=place.country,
        admin1=place.admin1,
        lat=None if precision in ("water", "airspace") else place.lat,
        lon=None if precision in ("water", "airspace") else place.lon,
        kb_id=place.kb_id,
    )


def _name_head(tok: Token) -> Token | None:
    """The place name inside a prepositional object: "Venezuela" itself, or "the coast of [Venezuela]"."""
    if tok.ent_type_ in _PLACE_LABELS:
        return tok
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("of", "over"):
            for g in c.children:
                if g.dep_ == "pobj" and g.ent_type_ in _PLACE_LABELS:
                    return g
        if c.dep_ in ("poss", "compound", "amod") and c.ent_type_ in _PLACE_LABELS:
            return c
    return None


def _part_word(doc: Doc, lo: int, hi: int) -> Token | None:
    """The compass word before a place's name that says which part of it ("[southern] Mali", "[north-east]
    Kestria"), where the parser makes it the name's modifier."""
    if lo == 0:
        return None
    word = doc[lo - 1]
    part = word.lower_.replace("-", "") in gz.COMPASS_WORDS and word.dep_ in ("amod", "compound")
    return word if part and lo <= word.head.i < hi else None


def place_of(trigger: Token, index: EntityLookup) -> EventPlace | None:
    """The event's place from locative phrases on the trigger, its clause verb or the trigger's objects."""
    text = doc_text(trigger.doc)
    heads = [trigger]
    verb = clause_head(trigger)
    if verb.i != trigger.i:
        heads.append(verb)
    heads += [c for h in list(heads) for c in h.children if c.dep_ in ("dobj", "nsubjpass", "pobj")]
    # one level further: "marched [to the embassy] in Lirra", "attacks [on boats] off Venezuela"
    heads += [
        g
        for h in list(heads)
        for c in h.children
        if c.dep_ == "prep"
        for g in c.children
        if g.dep_ == "pobj" and g not in heads
    ]
    for h in heads:
        for prep in h.children:
            if prep.dep_ != "prep" or prep.lower_ not in _LOCATIVE:
                continue
            for obj in prep.children:
                if obj.dep_ != "pobj":
                    continue
                name_tok = _name_head(obj)
                if name_tok is None:
                    continue
                ent = entity_at(name_tok)
                lo, hi = (ent[0], ent[1]) if ent is not None else (name_tok.i, name_tok.i + 1)
                span = name_tok.doc[lo:hi]
                found = _geocode(span.text, name_tok, index)
                if found is None:
                    continue
                words = {t.lower_ for t in obj.subtree}
                precision = None
                if prep.lower_ in _WATER_PREPS or obj.lower_ in gz.WATER_WORDS or h.lower_ in gz.WATER_WORDS:
                    precision = "water"
                elif obj.lower_ in _AIR_WORDS or words & _AIR_WORDS or h.lower_ in _AIR_WORDS:
                    precision = "airspace"
                if precision is not None:
                    start = min(prep.idx, span.start_char)
                    return _with_span(found, text, start, span.end_char, precision)
                part = _part_word(name_tok.doc, lo, hi)
                if part is not None:
                    # "in [southern] Mali": somewhere in it, named so
                    found = replace(found, name=f"{part.text} {found.name}")
                    return _with_span(found, text, part.idx, span.end_char)
                return _with_span(found, text, span.start_char, span.end_char)
    # "closing the airspace over Venezuela": the object itself is the place
    for h in heads:
        if h.lower_ in _AIR_WORDS or h.lower_ in gz.WATER_WORDS:
            for prep in h.children:
                for obj in prep.children:
                    if obj.dep_ == "pobj" and obj.ent_type_ in _PLACE_LABELS:
                        found = _geocode(obj.text, obj, index)
                        if found is not None:
                            precision = "airspace" if h.lower_ in _AIR_WORDS else "water"
                            return _with_span(found, text, h.idx, obj.idx + len(obj.text), precision)
    return None
