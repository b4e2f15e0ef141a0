"""The command line: thin wrappers over library functions.

Exit codes: 0 = done (some inputs may have been skipped, as counted); 1 = every input failed (nothing read
could be stored or extracted); 2 = usage error (bad option, missing path, bad database URL).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Column, Table
from rich.text import Text

from eventwire import settings
from eventwire.errors import EventwireError
from eventwire.ingest import Tally
from eventwire.model import Article, ArticleInput, EventArg, Skip
from eventwire.nlp.analyzer import AnalyzerOptions
from eventwire.runners.base import Runner
from eventwire.runners.local import LocalRunner

__all__ = ["app", "main"]

app = typer.Typer(
    name="eventwire",
    help="News articles in; entities, times, quotes and attributed claims, with evidence spans, out.",
    no_args_is_help=True,
    add_completion=False,
)
# emoji=False: rich would turn ":smile:" in a file name or title into a glyph.  Markup stays on for our own
# "[red]error:[/]" prefixes, so every user-controlled string printed goes through escape() or Text (a name
# with "[/]" raised MarkupError and ended the whole run, issue 9).
err = Console(stderr=True, emoji=False)


def _stdout() -> Console:
    """Rich wraps at 80 columns when stdout is a pipe or a file; 120 keeps tables readable in logs."""
    probe = Console(emoji=False)
    return probe if probe.is_terminal else Console(width=120, emoji=False)


def _error(message: object) -> None:
    """Print ``error: message`` on stderr, the message literally (it may quote paths, URLs, titles)."""
    err.print(f"[red]error:[/] {escape(str(message))}", highlight=False, soft_wrap=True)


def _row(table: Table, *cells: object) -> None:
    """Add a row printed literally: rich parses a str cell as markup (entity names, titles, times)."""
    table.add_row(*(c if isinstance(c, Text) else Text(str(c)) for c in cells))


# The table's defaults, not settings.get("db"): typer reads EVENTWIRE_DB itself (envvar below), and a wrong
# value must be reported by the command (exit 2 with a fix), not raised while this module is imported.
def _default(name: str) -> Any:
    return next(s.default for s in settings.SETTINGS if s.name == name)


DEFAULT_DB: str = _default("db")

DbOption = Annotated[str, typer.Option("--db", help="Database URL (SQLAlchemy).", envvar="EVENTWIRE_DB")]
WorkersOption = Annotated[int, typer.Option("--workers", "-w", min=1,
                                            help="Worker processes (each loads spaCy).")]


class _RateColumn(ProgressColumn):
    """Articles per second over the run so far (rich's own speed column averages only the last 30 s)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = task.completed / elapsed if elapsed > 1 else 0.0
        return Text(f"{rate:.1f} articles/s" if rate else "", style="progress.data.speed")


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    _RateColumn(), TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
                    console=err, transient=True, disable=not err.is_terminal)


def _print_skip(item: Skip) -> None:
    detail = f" ({item.detail})" if item.detail else ""
    err.print(f"[yellow]skip[/] {escape(f'{item.source}: {item.reason}{detail}')}", highlight=False,
              soft_wrap=True)


def _counted(items: Iterable[ArticleInput | Skip], tally: Tally) -> Iterator[ArticleInput]:
    """What was read, counting (and printing) the read skips: every input is analysed (`extract` keeps
    duplicates; nothing is stored)."""
    for item in items:
        if isinstance(item, Skip):
            tally.skipped[item.reason] += 1
            _print_skip(item)
            continue
        tally.read += 1
        yield item


def _check_paths(paths: list[str]) -> None:
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        _error(f"no such file or folder: {', '.join(missing)}")
        raise typer.Exit(2)


def _print_tally(tally: Tally, seconds: float) -> None:
    parts = [f"read {tally.read}"]
    if tally.stored or tally.unchanged or tally.stored_not_analysed or tally.updated:
        parts.append(f"stored {tally.stored}")
        if tally.stored_not_analysed:
            parts.append(f"stored without analysis {tally.stored_not_analysed}")
        if tally.new_versions:
            parts.append(f"new versions {tally.new_versions}")
        if tally.updated:
            parts.append(f"metadata updated {tally.updated}")
        parts.append(f"unchanged {tally.unchanged}")
        if tally.copies:
            parts.append(f"copies {tally.copies}")
    if tally.extracted:
        parts.append(f"extracted {tally.extracted}")
    skipped = ", ".join(f"{reason} {n}" for reason, n in sorted(tally.skipped.items()))
    parts.append(f"skipped {tally.failed}" + (f" ({skipped})" if skipped else ""))
    err.print(escape(", ".join(parts) + f" in {seconds:.1f} s"), highlight=False, soft_wrap=True)


