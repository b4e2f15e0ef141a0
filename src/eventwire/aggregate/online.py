"""Stories, copies, flags and incidents kept up to date as ``eventwire ingest`` stores articles.

Per stored article, in one write transaction: its MinHash bands find earlier copies of its text (confirmed by
the exact Jaccard of the shingles, as duplicates.py does in memory); a copy joins its original's story,
anything else is assigned online (stories.OnlineStories over store/stories.SqlStoryBackend); its consistency
flags are written.  An article that supersedes an earlier text of its source (``put`` answered "new-version"
and moved that text to ``article_versions``) first takes the earlier one out of its story, in the same
transaction: its vector and document counts, its copy bands, flags and incident reports go, its copies point
at the new version, and its story counts among those the run touched.  The incidents of the stories a run
touched are rebuilt once, at the end of the run (:meth:`StoryKeeper.finish`), from the story's
``incident_articles`` most recent articles: incidents compare events across articles, which is per story
work, not per article.  ``eventwire recluster`` rebuilds all of it from scratch (with the collection's
document frequencies and refinement).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field, replace

from sqlalchemy import Connection, delete, select

from ..model import Article, Flag
from ..store import SqlStore
from ..store.stories import (
    SqlStoryBackend,
    StoryVersion,
    add_bands,
    band_matches,
    forget_article,
    replace_flags,
    replace_incidents,
    story_article_ids,
    superseded_members,
)
from ..store.tables import STORY_TABLES, article_stories, articles, events
from .collection import analyze_collection
from .duplicates import DuplicateOptions, jaccard, minhash_bands, shingles
from .flags import article_flags
from .incidents import build_incidents
from .stories import OnlineStories, StoryOptions

__all__ = ["Assignment", "StoryKeeper", "recluster"]


@dataclass(frozen=True)
class Assignment:
    story_id: str
    duplicate_of: str | None
    flags: tuple[Flag, ...]


@dataclass
class StoryKeeper:
    """Assigns each stored article (:meth:`add`), then rebuilds the touched stories' incidents
    (:meth:`finish`)."""

    store: SqlStore
    options: StoryOptions = field(default_factory=StoryOptions)
    duplicates: DuplicateOptions = field(default_factory=DuplicateOptions)
    incident_articles: int = 200  # a story's most recent articles its incidents are rebuilt from
    touched: set[str] = field(default_factory=set)
    # What incidents need of the articles added since the last finish (their events, attributions, outlet):
    # reading them back with Store.get cost 10 ms each, a third of this layer's cost in an ingest run.
    _seen: dict[str, Article] = field(default_factory=dict)
    # The term sums of the stories this process wrote last (most recent last), with the version of the
    # story's row they belong to: the next article of a hot story skips re-reading its ~600 rows and writes
    # only those that change.  256 stories of ~600 terms are ~15 MB; a story written by anyone else since
    # (another ingest process) has another version and is read from the store.
    story_cache: int = 256
    _sums: OrderedDict[str, tuple[StoryVersion, dict[str, float]]] = field(default_factory=OrderedDict)

    def _backend(self, conn: Connection) -> SqlStoryBackend:
        return SqlStoryBackend(conn, self._sums)

    def _keep(self, backend: SqlStoryBackend) -> None:
        """After its transaction committed: what ``backend`` wrote becomes the cache (never before: a rolled
        back write must not be trusted)."""
        for sid, entry in backend.written.items():
            self._sums.pop(sid, None)
            if entry is not None and self.story_cache > 0:
                self._sums[sid] = entry
        while len(self._sums) > self.story_cache:
            self._sums.popitem(last=False)

    def _original(self, conn: Connection, article: Article, bands: list[tuple[int, str]]) -> str | None:
        grams: set[str] | None = None  # only an article with a candidate copy needs its shingles
        for other in band_matches(conn, bands):
            if other == article.id:
                continue
            if grams is None:
                grams = shingles(article.text, self.duplicates.shingle)
            row = conn.execute(select(articles.c.text, article_stories.c.duplicate_of)
                               .join(article_stories, article_stories.c.article_id == articles.c.id,
                                     isouter=True)
                               .where(articles.c.id == other)).first()
            if row is None:  # a superseded version: its text is no longer a current article
                continue
            if jaccard(grams, shingles(row[0], self.duplicates.shingle)) >= self.duplicates.threshold:
                return str(row[1] or other)
        return None

    def add(self, article: Article) -> Assignment:
        """Assign one stored article to a story (a copy: its original's), store its bands and flags."""
        flags = tuple(article_flags(article))
        bands = minhash_bands(article.text, self.duplicates)
        with self.store.transaction() as conn:
            forgotten = self._forget_superseded(conn, article)
            original = self._original(conn, article, bands)
            story_of_original = None
            if original is not None:
                story_of_original = conn.execute(select(article_stories.c.story_id)
                                                 .where(article_stories.c.article_id == original)).scalar()
            backend = self._backend(conn)
            sid = OnlineStories(backend, self.options).add(
                article, duplicate_of=original, story_id=story_of_original)
            add_bands(conn, article.id, bands)
            replace_flags(conn, article.id, flags)
        for used in (*forgotten, backend):
            self._keep(used)
        self.touched.add(sid)
        if article.events:
            self._seen[article.id] = replace(article, text="", sentences=(), entities=(), times=())
        return Assignment(story_id=sid, duplicate_of=original, flags=flags)

    def forget_superseded(self, article: Article) -> None:
        """Only take the earlier texts of ``article``'s source out of their stories: for a new version stored
        without analysis, which gets no story of its own."""
        with self.store.transaction() as conn:
            forgotten = self._forget_superseded(conn, article)
        for used in forgotten:
            self._keep(used)

    def _forget_superseded(self, conn: Connection, article: Article) -> list[SqlStoryBackend]:
        """The earlier texts of ``article``'s source (``put`` moved them to the history) leave their stories:
        their vectors, counts, copy bands, flags and incident reports; their stories' incidents are rebuilt
        at :meth:`finish`, with the rest of the run's.  The backends used, for :meth:`_keep`."""
        used = []
        for story_id, old in superseded_members(conn, article):
            backend = self._backend(conn)
            OnlineStories(backend, self.options).remove(old, story_id)
            forget_article(conn, old.id, superseded_by=article.id)
            self._seen.pop(old.id, None)
            self.touched.add(story_id)
            used.append(backend)
        return used

    def finish(self) -> int:
        """Rebuild the incidents of every story touched since the last call; the number of incidents."""
        total = 0
        for sid in sorted(self.touched):
            with self.store.engine.connect() as conn:
                ids = story_article_ids(conn, sid, limit=self.incident_articles)
                copies = {a: d for a, d in conn.execute(
                    select(article_stories.c.article_id, article_stories.c.duplicate_of)
                    .where(article_stories.c.article_id.in_(ids),
                           article_stories.c.duplicate_of.is_not(None)))}
            arts = [a for a in (self._seen.get(i) or self._with_events(i) for i in ids) if a is not None]
            found = build_incidents(arts, {a.id: sid for a in arts}, copies=copies)
            with self.store.transaction() as conn:
                replace_incidents(conn, sid, found)
            total += len(found)
        self.touched.clear()
        self._seen.clear()
        return total

    def _with_events(self, article_id: str) -> Article | None:
        """A stored article of an earlier run, read back only when it has events (an incident needs them)."""
        with self.store.engine.connect() as conn:
            has = conn.execute(select(events.c.id).where(events.c.article_id == article_id).limit(1)).first()
        if has is None:
            return None
        article = self.store.get(article_id)
        return article if article is not None and article.id == article_id else None


def recluster(store: SqlStore, *, batch: int = 500) -> tuple[int, int]:
    """Rebuild every story, copy, flag and incident of the store from scratch, as ``extract --stories`` does
    for one collection; (articles, stories)."""
    with store.engine.connect() as conn:
        ids = list(conn.execute(select(articles.c.id)
                                .order_by(articles.c.published, articles.c.id)).scalars())
    arts = [a for a in (store.get(i) for i in ids) if a is not None]
    collection = analyze_collection(arts)
    keeper = StoryKeeper(store)
    with store.transaction() as conn:
        for table in STORY_TABLES:
            conn.execute(delete(table))
    # the online tables are refilled in the collection's order with its stories fixed, so ingest can go on
    # from them; the collection's refinement decided which story each article is in
    order = sorted(arts, key=lambda a: (a.published or "9999", a.id))
    for start in range(0, len(order), batch):
        for article in order[start:start + batch]:
            with store.transaction() as conn:
                OnlineStories(SqlStoryBackend(conn), keeper.options).add(
                    article, duplicate_of=collection.copies.get(article.id),
                    story_id=collection.stories[article.id])
                add_bands(conn, article.id, minhash_bands(article.text, keeper.duplicates))
                replace_flags(conn, article.id, collection.flags.get(article.id, ()))
    by_story: dict[str, list[str]] = {}
    for article_id, sid in collection.stories.items():
        by_story.setdefault(sid, []).append(article_id)
    with store.transaction() as conn:
        for sid in by_story:
            replace_incidents(conn, sid, [i for i in collection.incidents if i.story_id == sid])
    return len(arts), len(by_story)
