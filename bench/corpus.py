"""A seeded generator of invented, news-like articles for the throughput benchmark.

Every article is built from templates and small word lists written for this file: invented people, real
country and city names, organisations, quotes with said/told/according to, relative and absolute dates,
numbers, and one topic (talks, protests, strikes, sanctions, troop movements, aid, ceasefires, elections).
Nothing here is taken from a third-party text.

Article ``i`` of seed ``s`` depends only on ``(s, i)``, so a 50-article corpus is the first 50 articles of a
500-article one.  Lengths are drawn from 600-900 words (``len(text.split())``), the band the benchmark
target is stated for.

    python bench/corpus.py --articles 500 --seed 7 -o bench/out/corpus.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["MAX_WORDS", "MIN_WORDS", "generate", "make_article", "write_jsonl"]

MIN_WORDS = 600
MAX_WORDS = 900
# Sentences are at most ~45 words, so aiming no higher than 850 leaves room for the last one under 900.
_TARGET_LOW, _TARGET_HIGH = 620, 850

# Split by the pronoun the templates use for them ("she said"); all invented combinations with LAST_NAMES.
FEMALE_NAMES = (
    "Amara", "Leila", "Ines", "Nadia", "Sofia", "Hana", "Elena", "Ayesha", "Marisol", "Greta", "Yuki",
    "Chiara", "Lucia", "Zeynep", "Mira", "Ilse", "Renata", "Priya", "Adaeze", "Olga",
)
MALE_NAMES = (
    "Tomasz", "Oskar", "Rafael", "Viktor", "Kwame", "Mateo", "Dmitri", "Jonas", "Farid", "Tariq", "Bruno",
    "Emeka", "Anders", "Pablo", "Samuel", "Karim", "Hugo", "Stefan", "Miguel", "Daniel",
)
FIRST_NAMES = FEMALE_NAMES + MALE_NAMES
LAST_NAMES = (
    "Okafor", "Lindqvist", "Haddad", "Moreau", "Kowalski", "Santos", "Petrenko", "Nakamura", "Brennan",
    "Mensah", "Castellanos", "Vogel", "Rahimi", "Delacroix", "Ivanova", "Achterberg", "Quispe", "Demir",
    "Ferreira", "Halvorsen", "Mbeki", "Rossetti", "Novak", "Aydin", "Valverde", "Ostrowski", "Karimi",
    "Lemaire", "Osei", "Bergström", "Tanaka", "Morales", "Dragomir", "Whitfield", "Sokolov", "Abara",
    "Esposito", "Varga", "Ncube", "Larsen",
)
# (country, demonym, cities): real places, so the NER and gazetteer see names they would see in news.
PLACES = (
    ("France", "French", ("Paris", "Lyon", "Marseille")),
    ("Germany", "German", ("Berlin", "Hamburg", "Munich")),
    ("Poland", "Polish", ("Warsaw", "Krakow", "Gdansk")),
    ("Ukraine", "Ukrainian", ("Kyiv", "Kharkiv", "Odesa")),
    ("Russia", "Russian", ("Moscow", "St Petersburg", "Kazan")),
    ("Turkey", "Turkish", ("Ankara", "Istanbul", "Izmir")),
    ("Egypt", "Egyptian", ("Cairo", "Alexandria")),
    ("Nigeria", "Nigerian", ("Abuja", "Lagos", "Kano")),
    ("Kenya", "Kenyan", ("Nairobi", "Mombasa")),
    ("Ethiopia", "Ethiopian", ("Addis Ababa", "Mekelle")),
    ("South Africa", "South African", ("Pretoria", "Johannesburg", "Cape Town")),
    ("Brazil", "Brazilian", ("Brasilia", "Sao Paulo", "Rio de Janeiro")),
    ("Argentina", "Argentine", ("Buenos Aires", "Cordoba")),
    ("Colombia", "Colombian", ("Bogota", "Medellin", "Cali")),
    ("Venezuela", "Venezuelan", ("Caracas", "Maracaibo")),
    ("Mexico", "Mexican", ("Mexico City", "Guadalajara", "Monterrey")),
    ("Chile", "Chilean", ("Santiago", "Valparaiso")),
    ("Peru", "Peruvian", ("Lima", "Arequipa")),
    ("India", "Indian", ("New Delhi", "Mumbai", "Kolkata")),
    ("Pakistan", "Pakistani", ("Islamabad", "Karachi", "Lahore")),
    ("Japan", "Japanese", ("Tokyo", "Osaka")),
    ("South Korea", "South Korean", ("Seoul", "Busan")),
    ("Indonesia", "Indonesian", ("Jakarta", "Surabaya")),
    ("Philippines", "Philippine", ("Manila", "Cebu")),
    ("Iran", "Iranian", ("Tehran", "Isfahan")),
    ("Iraq", "Iraqi", ("Baghdad", "Basra", "Erbil")),
    ("Israel", "Israeli", ("Jerusalem", "Tel Aviv")),
    ("Jordan", "Jordanian", ("Amman",)),
    ("Lebanon", "Lebanese", ("Beirut", "Tripoli")),
    ("Sudan", "Sudanese", ("Khartoum", "Port Sudan")),
    ("Serbia", "Serbian", ("Belgrade", "Novi Sad")),
    ("Spain", "Spanish", ("Madrid", "Barcelona", "Seville")),
    ("Italy", "Italian", ("Rome", "Milan", "Naples")),
    ("United Kingdom", "British", ("London", "Manchester", "Glasgow")),
    ("Canada", "Canadian", ("Ottawa", "Toronto", "Montreal")),
    ("Australia", "Australian", ("Canberra", "Sydney", "Melbourne")),
)
INTERNATIONAL_ORGS = (
    "the United Nations", "the European Union", "NATO", "the African Union", "the World Bank",
    "the International Monetary Fund", "the Red Cross", "the World Health Organization",
    "Amnesty International",
    "the Organization of American States", "the Arab League", "Human Rights Watch",
)
# "{D}" is the country's demonym: "the Kenyan Ministry of Defence".
NATIONAL_ORGS = (
    "the {D} Ministry of Defence", "the {D} Foreign Ministry", "the {D} Interior Ministry",
    "the National Workers' Federation", "the {D} Central Bank", "the Federation of {D} Trade Unions",
    "the {D} Chamber of Commerce", "the Electoral Commission", "the {D} Red Crescent", "the Transport Union",
    "the Supreme Court", "the {D} Farmers' Association",
)
OUTLETS = ("reporters", "a news conference", "state television", "local radio", "journalists", "a briefing")
ROLES = (
    "foreign minister", "defence minister", "interior minister", "prime minister", "president",
    "union leader", "opposition leader", "army spokesperson", "government spokesperson", "mayor",
    "central bank governor", "senior diplomat", "lead negotiator", "police chief", "human rights lawyer",
    "protest organiser", "trade minister", "regional governor", "economist", "aid coordinator",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
PAST = (
    "last year", "last week", "earlier this month", "last month", "this week", "in recent days",
    "two years ago", "over the weekend", "three weeks ago", "earlier this year", "in 2019", "yesterday",
    "last autumn", "a decade ago",
)
FUTURE = ("next week", "later this year", "next month", "in the coming days", "by the end of the year",
          "tomorrow", "next spring", "within two weeks")
PLACES_SMALL = ("a village near", "the outskirts of", "a market in", "a hospital in", "a school in",
                "the port of", "a suburb of")
OCCUPATIONS = ("teacher", "nurse", "taxi driver", "shopkeeper", "student", "farmer", "engineer",
               "retired soldier", "mother of three", "factory worker", "pharmacist", "bus driver")

# One topic per article: the words its templates fill in.  "act" is a past-tense verb phrase taking "thing".
TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "talks": {
        "noun": ("the talks", "the negotiations", "the summit", "the peace talks", "the round of talks"),
        "act": ("resumed talks over", "held talks on", "tabled", "opened negotiations on"),
        "thing": ("a draft agreement", "a framework deal", "a prisoner exchange", "a trade accord",
                  "the future of the border region"),
        "scene": ("delegations met behind closed doors", "negotiators worked late into the night",
                  "both sides exchanged draft proposals", "mediators shuttled between two hotels"),
    },
    "protest": {
        "noun": ("the protests", "the demonstrations", "the rally", "the march", "the sit-in"),
        "act": ("faced protests over", "was met with demonstrations over", "defended",
                "refused to withdraw"),
        "thing": ("rising fuel prices", "a new security law", "the election result", "cuts to pensions",
                  "the arrest of a journalist"),
        "scene": ("crowds filled the central square", "police fired tear gas to disperse the crowd",
                  "protesters blocked the main road into the city", "students chanted outside parliament"),
    },
    "strike": {
        "noun": ("the strike", "the walkout", "the industrial action", "the stoppage"),
        "act": ("rejected", "refused to negotiate over", "was hit by a strike over", "defended"),
        "thing": ("a pay offer", "plans to privatise the railways", "longer working hours",
                  "the closure of two plants", "a freeze on public sector wages"),
        "scene": ("trains stood idle in the main stations", "ports handled almost no cargo",
                  "schools and hospitals ran on emergency staff", "pickets gathered outside the depots"),
    },
    "sanctions": {
        "noun": ("the sanctions", "the new sanctions", "the asset freeze", "the trade restrictions"),
        "act": ("imposed sanctions on", "froze the assets of", "banned imports of",
                "expanded measures against"),
        "thing": ("oil exports", "several state-owned banks", "senior officials", "arms shipments",
                  "two shipping companies"),
        "scene": ("the measures took effect at midnight", "markets fell sharply after the announcement",
                  "officials published a list of the people affected", "banks suspended transfers"),
    },
    "troops": {
        "noun": ("the troop movements", "the deployment", "the military build-up", "the exercises"),
        "act": ("deployed troops near", "moved armoured units towards", "sent warships to",
                "reinforced its positions near"),
        "thing": ("the border", "a disputed region", "the coast", "two frontier crossings",
                  "the northern province"),
        "scene": ("satellite images showed columns of vehicles", "residents reported helicopters overhead",
                  "the army closed roads near the frontier", "soldiers set up checkpoints on the highway"),
    },
    "aid": {
        "noun": ("the aid convoy", "the relief effort", "the humanitarian operation", "the emergency appeal"),
        "act": ("sent emergency aid to", "pledged support to", "delivered food and medicine to",
                "opened a relief corridor to"),
        "thing": ("displaced families", "flood victims", "refugee camps", "hospitals in the region",
                  "villages cut off by landslides"),
        "scene": ("lorries queued at the crossing", "volunteers unloaded supplies through the night",
                  "aid workers set up field clinics", "families waited in line for water"),
    },
    "ceasefire": {
        "noun": ("the ceasefire", "the truce", "the armistice", "the pause in fighting"),
        "act": ("agreed a ceasefire with", "signed a truce with", "blamed the violations on",
                "proposed a pause in fighting to"),
        "thing": ("rebel groups", "armed militias", "the separatist forces", "the rival faction",
                  "fighters in the east"),
        "scene": ("shelling stopped for the first time in weeks", "monitors were sent to the front line",
                  "families began returning to their villages", "gunfire was heard after dark"),
    },
    "election": {
        "noun": ("the election", "the vote", "the referendum", "the run-off"),
        "act": ("challenged the result announced by", "demanded a recount from", "campaigned against",
                "lodged a complaint against"),
        "thing": ("the ruling party", "the electoral authorities", "the opposition coalition",
                  "the incumbent", "the new electoral commission"),
        "scene": ("long queues formed outside polling stations",
                  "observers reported scattered irregularities",
                  "turnout was higher than expected", "counting went on through the night"),
    },
}

QUOTES = (
    "We will not accept {thing} under any circumstances",
    "This is a matter of {value} and we will defend it",
    "The last few days were difficult, but there is still work to do",
    "Nobody wins if this continues for another month",
    "Our people deserve {value}, not more empty promises",
    "We are ready to talk, but not at any price",
    "The situation in {city} is very serious",
    "We have asked our partners in {country2} to show restraint",
    "There can be no {value} without accountability",
    "I have never seen anything like this in {n_small} years",
    "We expect a clear answer by {weekday}",
    "The door remains open, and we hope they walk through it",
    "Every day of delay costs lives",
    "These measures are a direct response to what happened in {city}",
    "We urge all sides to return to the table",
    "It is too early to say whether this will hold",
    "My family has lived here for generations and we are not leaving",
    "We were promised {value} and we got nothing",
    "Nobody from the government has come to speak to us",
    "The numbers speak for themselves",
)
VALUES = ("dignity", "security", "justice", "stability", "peace", "fairness", "transparency", "respect")
INDIRECT = (
    "at least {n} people had been detained",
    "the government had no plans to change course",
    "{noun} could continue for several more weeks",
    "officials from {country2} would join the next round",
    "the decision had been taken after consulting {intl}",
    "a further {n} soldiers would be sent to the area",
    "negotiators had made progress on {thing}",
    "the authorities had ignored repeated warnings",
    "losses had reached {money}",
    "{pct} of those surveyed supported {noun}",
    "the country would respond to {thing} in due course",
    "talks would resume in {city2} {future}",
    "{P} had been informed of the plan {past}",
    "the figures published by {org} were misleading",
    "{D} officials were preparing a formal response",
)

# Sections after the lede, each a pool of sentence templates.  Placeholders:
#   {P} a person (full name with role the first time, then surname), {C} the article's country,
#   {D} its demonym, {city} a city of it, {country2}/{city2} another country/city, {org} a national
#   organisation, {intl} an international one, {noun}/{act}/{thing}/{scene} the topic's words,
#   {when} a past date ("on Tuesday", "on March 3", "last year"), {past}/{future} relative times,
#   {n}/{pct}/{money} numbers, {quote}, {indirect}; "_cap" capitalises any of them.
LEDES = (
    "{P} said {when} that {C} {act} {thing}, as {noun} entered a new phase.",
    "Thousands of people in {city} were affected {when} after {org} {act} {thing}.",
    "{C} {act} {thing} {when}, officials in {city} said, in a move likely to anger {country2}.",
    "{noun_cap} in {city} drew sharp criticism {when}, with {intl} calling for calm.",
    "Officials in {city} confirmed {when} that the government {act} {thing}.",
    "{D} authorities {act} {thing} {when}, according to {P}.",
    "The government of {C} {act} {thing} {when}, a step that {P} called long overdue.",
    "For the {ordinal} time this year, {C} {act} {thing}, {org} said {when}.",
)
SECTIONS: dict[str, tuple[str, ...]] = {
    "scene": (
        "In {city}, {scene}.",
        "By {weekday} evening, {scene}, witnesses said.",
        "{scene_cap} on {weekday}, and local officials said the situation remained tense.",
        "Footage shared by residents of {city} showed that {scene}.",
        "As {noun} went on, {scene} and shops in the centre of {city} stayed closed.",
        "Residents of {small} {city} said {scene} and that they had received little information.",
        "Earlier in the day, {scene}, a correspondent in {city} reported.",
        "Local media said {scene} near the headquarters of {org}.",
    ),
    "quote": (
        "\"{quote},\" {P} said.",
        "\"{quote},\" said {P}.",
        "\"{quote},\" {P} told {outlet} in {city} {when}.",
        "\"{quote}.\" {P_cap} added that {indirect}.",
        "{P} told {outlet} that {indirect}.",
        "According to {P}, {indirect}.",
        "{P} said {when} that {indirect}, but gave no further details.",
        "\"{quote},\" {P} wrote in a statement released {when}.",
        "Speaking in {city} {when}, {P} said {indirect}.",
        "{P} insisted that {indirect}. \"{quote},\" {pron} said.",
        "According to a statement from {org}, {indirect}.",
        "\"{quote},\" {P} said in an interview, adding that {indirect}.",
    ),
    "voices": (
        "\"{quote},\" said {first}, a {age}-year-old {job} from {small} {city}.",
        "{first}, a {job} in {city}, said {indirect}.",
        "A {job} who gave only her first name, {first_f}, told {outlet}: \"{quote}.\"",
        "Many residents said they had stopped following the news {past}.",
    ),
    "numbers": (
        "About {n} people took part, according to {org}, while organisers put the figure closer to {n2}.",
        "The crisis has cost the economy an estimated {money}, according to {intl}.",
        "A survey published {when} found that {pct} of {D} voters backed {noun}.",
        "Officials said {n} people had been injured and {n_small} killed since {noun} began {past}.",
        "Exports to {country2} fell by {pct} in the first quarter, figures released on {date} showed.",
        "More than {n} families have left {city} since {date}, the regional authorities said.",
        "The currency lost {pct} of its value against the dollar {past}.",
        "Inflation stood at {pct} in {month}, up from {pct2} a year earlier.",
    ),
    "reaction": (
        "{intl_cap} said it was following {noun} closely and urged restraint.",
        "In {city2}, officials from {country2} condemned the move as reckless.",
        "The foreign ministry of {country2} summoned the {D} ambassador {when}.",
        "{org_cap} said it would study the proposals before responding.",
        "Opposition politicians accused the government of mishandling {noun}.",
        "Neighbouring {country2} said it had closed two border crossings as a precaution.",
        "A spokesperson for {intl} declined to comment.",
        "The {D} embassy in {city2} did not respond to a request for comment.",
    ),
    "background": (
        "{noun_cap} came after months of rising tension between {C} and {country2}.",
        "The dispute dates back to {year}, when {org} first raised concerns about {thing}.",
        "A similar crisis {past} ended after mediation by {intl}.",
        "{C} has faced repeated criticism over {thing} since {year}.",
        "Relations between the two countries have been strained since talks in {city2} collapsed on {date}.",
        "Analysts said {noun} reflected a wider struggle over {thing} that has shaped {D} politics.",
        "{P} took office in {year} promising to resolve the issue within a year.",
        "The region has a population of about {n} and depends heavily on trade with {country2}.",
    ),
    "outlook": (
        "Further meetings are expected {future} in {city2}.",
        "{P} is due to travel to {city2} {future} to discuss {thing}.",
        "It was not clear {when} whether {noun} would continue.",
        "The next round is scheduled for {date}, officials said.",
        "Diplomats said a deal could be reached by {date}, though several issues remained open.",
        "{org_cap} has called an emergency meeting for {weekday}.",
        "Parliament is expected to vote on the measures {future}.",
        "Observers from {intl} will return to {city} {future}, a spokesperson said.",
    ),
}
# Quotes carry the story, as in wire copy: they are drawn about twice as often as any other section.
SECTION_WEIGHTS = {"quote": 4, "voices": 1, "scene": 2, "numbers": 2, "reaction": 2, "background": 2,
                   "outlook": 2}


@dataclass
class _Cast:
    """The article's fixed choices: who and where, so names recur the way they do in a real story."""

    rng: random.Random
    topic: dict[str, tuple[str, ...]]
    country: str
    demonym: str
    cities: tuple[str, ...]
    other: tuple[str, str, tuple[str, ...]]
    people: list[tuple[str, str, str]]  # (first, last, role)
    orgs: list[str]
    introduced: set[int] = field(default_factory=set)
    last_person: int = 0

    def person(self) -> str:
        # Favour the first two people (~60% of mentions) so the story has protagonists quoted repeatedly.
        i = self.rng.choice((0, 0, 0, 1, 1, 1, *range(2, len(self.people))))
        self.last_person = i
        first, last, role = self.people[i]
        if i in self.introduced:
            return self.rng.choice((last, last, f"{first} {last}"))
        self.introduced.add(i)
        return self.rng.choice((f"{first} {last}, the {role},", f"{role} {first} {last}"))

    def pronoun(self) -> str:
        return "she" if self.people[self.last_person][0] in FEMALE_NAMES else "he"