@app.callback()
def _check_settings(ctx: typer.Context) -> None:
    """News articles in; entities, times, quotes and attributed claims, with evidence spans, out."""
    # Every EVENTWIRE_* override is checked before any command starts: a wrong one used to surface as a bare
    # ValueError deep inside a run (or inside a worker).  `eventwire settings` shows them instead.
    if ctx.invoked_subcommand == "settings":
        return
    try:
        settings.check()
    except EventwireError as e:
        _error(e)
        raise typer.Exit(2) from e


SchedulerOption = Annotated[str | None, typer.Option(
    "--scheduler", metavar="ADDRESS|local",
    help="Analyse on Dask: tcp://HOST:PORT of a running scheduler (inputs must be on a filesystem its "
         "workers reach), or 'local' (a LocalCluster of --workers processes on this machine). Needs the "
         "dask extra.")]


def _runner(stack: contextlib.ExitStack, scheduler: str | None, workers: int) -> Runner:
    """The local runner, or a connected Dask runner (closed with ``stack``), its dashboard link printed."""
    if scheduler is None:
        return LocalRunner(AnalyzerOptions(), workers=workers)
    from eventwire.runners.dask import DaskRunner

    runner = stack.enter_context(DaskRunner(scheduler, workers=workers))
    link = runner.dashboard_link
    err.print(f"dask: {runner.stats.workers} worker threads at {escape(scheduler)}"
              + (f"; dashboard {escape(link)}" if link else ""), highlight=False, soft_wrap=True)
    return runner


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files and folders (read recursively).")],
    db: DbOption = DEFAULT_DB,
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
) -> None:
    """Read articles, analyse them and store them; an article already stored (same content) is unchanged.

    New text from a source stored before (the same file, record id or URL) supersedes its earlier version,
    kept in the history (`eventwire show` lists it); the same text with new metadata updates it.
    A run stopped anywhere can be rerun: what it stored is found unchanged and not analysed again.
    """
    from eventwire.ingest import IngestHooks, ingest_paths
    from eventwire.runners.units import split_units
    from eventwire.store import open_store

    _check_paths(paths)
    tally = Tally()
    t0 = time.perf_counter()
    try:
        with contextlib.ExitStack() as stack:
            store = stack.enter_context(open_store(db))
            runner = _runner(stack, scheduler, workers)
            progress = stack.enter_context(_progress())
            # The total for the ETA: one pass listing files and counting JSONL lines (~1 s per GB, against
            # ~10 hours of analysis for a GB of articles); feeds and WARCs count as one each until read.
            total = sum(u.count for u in split_units(paths) if not isinstance(u, Skip)) if not \
                progress.disable else None
            task = progress.add_task("ingesting", total=total)

            def advance(t: Tally) -> None:
                progress.update(task, completed=t.done)

            def not_analysed(article: Article) -> None:
                err.print(f"[yellow]stored without analysis[/] "
                          f"{escape(f'{article.source}: {article.skip_reason}')}", highlight=False,
                          soft_wrap=True)

            ingest_paths(paths, store, runner=runner, tally=tally,
                         hooks=IngestHooks(skipped=_print_skip, not_analysed=not_analysed, progress=advance))
    except EventwireError as e:
        _error(e)
        raise typer.Exit(2) from e
    _print_tally(tally, time.perf_counter() - t0)
    raise typer.Exit(tally.exit_code())


