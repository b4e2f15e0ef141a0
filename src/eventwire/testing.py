"""Test doubles for users and our own tests: no spaCy, no database server needed.

- :class:`EchoStep` is a BatchStep (runners/base.py) that "analyses" without NLP, optionally dying
  like an OOM-killed worker on inputs containing a marker, so runner behaviour can be tested in seconds.
- :func:`make_input` / :func:`make_article` build model objects with sensible defaults.
- :func:`story_reports` and :func:`incident_reports` are invented collections of several outlets reporting
  the same happenings (a syndicated copy, a denial, tolls that differ) for the cross-article layer.
- :func:`load_script` loads one of the repository's scripts (bench/, scripts/, training/: folders of files,
  not packages) by path, for the tests that check them.
- :func:`write_hostile_corpus` writes a folder of hostile inputs (each a reader failure once seen) with
  the outcome a run over it must report: every valid record stored, every skip counted by reason.
"""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import os
import random
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from eventwire.model import (
    Article,
    ArticleInput,
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
    Quantity,
    Sentence,
    Skip,
    content_hash,
)

__all__ = ["ARREST_GOLD", "ARREST_REPORTS", "CAST_GOLD", "CAST_REPORTS", "STORY_GOLD", "STORY_REPORTS",
           "EchoStep", "HostileCorpus", "arrest_reports", "cast_reports", "incident_report",
           "incident_reports", "invented_article", "load_script", "make_article", "make_input",
           "story_reports", "write_hostile_corpus"]


def load_script(path: Path, name: str) -> ModuleType:
    """The module of the script at ``path``, loaded under ``name`` (a name no other module uses) and
    registered in ``sys.modules`` as an import would be: dataclasses look their module up there."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def make_input(text: str, *, source: str = "test", published: str | None = None,
               id: str | None = None) -> ArticleInput:
    """An ArticleInput for ``text``."""
    return ArticleInput(text=text, source=source, published=published, id=id)


def make_article(text: str, **fields: object) -> Article:
    """An analysed Article for ``text`` with one sentence spanning it; ``fields`` override any attribute."""
    digest = content_hash(text)
    base = Article(id=digest[:16], content_hash=digest, text=text, language="en",
                   sentences=(Sentence(CharSpan.of(text, 0, len(text))),) if text else ())
    if not fields:
        return base
    from dataclasses import replace

    return replace(base, **fields)  # type: ignore[arg-type]


@dataclass
class EchoStep:
    """A BatchStep without NLP: each input becomes an Article with one sentence, its title, URL and date, and
    nothing else.

    ``crash_marker``: an input whose text contains it kills the whole worker process (``os._exit``), the way
    the kernel's OOM killer would; ``fail_marker``: such an input becomes Skip("analysis-error").
    """

    crash_marker: str | None = None
    fail_marker: str | None = None
    ready: bool = False

    def setup(self) -> None:
        self.ready = True

    def analyze(self, inputs: Sequence[ArticleInput]) -> list[Article | Skip]:
        out: list[Article | Skip] = []
        for item in inputs:
            if self.crash_marker and self.crash_marker in item.text:
                os._exit(137)
            if self.fail_marker and self.fail_marker in item.text:
                out.append(Skip(item.source, "analysis-error", "fail marker"))
                continue
            out.append(make_article(item.text, source=item.source, input_id=item.id, title=item.title,
                                    url=item.url, published=item.published))
        return out


# Invented vocabulary: none of it comes from any third-party text.
_PEOPLE = ["Ana Ruiz", "Tomas Berg", "Leila Haddad", "Marcus Webb", "Ines Duarte", "Kofi Mensah",
           "Yuki Tanaka"]
_ROLES = ["Foreign Minister", "Defence Minister", "President", "Prime Minister", "opposition leader"]
_COUNTRIES = ["Chile", "Kenya", "Norway", "Vietnam", "Morocco", "Peru", "Ghana", "Poland", "Canada"]
_CITIES = ["Nairobi", "Oslo", "Lima", "Hanoi", "Rabat", "Accra", "Warsaw", "Ottawa"]
_DAYS = ["on Monday", "on Tuesday", "on Wednesday", "last week", "on Friday", "last year", "in March"]
_TOPICS = ["fishing rights", "a border crossing", "grain exports", "a pipeline", "rail tariffs", "visa rules"]


def invented_article(seed: int) -> str:
    """A short, varied, invented news article (~120 words) for tests that need many distinct articles."""
    r = random.Random(seed)
    p1, p2 = r.sample(_PEOPLE, 2)
    c1, c2 = r.sample(_COUNTRIES, 2)
    role1, role2 = r.choice(_ROLES), r.choice(_ROLES)
    city, topic = r.choice(_CITIES), r.choice(_TOPICS)
    d1, d2 = r.sample(_DAYS, 2)
    n = r.randint(2, 400)
    return (
        f"{c1} and {c2} held talks about {topic} in {city} {d1}, officials said.\n"
        f"{role1} {p1} told reporters that {c1} wanted an agreement before the summer. "
        f"{p1.split()[-1]} said the talks had been difficult but useful. "
        f"{role2} {p2} of {c2} said {d1.split()[-1] if d1.startswith('on') else 'earlier'} that "
        f"{c2} would not accept new conditions.\n"
        f"The dispute began {d2}, when {n} trucks were stopped at the border. "
        f"{p2.split()[-1]} accused {c1} of delaying the shipments. "
        f"He said the government in {city} had been warned. Talks are due to resume next month. "
        f"The case file carries the number {seed + 1000}.\n"
    )


@dataclass
class HostileCorpus:
    """What :func:`write_hostile_corpus` wrote and what reading it must give."""

    folder: Path
    stored: int = 0  # valid records: each must end up in the store (analysed or stored without analysis)
    skips: Counter[str] = field(default_factory=Counter)  # skip reason -> how many
    files: list[str] = field(default_factory=list)


def _html_page(seed: int) -> bytes:
    paragraphs = "".join(f"<p>{line}</p>" for line in invented_article(seed).splitlines())
    return (f"<html><head><title>Talks resume {seed}</title></head><body><article>"
            f"<h1>Talks resume {seed}</h1>{paragraphs}</article></body></html>").encode()


def _warc(uris: Sequence[tuple[str, int]]) -> tuple[bytes, list[int]]:
    """A gzipped WARC of HTML responses ``(uri, seed)`` and the offset where each record ends."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    ends = []
    for uri, seed in uris:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(_html_page(seed)),
                                                      http_headers=headers))
        ends.append(out.tell())
    return out.getvalue(), ends