def _when(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.4:
        return f"on {rng.choice(WEEKDAYS)}"
    if kind < 0.7:
        return rng.choice(PAST)
    return f"on {_date(rng)}"


def _date(rng: random.Random) -> str:
    return f"{rng.choice(MONTHS)} {rng.randint(1, 28)}"


def _number(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.4:
        return str(rng.randint(12, 950))
    if kind < 0.7:
        return f"{rng.randint(1, 90) * 100:,}"
    return f"{rng.randint(2, 60) * 1000:,}"


def _cap(s: str) -> str:
    return s[0].upper() + s[1:] if s else s


_SLOT = re.compile(r"\{(\w+)\}")
_ORDINALS = ("second", "third", "fourth", "fifth")


def _fill(template: str, cast: _Cast) -> str:
    """Replace each placeholder by a fresh random choice (so one template yields many sentences)."""
    rng = cast.rng

    def slot(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.endswith("_cap"):
            return _cap(slot_value(name[:-4]))
        return slot_value(name)

    def slot_value(name: str) -> str:
        match name:
            case "P":
                return cast.person()
            case "pron":
                return cast.pronoun()
            case "C":
                return cast.country
            case "D":
                return cast.demonym
            case "city":
                return rng.choice(cast.cities)
            case "country2":
                return cast.other[0]
            case "city2":
                return rng.choice(cast.other[2])
            case "org":
                return rng.choice(cast.orgs)
            case "intl":
                return rng.choice(INTERNATIONAL_ORGS)
            case "noun" | "act" | "thing" | "scene":
                return rng.choice(cast.topic[name])
            case "when":
                return _when(rng)
            case "past":
                return rng.choice(PAST)
            case "future":
                return rng.choice(FUTURE)
            case "date":
                return _date(rng)
            case "month":
                return rng.choice(MONTHS)
            case "weekday":
                return rng.choice(WEEKDAYS)
            case "year":
                return str(rng.randint(1995, 2023))
            case "ordinal":
                return rng.choice(_ORDINALS)
            case "n" | "n2":
                return _number(rng)
            case "n_small":
                return str(rng.randint(2, 40))
            case "age":
                return str(rng.randint(19, 81))
            case "pct" | "pct2":
                return f"{rng.randint(3, 78)} percent"
            case "money":
                return f"${rng.randint(2, 900)} {rng.choice(('million', 'billion'))}"
            case "outlet":
                return rng.choice(OUTLETS)
            case "value":
                return rng.choice(VALUES)
            case "small":
                return rng.choice(PLACES_SMALL)
            case "job":
                return rng.choice(OCCUPATIONS)
            case "first":
                return rng.choice(FIRST_NAMES)
            case "first_f":
                return rng.choice(FEMALE_NAMES)
            case "quote":
                return _SLOT.sub(slot, rng.choice(QUOTES))
            case "indirect":
                return _SLOT.sub(slot, rng.choice(INDIRECT))
        raise KeyError(f"unknown placeholder {{{name}}} in corpus template")

    sentence = _SLOT.sub(slot, template)
    # A person introduced as "X, the minister," before a full stop or comma leaves ",." or ",,".
    sentence = sentence.replace(",.", ".").replace(",,", ",").replace(",:", ":")
    return _cap(sentence)


def _cast(rng: random.Random) -> _Cast:
    country, demonym, cities = rng.choice(PLACES)
    other = rng.choice([p for p in PLACES if p[0] != country])
    n_people = rng.randint(3, 6)
    firsts = rng.sample(FIRST_NAMES, n_people)
    lasts = rng.sample(LAST_NAMES, n_people)
    roles = rng.sample(ROLES, n_people)
    orgs = [o.replace("{D}", demonym) for o in rng.sample(NATIONAL_ORGS, 3)]
    topic = TOPICS[rng.choice(sorted(TOPICS))]
    return _Cast(rng, topic, country, demonym, cities, other, list(zip(firsts, lasts, roles, strict=True)),
                 orgs)


class _Deck:
    """Draw templates without replacement (reshuffled when empty), so an article rarely repeats one."""

    def __init__(self, rng: random.Random, cards: tuple[str, ...]) -> None:
        self._rng, self._cards, self._left = rng, cards, list[str]()

    def draw(self) -> str:
        if not self._left:
            self._left = list(self._cards)
            self._rng.shuffle(self._left)
        return self._left.pop()


def make_article(index: int, *, seed: int = 0) -> dict[str, str]:
    """Article ``index`` of corpus ``seed``: ``{"id", "text", "published"}`` with 600-900 words."""
    rng = random.Random(f"eventwire-bench:{seed}:{index}")
    cast = _cast(rng)
    target = rng.randint(_TARGET_LOW, _TARGET_HIGH)
    paragraphs: list[list[str]] = [[_fill(rng.choice(LEDES), cast)]]
    words = len(paragraphs[0][0].split())
    decks = {name: _Deck(rng, templates) for name, templates in SECTIONS.items()}
    names, weights = list(SECTION_WEIGHTS), list(SECTION_WEIGHTS.values())
    previous = ""
    while words < target:
        section = rng.choices(names, weights)[0]
        if section == previous:
            continue
        previous = section
        paragraph: list[str] = []
        for _ in range(rng.randint(1, 4)):
            sentence = _fill(decks[section].draw(), cast)
            n = len(sentence.split())
            if words + n > MAX_WORDS:
                break
            paragraph.append(sentence)
            words += n
            if words >= target:
                break
        if paragraph:
            paragraphs.append(paragraph)
    text = "\n\n".join(" ".join(p) for p in paragraphs)
    published = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 540))
    return {"id": f"bench-{seed}-{index:05d}", "text": text, "published": published.isoformat()}


def generate(n: int, *, seed: int = 0) -> Iterator[dict[str, str]]:
    """The first ``n`` articles of corpus ``seed``."""
    for i in range(n):
        yield make_article(i, seed=seed)


def write_jsonl(path: Path, n: int, *, seed: int = 0) -> int:
    """Write ``n`` articles as FORMAT.md input JSONL to ``path``; return the number of words written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    words = 0
    with path.open("w", encoding="utf-8") as f:
        for article in generate(n, seed=seed):
            words += len(article["text"].split())
            f.write(json.dumps(article, ensure_ascii=False) + "\n")
    return words


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", type=Path, default=Path("bench/out/corpus.jsonl"))
    args = parser.parse_args(argv)
    words = write_jsonl(args.output, args.articles, seed=args.seed)
    print(f"{args.articles} articles, {words} words -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