@app.command()
def recluster(db: DbOption = DEFAULT_DB) -> None:
    """Rebuild every story, copy, incident and flag of the store from scratch (ingest assigns them online,
    article by article; this pass sees the whole store at once and re-seats articles)."""
    from eventwire.aggregate.online import recluster as rebuild
    from eventwire.store import SqlStore, open_store

    t0 = time.perf_counter()
    try:
        store = open_store(db)
    except EventwireError as e:
        _error(e)
        raise typer.Exit(2) from e
    with store:
        if not isinstance(store, SqlStore):
            _error("recluster needs an SQL store")
            raise typer.Exit(2)
        n_articles, n_stories = rebuild(store)
    err.print(f"{n_articles} articles in {n_stories} stories in {time.perf_counter() - t0:.1f} s",
              highlight=False)


@app.command()
def watch(
    sources: Annotated[list[str], typer.Argument(help="RSS/Atom feed URLs, folders or files.")],
    db: DbOption = DEFAULT_DB,
    state: Annotated[Path, typer.Option(
        "--state", help="JSON file remembering what was fetched (a restart fetches nothing twice).")] = Path(
        "eventwire-watch.json"),
    interval: Annotated[float, typer.Option(min=1.0, help="Seconds between polls.")] = 300.0,
    max_polls: Annotated[int | None, typer.Option(
        "--max-polls", min=1, help="Stop after this many polls (default: never).")] = None,
    once: Annotated[bool, typer.Option("--once", help="Poll once and stop (= --max-polls 1).")] = False,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Fetch from loopback and private addresses too (refused by default, so a "
                                "hostile feed cannot point us at internal services).")] = False,
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
) -> None:
    """Poll feeds and folders on an interval and ingest the items that are new (Ctrl-C stops)."""
    from eventwire.ingest import IngestHooks
    from eventwire.store import open_store
    from eventwire.watch import WatchOptions, watching

    bad = [s for s in sources if not s.startswith(("http://", "https://")) and not Path(s).exists()]
    if bad:
        _error(f"not a feed URL (http:// or https://), file or folder: {', '.join(bad)}")
        raise typer.Exit(2)
    options = WatchOptions(interval_s=interval, allow_private=allow_private)
    t0 = time.perf_counter()
    tallies: list[Tally] = []

    def report(tally: Tally) -> None:
        nonlocal t0
        tallies.append(tally)
        _print_tally(tally, time.perf_counter() - t0)
        t0 = time.perf_counter()

    try:
        with contextlib.ExitStack() as stack:
            store = stack.enter_context(open_store(db))
            runner = _runner(stack, scheduler, workers)
            watcher = stack.enter_context(watching(sources, store, state_path=state, options=options,
                                                   runner=runner, hooks=IngestHooks(skipped=_print_skip)))
            watcher.run(max_polls=1 if once else max_polls, after_poll=report)
    except EventwireError as e:
        _error(e)
        raise typer.Exit(2) from e
    except KeyboardInterrupt:
        err.print("stopped", highlight=False)
    failed = any(t.failed for t in tallies) and not any(t.ok for t in tallies)
    raise typer.Exit(1 if failed else 0)


@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(help="FORMAT.md JSONL (or any readable files/folders).")],
    output: Annotated[str | None, typer.Option("--output", "-o", help="Output JSONL; '-' = stdout.")] = None,
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
    stories: Annotated[bool, typer.Option(
        "--stories", help="Treat all inputs as one collection: add story, duplicate_of and flags to "
                          "each record and incident to each event (written once all inputs are analysed).",
    )] = False,
) -> None:
    """Analyse inputs and write one JSON record per article (the batch interchange), nothing stored.

    With a single non-JSONL input file and no --output, print that one record as indented JSON.
    """
    collected: list[Article] = []
    _check_paths(inputs)
    single = output is None and len(inputs) == 1 and Path(inputs[0]).is_file() and not any(
        inputs[0].endswith(s) for s in (".jsonl", ".jsonl.gz"))
    tally = Tally()
    t0 = time.perf_counter()
    stack = contextlib.ExitStack()
    try:
        runner = _runner(stack, scheduler, workers)
    except EventwireError as e:
        stack.close()
        _error(e)
        raise typer.Exit(2) from e
    out: TextIO = sys.stdout if output in (None, "-") else open(output, "w", encoding="utf-8")  # noqa: SIM115
    try:
        with stack, _progress() as progress:
            task = progress.add_task("extracting", total=None)
            # read where the runner reads (here, or on the Dask workers from work units, as `ingest` does)
            for result in runner.run_paths(inputs, partial(_counted, tally=tally)):
                progress.advance(task)
                if isinstance(result, Skip):
                    tally.skipped[result.reason] += 1
                    continue
                tally.extracted += 1
                if stories:
                    collected.append(result)
                    continue
                record = result.to_dict()
                if single:
                    out.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
                else:
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
        if stories:
            from eventwire.aggregate.collection import analyze_collection

            collection = analyze_collection(collected)
            for article in collected:
                record = collection.annotate(article, article.to_dict())
                out.write(json.dumps(record, ensure_ascii=False, indent=2 if single else None) + "\n")
    except EventwireError as e:  # a Dask worker that cannot read the inputs, a lost scheduler
        _error(e)
        raise typer.Exit(2) from e
    finally:
        if out is not sys.stdout:
            out.close()
    _print_tally(tally, time.perf_counter() - t0)
    stats = runner.stats
    # Last stderr line, machine-readable: bench/throughput.py reads seconds_processing (model load excluded).
    print(json.dumps({"articles": stats.articles, "seconds_processing": round(stats.seconds_processing, 3),
                      "seconds_setup": round(stats.seconds_setup, 3), "workers": stats.workers,
                      "worker_crashes": stats.worker_crashes, **tally.as_dict()}), file=sys.stderr)
    raise typer.Exit(tally.exit_code())