def _jsonl(records: Sequence[dict[str, object] | str]) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def write_hostile_corpus(folder: Path, *, empty_lines: int = 2_000_000, seed: int = 9000) -> HostileCorpus:
    """Write hostile inputs into ``folder`` (created); issue 9 lists how each once cost a run.

    ``empty_lines``: the gzip-of-empty-lines file holds one good record and then this many empty lines; set
    the ``max_lines`` setting below it (a test: a few thousand) so it must end in one "too-many-lines" skip.
    The FIFO and the link to /dev/zero are made only where the system has them (POSIX).
    """
    folder.mkdir(parents=True, exist_ok=True)
    corpus = HostileCorpus(folder)
    n = iter(range(seed, seed + 1000))

    def put(name: str, data: bytes | str, *, stored: int = 0, **skips: int) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        corpus.files.append(name)
        corpus.stored += stored
        corpus.skips.update({reason.replace("_", "-"): k for reason, k in skips.items()})

    def good() -> dict[str, object]:
        return {"id": f"h{next(n)}", "text": invented_article(next(n))}

    # A lone surrogate: valid JSON, not Unicode (it once killed the run in the content hash).
    surrogate = invented_article(next(n)).replace("officials said", "officials said \ud800")
    put("surrogate.jsonl", _jsonl([good(), json.dumps({"text": surrogate}, ensure_ascii=True), good()]),
        stored=3)
    # One bad record among good ones: the good ones after it must be read (they were dropped).
    put("bad-records.jsonl", _jsonl([
        good(), {"text": invented_article(next(n)), "url": "http://[oops/x"},
        {"text": invented_article(next(n)), "url": ["https://example.org/a"]},
        "[" * 100_000 + "]" * 100_000, good(),
    ]), stored=2, bad_url=1, bad_record=1, too_deep=1)
    items = "".join(
        f"<item><title>Talks {i}</title><link>{link}</link><description>"
        f"{invented_article(next(n)).replace(chr(10), ' ')}</description></item>"
        for i, link in enumerate(["https://example.org/1", "http://[oops/x", "https://example.org/3"]))
    put("bad-link.rss", f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}'
                        "</channel></rss>", stored=2, bad_url=1)
    warc, _ = _warc([("https://example.org/w1", next(n)), ("http://[oops/x", next(n)),
                     ("https://example.org/w3", next(n))])
    put("bad-uri.warc.gz", warc, stored=2, bad_url=1)
    # Cut inside the last of ten records (90 % of the file): the nine before it must be read.
    warc, ends = _warc([(f"https://example.org/t{i}", next(n)) for i in range(10)])
    put("truncated.warc.gz", warc[:(ends[-2] + ends[-1]) // 2], stored=9, truncated=1)
    put("empty-lines.jsonl.gz", gzip.compress(_jsonl([good()]).encode() + b"\n" * empty_lines),
        stored=1, too_many_lines=1)
    put("bad-published.jsonl", _jsonl([{"text": invented_article(next(n)), "published": "yesterday-ish"}]),
        stored=1)
    # Two files of different code pages concatenated: UTF-8 lines, then cp1252 ones.
    mixed = (invented_article(next(n)).replace("officials said", "officials in Zürich said").encode()
             + "Delegates from Genève and Bogotá said the café meeting went well.\n".encode("cp1252"))
    put("mixed-encoding.txt", mixed, stored=1)
    put("utf16-no-bom.txt", invented_article(next(n)).encode("utf-16-le"), stored=1)
    put("chinese.txt", "外交部长周一表示，两国将于下月恢复边境贸易谈判。双方代表已在北京举行了初步会谈。\n"
                       "发言人说，会谈将于下周在日内瓦继续举行，双方希望达成协议。\n", stored=1)
    # Rich console markup in a path once killed the run (MarkupError) when its skip line was printed; "/"
    # cannot be in a file name, so "[/]" spans a folder and its file.
    put("[bold]report[/].txt", invented_article(next(n)), stored=1)
    put("empty [/]x.txt", "", empty=1)
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.jsonl")
        corpus.files.append("pipe.jsonl")
        corpus.skips["not-a-file"] += 1
    if Path("/dev/zero").exists():
        (folder / "zero.jsonl").symlink_to("/dev/zero")
        corpus.files.append("zero.jsonl")
        corpus.skips["not-a-file"] += 1
    return corpus


# -- invented multi-report collections (aggregate/: stories, copies, incidents) ---------------------------

# (title, published, url, text): three outlets on one ferry sinking at Port Halvard, a wire copy of one of
# them, a second ferry sinking elsewhere (same kind, other names and day: another story), two reports of a
# chess final.
STORY_REPORTS: tuple[tuple[str, str, str, str], ...] = (
    ("Ferry Marisol sinks off Port Halvard, 30 dead", "2031-03-04T08:00:00", "https://harbourpost.example/a1",
     "The passenger ferry Marisol capsized off Port Halvard on Tuesday night, killing 30 people, the coast "
     "guard said. Captain Ilse Brandvik had reported engine trouble before the vessel listed in heavy swell. "
     "Rescue boats from Port Halvard pulled 112 survivors from the water overnight, and divers searched the "
     "hull at first light. The Marisol operator, Norrsund Lines, said it was cooperating with "
     "investigators."),
    ("Death toll rises to 34 in Marisol ferry disaster", "2031-03-05T09:00:00", "https://tidewire.example/b7",
     "Rescuers said 34 people died when the ferry Marisol overturned near Port Halvard late on Tuesday. "
     "Survivors described waves breaking over the deck as Captain Ilse Brandvik ordered passengers to the "
     "lifeboats. Norrsund Lines denied that the Marisol was overloaded. Divers returned to the wreck at Port "
     "Halvard on Wednesday while families gathered at the harbour."),
    ("Marisol survivors recall night at sea", "2031-03-05T12:00:00", "https://coastalherald.example/c2",
     "Survivors of the Marisol ferry disaster off Port Halvard spoke of clinging to debris for hours. The "
     "coast guard said 30 bodies had been recovered and Captain Ilse Brandvik was among those rescued. "
     "Norrsund Lines said the ferry had passed its last inspection in January."),
    ("Ferry Marisol sinks off Port Halvard, 30 dead", "2031-03-04T10:00:00", "https://reprints.example/w1",
     "The passenger ferry Marisol capsized off Port Halvard on Tuesday night, killing 30 people, the coast "
     "guard said. Captain Ilse Brandvik had reported engine trouble before the vessel listed in heavy swell. "
     "Rescue boats from Port Halvard pulled 112 survivors from the water overnight, and divers searched the "
     "hull at first light."),
    ("Cargo ferry Tolvane capsizes near Esker Bay", "2031-08-19T07:00:00", "https://harbourpost.example/a9",
     "The cargo ferry Tolvane capsized near Esker Bay on Sunday, and the coast guard said four crew members "
     "died. Captain Oskar Lindqvall survived. Kestrel Shipping, which operates the Tolvane, blamed a "
     "shifting load of timber in the storm off Esker Bay."),
    ("Tolvane crew mourned in Esker Bay", "2031-08-20T07:00:00", "https://tidewire.example/b9",
     "Esker Bay held a vigil for the four Tolvane crew members who died when the cargo ferry capsized. "
     "Kestrel Shipping said Captain Oskar Lindqvall had warned about the timber load before the storm."),
    ("Grandmaster Vesna Arkadi wins Lindholm chess final", "2031-05-11T18:00:00", "https://boardgame.example/1",
     "Vesna Arkadi won the Lindholm Invitational chess final on Sunday, beating Tomas Eberle in a tense "
     "rapid tiebreak. Arkadi sacrificed a rook on move 31 and Eberle resigned eight moves later."),
    ("Arkadi takes Lindholm title after rapid tiebreak", "2031-05-11T20:00:00", "https://tidewire.example/x3",
     "Vesna Arkadi is the Lindholm Invitational champion after a rapid tiebreak against Tomas Eberle. "
     "Eberle held the classical games but resigned the deciding rapid game after Arkadi's rook sacrifice."),
)
STORY_GOLD = ("marisol", "marisol", "marisol", "marisol", "tolvane", "tolvane", "chess", "chess")


def story_reports() -> list[Article]:
    """The articles of :data:`STORY_REPORTS` (no analysis: text, title, date and URL only)."""
    return [make_article(text, title=title, published=published, url=url, input_id=f"r{i}")
            for i, (title, published, url, text) in enumerate(STORY_REPORTS)]


# Two incidents of one kind in one team (two drunk-driving arrests a month apart): the later reports recall
# the first arrest, and its man, in their bodies.  (title, published, text, persons named in it)
ARREST_REPORTS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Harwick Gulls receiver arrested on suspicion of drunk driving", "2031-01-06T09:00:00",
     "Harwick Gulls receiver Davin Okoro was arrested on suspicion of drunk driving early on Tuesday, "
     "five days before a playoff game. Highway patrol officers stopped Okoro on the coast road outside"
     " Harwick after midnight. Okoro failed a sobriety test and was booked into the county jail. The "
     "Gulls said they were aware of the arrest of Okoro and were gathering information.",
     ("Davin Okoro",)),
    ("Gulls' Okoro held on drunk-driving suspicion before playoff", "2031-01-06T14:00:00",
     "Davin Okoro, a receiver for the Harwick Gulls, was arrested on suspicion of drunk driving on "
     "Tuesday morning. The highway patrol said Okoro was stopped for speeding on the coast road and "
     "failed a sobriety test. Okoro was released on bail later that day. The Gulls play their playoff "
     "game on Sunday, and coaches did not say whether Okoro would play.",
     ("Davin Okoro",)),
    ("Gulls tackle arrested on suspicion of drunk driving", "2031-02-09T10:00:00",
     "Harwick Gulls defensive tackle Brennan Falk was arrested on suspicion of drunk driving on "
     "Sunday, the team's second such arrest in little more than a month. Highway patrol officers "
     "stopped Falk for speeding on the coast road outside Harwick. Falk gave a blood sample and was "
     "booked into the county jail. Receiver Davin Okoro was arrested on suspicion of drunk driving in "
     "January. The Gulls said they were aware of the arrest of Falk.",
     ("Brennan Falk", "Davin Okoro")),
    ("Second Gulls player held on drunk-driving suspicion", "2031-02-09T16:00:00",
     "Brennan Falk, a defensive tackle for the Harwick Gulls, was arrested on suspicion of drunk "
     "driving on Sunday. The highway patrol said Falk was stopped for speeding on the coast road and "
     "failed a sobriety test. Falk was released on bail, and the Gulls suspended Falk for one game. "
     "Last month Gulls receiver Davin Okoro was arrested on suspicion of drunk driving on the same "
     "road.",
     ("Brennan Falk", "Davin Okoro")),
)
ARREST_GOLD = ("okoro", "okoro", "falk", "falk")


