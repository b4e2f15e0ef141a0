"""Test doubles for users and our own tests: no spaCy, no database server needed.

- :class:`EchoStep` is a BatchStep (runners/base.py) that "analyses" without NLP, optionally dying
  like an OOM-killed worker on inputs containing a marker, so runner behaviour can be tested in seconds.
- :func:`make_input` / :func:`make_article` build model objects with sensible defaults.
- :func:`write_hostile_corpus` writes a folder of hostile inputs (each a reader failure once seen) with
  the outcome a run over it must report: every valid record stored, every skip counted by reason.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from eventwire.model import Article, ArticleInput, CharSpan, Sentence, Skip, content_hash

__all__ = ["EchoStep", "HostileCorpus", "invented_article", "make_article", "make_input",
           "write_hostile_corpus"]


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
    """A BatchStep without NLP: each input becomes an Article with one sentence and nothing else.

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
            out.append(make_article(item.text, source=item.source, input_id=item.id,
                                    published=item.published))
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