_TYPE_STYLE = {"PERSON": "bold cyan", "ORG": "bold magenta", "GPE": "bold green", "LOC": "green",
               "NORP": "yellow", "FAC": "blue"}


def render_article(article: Article, console: Console) -> None:
    """Print an article with its metadata, highlighted evidence, entities, times and attributions."""
    head = Table.grid(padding=(0, 2))
    status = article.status + (f" ({article.skip_reason})" if article.skip_reason else "")
    for name, value in (("id", article.id), ("title", article.title), ("url", article.url),
                        ("published", article.published), ("updated", article.updated),
                        ("authors", ", ".join(article.authors)), ("language", article.language),
                        ("status", status),
                        ("captions", " | ".join(article.captions)), ("source", article.source)):
        if value:
            head.add_row(Text(name, style="dim"), Text(str(value)))
    console.print(head)
    body = Text(article.text)
    for entity in article.entities:
        style = _TYPE_STYLE.get(entity.type, "bold")
        for m in entity.mentions:
            body.stylize(style if m.kind == "name" else style.replace("bold ", "") + " underline",
                         m.span.start, m.span.end)
    for t in article.times:
        body.stylize("reverse", t.span.start, t.span.end)
    for a in article.attributions:
        for c in a.content:
            body.stylize("italic", c.start, c.end)
        if a.cue is not None:
            body.stylize("bold red", a.cue.start, a.cue.end)
        if a.source is not None:
            body.stylize("bold yellow", a.source.start, a.source.end)
    legend = "entities coloured by type, pronouns underlined, times reversed"
    if article.attributions:
        legend += "; attributions: source yellow, cue red, content italic"
    console.rule(f"text ({legend})")
    console.print(body)
    if article.entities:
        table = Table("id", "type", "name", "country", "mentions", title="entities")
        for e in article.entities:
            kinds = Counter(str(m.kind) for m in e.mentions)
            by_kind = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
            _row(table, e.id, e.type, e.name, e.country or "", f"{len(e.mentions)} ({by_kind})")
        console.print(table)
    if article.times:
        table = Table("id", "text", "type", "value", "precision", title="time expressions")
        for t in article.times:
            _row(table, t.id, t.span.text, t.type, t.value, t.precision)
        console.print(table)
    if article.attributions:
        names = {e.id: e.name for e in article.entities}
        table = Table("id", "kind", "source", "entity", "cue", "content", "factuality", "via",
                      title="attributions")
        for a in article.attributions:
            source = a.source.text if a.source else "—"
            if a.anonymous:
                source += " (anonymous)"
            content = " … ".join(c.text for c in a.content).replace("\n", " ")
            fact = str(a.factuality) + (f" ({', '.join(c.text for c in a.factuality_cues)})"
                                        if a.factuality_cues else "")
            _row(table, a.id, str(a.kind), source, names.get(a.source_entity or "", ""),
                          a.cue.text if a.cue else "—", content if len(content) <= 90 else content[:89] + "…",
                          fact, a.via or "")
        console.print(table)
    if article.events:
        _render_events(article, console)