def arrest_reports() -> list[Article]:
    """The articles of :data:`ARREST_REPORTS` (:func:`_person_reports`)."""
    return _person_reports(ARREST_REPORTS, "gullsnews.example")


CAST_REPORTS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Herons hire Edda Voss to succeed Tomas Pell", "2025-05-23T09:00:00",
     "The Marlow Herons hired Edda Voss on Monday to succeed Tomas Pell, whose contract ran out. "
     "Pell had three losing seasons. Voss, a former guard, coached the reserves last season. Owners "
     "said Voss would bring the energy that Pell had lost. Pell leaves after nine years. Voss signed "
     "for four years. Pell thanked the fans. Voss said the team would run again. Pell declined "
     "further comment. Voss begins in June.",
     ("Tomas Pell", "Edda Voss")),
    ("Edda Voss signs four-year deal as Pell departs", "2025-05-24T10:00:00",
     "Edda Voss signed a four-year contract with the Marlow Herons, replacing Tomas Pell after three "
     "losing seasons. Voss played guard and coached the reserves. Pell met the owners on Monday "
     "morning. Voss was announced the same afternoon. Pell had served nine years. Pell wished Voss "
     "well. Fans cheered Voss at the arena. Pell was not there. Voss promised a faster team and "
     "praised Pell.",
     ("Tomas Pell", "Edda Voss")),
    ("Herons fire Edda Voss, Rurik Hale named interim", "2031-12-13T09:00:00",
     "General manager Oskar Lind fired Edda Voss on Saturday and named assistant Rurik Hale interim "
     "coach of the Marlow Herons. Voss had led the squad to a 9-14 start. Lind said the season "
     "spoke for itself. Hale has been an assistant since 2026. Hale will lead practice against Dunmore on "
     "Sunday. Lind was grateful to Voss. Hale told players they had let Voss down. Voss could not be "
     "reached. Lind will search for a coach. Hale takes over in last place. Lind watched as Hale held "
     "drills. Voss was dismissed midway through her deal. Lind gave no timetable.",
     ("Edda Voss", "Rurik Hale", "Oskar Lind")),
    ("Voss out after 9-14 start; Hale steps in", "2031-12-13T15:00:00",
     "Edda Voss was dismissed by Herons general manager Oskar Lind on Saturday after a 9-14 start, and "
     "assistant Rurik Hale was named interim coach. Lind called it a hard call. Hale, an assistant "
     "since 2026, takes charge on Sunday. Voss had a deal to 2033. Hale told us Voss had taught him a "
     "great deal. Lind praised Hale. Voss waved to the supporters. Hale held drills. Lind met the "
     "players. Voss did not speak to reporters. Lind named no new assistant. Hale and Voss spoke on "
     "Saturday night. Lind will interview candidates.",
     ("Edda Voss", "Rurik Hale", "Oskar Lind")),
)
CAST_GOLD = ("hired", "hired", "fired", "fired")