def _render_events(article: Article, console: Console) -> None:
    """One row per event: type and mode, who did it to whom, when, where, how many, how sure."""
    def who(arg: EventArg | None) -> str:
        if arg is None:
            return "—"
        words = arg.span.text if arg.span is not None else (arg.name or "—")
        extra = ", ".join(x for x in (arg.country, arg.sector) if x)
        return words + (f" ({extra})" if extra else "")

    table = Table("id", "type", "trigger", "actor", "target", "date", "place", "counts", "factuality",
                  "conf", title="events")
    for e in article.events:
        date = "—" if e.date is None else e.date.value + (" (published)" if e.date.source == "published"
                                                          else f" ({e.date.precision})")
        place = "—" if e.place is None else (
            f"{e.place.span.text if e.place.span else e.place.name} ({e.place.precision})")
        counts = "; ".join(
            f"{q.kind} {_bounds(q.low, q.high)}{' ' + q.unit if q.unit else ''}" for q in e.quantities)
        fact = str(e.factuality) + (f" via {e.attribution}" if e.attribution else "")
        _row(table, e.id, e.type + (f"/{e.mode}" if e.mode else ""), e.trigger.text, who(e.actor),
                      who(e.target), date, place, counts or "—", fact, f"{e.confidence:.2f}")
    console.print(table)


def _bounds(low: float | None, high: float | None) -> str:
    def num(x: float | None) -> str:
        return "?" if x is None else f"{x:,.0f}"

    return num(low) if low == high else f"{num(low)}–{num(high)}"


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="Article id (or a unique prefix of ≥ 6 characters).")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print the stored record as JSON.")] = False,
) -> None:
    """Print one stored article with its entities, times, attributions and events, evidence highlighted."""
    from eventwire.store import open_store

    try:
        with open_store(db) as store:
            article = store.get(article_id)
            history = store.history(article.id) if article is not None else []
    except EventwireError as e:
        _error(e)
        raise typer.Exit(2) from e
    if article is None:
        _error(f"no article {article_id!r} in {settings.mask_url(db)} (list them with `eventwire summary`)")
        raise typer.Exit(1)
    if as_json:
        print(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))
    else:
        console = _stdout()
        render_article(article, console)
        _print_history(article.id, history, console)


def _print_history(article_id: str, history: list[dict[str, Any]], console: Console) -> None:
    """Whether this is a superseded version, and the versions of its source that came before."""
    this = next((h for h in history if h["article_id"] == article_id and h["change"] == "text"), None)
    if this is not None:
        console.print(f"superseded by {this['superseded_by']} (its source's text changed)", markup=False,
                      highlight=False)
    if history:
        table = Table("version", "replaced by", "when", "change",
                      title="earlier versions of its source (newest first)")
        for h in history:
            _row(table, h["article_id"], h["superseded_by"], str(h["superseded_at"])[:19], h["change"])
        console.print(table)


@app.command()
def summary(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(help="Articles to list.")] = 20,
) -> None:
    """Print what a database holds: counts, the latest articles, the most mentioned entities."""
    from eventwire.store import open_store

    console = _stdout()
    try:
        with open_store(db) as store:
            counts = store.counts()
            rows = store.list_articles(limit=limit)
            articles = [a for a in (store.get(r.id) for r in rows) if a is not None]
    except EventwireError as exc:
        _error(exc)
        raise typer.Exit(2) from exc
    console.print(" · ".join(f"{k} {v}" for k, v in counts.items()), markup=False, highlight=False)
    table = Table("id", "published", "title (or first words)", "status", "entities", "times",
                  title=f"articles in {escape(settings.mask_url(db))}")
    for a in articles:
        heading = (a.title or a.text.strip().split("\n", 1)[0]).strip()
        _row(table, a.id[:12], (a.published or "")[:16].replace("T", " "),
                      heading if len(heading) <= 60 else heading[:59] + "…",
                      a.status + (f" ({a.skip_reason})" if a.skip_reason else ""),
                      str(len(a.entities)), str(len(a.times)))
    console.print(table)
    top: Counter[tuple[str, str, str]] = Counter()
    for a in articles:
        for e in a.entities:
            top[(e.name, e.type, e.country or "")] += len(e.mentions)
    ents = Table("entity", "type", "country", "mentions", title="most mentioned entities")
    for (name, etype, country), n in top.most_common(15):
        _row(ents, name, etype, country, str(n))
    console.print(ents)
    times = Table("article", "text", "value", "type", title="time expressions (first 15)")
    for a in articles:
        for t in a.times:
            if times.row_count < 15:
                _row(times, a.id[:8], t.span.text, t.value, t.type)
    console.print(times)
    console.print("Open one with: eventwire show ID"
                  + (f" --db {settings.mask_url(db)}" if db != settings.get("db") else ""),
                  markup=False, highlight=False)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to bind (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    token: Annotated[str | None, typer.Option(
        "--token", envvar="EVENTWIRE_API_TOKEN", show_default=False,
        help="Bearer token that POST /api/articles requires; writing is disabled without one.")] = None,
    cors: Annotated[list[str] | None, typer.Option(
        "--cors", help="Browser origin allowed to call the API (repeatable; none by default).")] = None,
    workers: Annotated[int, typer.Option(
        "--workers", "-w", min=1, envvar="EVENTWIRE_SERVE_WORKERS",
        help="Server processes (one core each).")] = _default("serve_workers"),
) -> None:
    """Serve the web UI and the REST API (OpenAPI docs at /docs) over a database."""
    from eventwire.api.serve import run

    try:
        run(db, host=host, port=port, token=token, cors=cors or (), workers=workers,
            announce=lambda line: err.print(Text(line), soft_wrap=True))
    except EventwireError as e:
        _error(e)
        raise typer.Exit(2) from e


@app.command("export")
def export_cmd(
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv, parquet or gdelt (TSV).")] = "jsonl",
    what: Annotated[str, typer.Option("--what",
                                      help="events, attributions, articles or incidents.")] = "events",
    db: DbOption = DEFAULT_DB,
    type: Annotated[str | None, typer.Option("--type", help="PLOVER type, or attribution kind.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO3 of where events happened.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First day (YYYY[-MM[-DD]]).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last day (YYYY[-MM[-DD]]).")] = None,
    factuality: Annotated[str | None, typer.Option(help="asserted, reported, alleged, ...")] = None,
    site: Annotated[str | None, typer.Option(help="Only articles of this site.")] = None,
) -> None:
    """Export events (PLOVER JSON, CSV, Parquet, GDELT-shaped TSV), attributions or articles."""
    from eventwire.aggregate import ExportFilters, export
    from eventwire.store import open_store

    filters = ExportFilters(type=type, country=country, date_from=date_from, date_to=date_to,
                            factuality=factuality, site=site)
    t0 = time.perf_counter()
    try:
        with open_store(db) as store:
            n = export(store, fmt, out, kind=what, filters=filters)
    except EventwireError as e:
        _error(e)
        raise typer.Exit(2) from e
    err.print(f"wrote {n} {what} to {out} ({fmt}) in {time.perf_counter() - t0:.1f} s", markup=False,
              highlight=False)


@app.command("settings")
def show_settings() -> None:
    """List every setting with its value, default, allowed values and help (override with EVENTWIRE_<NAME>).

    Exits 2 when an override is wrong, after listing every setting (the wrong ones marked).
    """
    # values fold rather than end in "…": a database URL has no space to wrap at and was cut to its scheme
    table = Table("name", Column("value", overflow="fold"), Column("default", overflow="fold"), "allowed",
                  "help")
    problems: list[str] = []
    for s in settings.SETTINGS:
        try:
            value = settings.mask_url(settings.shown(settings.get(s.name)))
        except EventwireError as e:
            value = f"invalid: {settings.mask_url(os.environ.get(settings.env_name(s.name)) or '')!r}"
            problems.append(str(e))
        _row(table, s.name, value, settings.shown(s.default), settings.allowed(s), s.help)
    _stdout().print(table)
    for problem in problems:
        _error(problem)
    if problems:
        raise typer.Exit(2)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except EventwireError as e:
        _error(e)
        sys.exit(2)