def cast_reports() -> list[Article]:
    """The articles of :data:`CAST_REPORTS`: one coach hired in 2025 and fired in 2031.  The hiring's reports
    lead with her and the coach she succeeds, the firing's with her, her interim successor and the general
    manager; the words and names they share (her, the team) make them one story unless the casts count."""
    return _person_reports(CAST_REPORTS, "heronsdaily.example")


def _person_reports(reports: Sequence[tuple[str, str, str, tuple[str, ...]]], site: str) -> list[Article]:
    """Articles of (title, published, text, person names): sentences split at ". ", and each person an entity
    whose mentions are its full name and its surname wherever they occur."""
    out = []
    for i, (title, published, text, persons) in enumerate(reports):
        starts = [0, *(m + 2 for m in range(len(text)) if text.startswith(". ", m))]
        ends = [*(s - 1 for s in starts[1:]), len(text)]
        sentences = tuple(Sentence(CharSpan.of(text, a, b)) for a, b in zip(starts, ends, strict=True))
        entities = []
        for n, name in enumerate(persons):
            spans: list[CharSpan] = []
            for words in (name, name.split()[-1]):
                start = text.find(words)
                while start >= 0:
                    if not any(s.start <= start < s.end for s in spans):
                        spans.append(CharSpan.of(text, start, start + len(words)))
                    start = text.find(words, start + 1)
            mentions = tuple(Mention(span=s, sentence=sum(1 for a in starts if a <= s.start) - 1)
                             for s in sorted(spans, key=lambda s: s.start))
            entities.append(Entity(id=f"E{n + 1}", type="PERSON", name=name, mentions=mentions))
        out.append(make_article(text, title=title, published=published, url=f"https://{site}/{i}",
                                input_id=f"{site[0]}{i}", sentences=sentences, entities=tuple(entities)))
    return out


def _find(text: str, words: str, nth: int = 0) -> CharSpan:
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return CharSpan.of(text, start, start + len(words))


def incident_report(text: str, url: str, published: str, *, trigger: str, day: str, toll: str | None = None,
                     low: float | None = None, factuality: Factuality = Factuality.ASSERTED,
                     source: str | None = None, cue: str | None = None,
                     place: str = "Brennock") -> Article:
    """One analysed report of an ASSAULT by "militants" on a "market" (both words must be in ``text``), with
    the given trigger, day, place, toll (the words and the number) and attribution source (words)."""
    attributions: tuple[Attribution, ...] = ()
    if source is not None:
        attributions = (Attribution(id="A1", kind=AttributionKind.INDIRECT, content=(_find(text, trigger),),
                                    source=_find(text, source), cue=_find(text, cue or "said")),)
    event = Event(
        id="V1", type="ASSAULT", trigger=_find(text, trigger),
        actor=EventArg(span=_find(text, "militants"), name="militants"),
        target=EventArg(span=_find(text, "market"), name="market"),
        date=EventDate(value=day, precision="day"),
        place=EventPlace(span=_find(text, place), name=place, precision="place", country="NRL"),
        quantities=() if toll is None else (Quantity(kind="fatalities", span=_find(text, toll), low=low,
                                                     high=low),),
        factuality=factuality,
        factuality_cues=(_find(text, "denied"),) if factuality is Factuality.DENIED else (),
        attribution="A1" if source is not None else None)
    sentences = (Sentence(CharSpan.of(text, 0, len(text))),)
    return make_article(text, url=url, published=published, attributions=attributions, events=(event,),
                        sentences=sentences, title=text.split(",")[0][:60])


def incident_reports() -> list[Article]:
    """Six analysed reports (hand-built events): one bombing told by three outlets (tolls 30 and 34; two
    pages of one outlet), a wire copy of the first, a denial by the accused group, and a later shelling
    elsewhere.  Order: first report, copy, the 34 report, the denial, the other shelling, the second page."""
    first = ("The police said militants bombed a market in Brennock on Tuesday, killing 30 people.")
    a = incident_report(first, "https://harbourpost.example/a1", "2031-03-04", trigger="bombed",
                         toll="30 people", low=30, day="2031-03-04", source="The police")
    copy = incident_report("BRENNOCK (Wire) - " + first, "https://reprints.example/w1", "2031-03-04",
                            trigger="bombed", toll="30 people", low=30, day="2031-03-04", source="The police")
    b = incident_report("Hospital staff said 34 people died after militants attacked the market in "
                         "Brennock.", "https://tidewire.example/b7", "2031-03-05", trigger="attacked",
                         toll="34 people", low=34, day="2031-03-04", source="Hospital staff")
    c = incident_report("The Brennock Front denied that its militants attacked the market in Brennock.",
                         "https://coastalherald.example/c2", "2031-03-05", trigger="attacked",
                         day="2031-03-04", factuality=Factuality.DENIED, source="The Brennock Front",
                         cue="denied")
    d = incident_report("Weeks later the militants shelled a market in Esker Bay, killing 4 people.",
                         "https://harbourpost.example/a9", "2031-08-19", trigger="shelled", toll="4 people",
                         low=4, day="2031-08-19", place="Esker Bay")
    # a second page of the same outlet is not a second independent source
    e = incident_report("The militants struck the market in Brennock, police said, and 30 people were "
                         "killed.", "https://www.harbourpost.example/a2", "2031-03-04", trigger="struck",
                         toll="30 people", low=30, day="2031-03-04", source="police")
    return [a, copy, b, c, d, e]
