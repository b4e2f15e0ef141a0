"""The analysis step: ArticleInput batches in, Articles out.  Loads spaCy once (``setup``) per worker.

The step does not know whether it runs in-process, in a process pool or on a cluster (runners/ decide).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc

from eventwire import settings
from eventwire.model import AnalysisStatus, Article, ArticleInput, Skip, content_hash
from eventwire.nlp.build import load_pipeline
from eventwire.nlp.convert import doc_parts
from eventwire.nlp.fastlemma import accelerate_lemmatizer
from eventwire.nlp.fastner import accelerate_ner
from eventwire.nlp.fastops import accelerate, one_blas_thread
from eventwire.nlp.fastrules import accelerate_attribute_ruler
from eventwire.readers.language import CONFIDENT, detect_language

__all__ = ["Analyzer", "AnalyzerOptions"]

log = logging.getLogger(__name__)

# py3langid on < 40 characters is a coin toss (a headline-only record); below that we trust the caller.
_MIN_CHARS_FOR_LANGUAGE = 40


@dataclass(frozen=True, slots=True)
class AnalyzerOptions:
    model: str | None = None
    languages: tuple[str, ...] = ()  # empty = the "languages" setting
    max_chars: int = 0  # 0 = the "max_chars" setting
    batch_size: int = 0  # 0 = the "batch_size" setting


class Analyzer:
    """Turns ArticleInputs into analysed Articles; non-English ones become stored-but-skipped Articles."""

    def __init__(self, options: AnalyzerOptions | None = None, *, nlp: Language | None = None) -> None:
        self.options = options or AnalyzerOptions()
        self.languages = self.options.languages or tuple(
            x.strip() for x in str(settings.get("languages")).split(",") if x.strip())
        self.max_chars = self.options.max_chars or int(settings.get("max_chars"))
        self.batch_size = self.options.batch_size or int(settings.get("batch_size"))
        self._nlp = nlp

    def setup(self) -> Language:
        """Load the pipeline (once), its matrix products on numpy's BLAS in this thread (see ``fastops``:
        the same annotations in ~60% of the CPU time of stock en_core_web_sm), its attribute ruler's
        matches found with array comparisons (``fastrules``), its lemmas remembered (``fastlemma``) and its
        entity recogniser's decoding done in numpy (``fastner``)."""
        if self._nlp is None:
            nlp = load_pipeline(self.options.model)
            accelerate(nlp)
            accelerate_ner(nlp)  # the same entities, its transition loop in numpy (fastner)
            accelerate_attribute_ruler(nlp)  # the same matches as spaCy's Matcher, ~5x faster (fastrules)
            accelerate_lemmatizer(nlp)  # the same lemmas, each form worked out once (fastlemma)
            one_blas_thread()
            self._nlp = nlp
            # The loaded pipeline is ~145k objects that live as long as the worker.  Each article makes
            # thousands of short-lived ones (Tokens, Spans, feature strings), and Python's cyclic collector
            # walked the pipeline's objects on each of its full collections: 1.7 ms CPU per 731-word
            # article (of ~40 ms for our layers; bench/cpu_profile.py corpus, 2-core AMD EPYC).  Frozen,
            # the collector skips them.
            gc.collect()
            gc.freeze()
        return self._nlp

    def analyze(self, inputs: Sequence[ArticleInput]) -> list[Article | Skip]:
        """Analyse a batch; the result is in input order, one item per input."""
        nlp = self.setup()
        out: list[Article | Skip | None] = [None] * len(inputs)
        todo: list[tuple[int, Doc]] = []
        for i, item in enumerate(inputs):
            # Readers already ran the detector (metadata "language_detected"); only bare inputs need it.
            detected = "language_detected" in item.metadata
            language = item.language or (None if detected else self._detect(item.text))
            if language is not None and language not in self.languages:
                out[i] = _article(item, language=language, status=AnalysisStatus.SKIPPED,
                                  skip_reason=f"language {language} not supported yet")
                continue
            doc = nlp.make_doc(item.text[: self.max_chars])
            doc._.ew_published = item.published
            order = item.metadata.get("date_order")  # readers/dates.py: the article's own evidence first
            doc._.ew_date_order = order if order in ("DMY", "MDY") else None
            todo.append((i, doc))
            out[i] = _article(item, language=language or "en", analysed_chars=len(doc.text))
        for (i, _), result in zip(todo, self._pipe(nlp, [d for _, d in todo]), strict=True):
            base = out[i]
            assert isinstance(base, Article)
            if isinstance(result, str):
                out[i] = Skip(base.source, "analysis-error", result)
                continue
            parts = doc_parts(result)
            out[i] = replace(base, sentences=parts.sentences, entities=parts.entities, times=parts.times,
                             attributions=parts.attributions, events=parts.events)
        return [x for x in out if x is not None]

    def _detect(self, text: str) -> str | None:
        if len(text.strip()) < _MIN_CHARS_FOR_LANGUAGE:
            return None
        language, confidence = detect_language(text)
        # Below 0.90 we do not overrule English: mixed or list-like pages score ~0.5-0.8.
        return language if confidence >= CONFIDENT else None

    def _pipe(self, nlp: Language, docs: list[Doc]) -> Iterable[Doc | str]:
        """Run the pipeline; if a batch fails, retry its docs one by one so one bad doc costs only itself."""
        try:
            yield from list(nlp.pipe(docs, batch_size=self.batch_size))
            return
        except Exception as e:
            log.warning("batch of %d failed (%s); retrying one by one", len(docs), e)
        for doc in docs:
            try:
                yield nlp(doc)
            except Exception as e:
                yield f"{type(e).__name__}: {e}"


def _article(item: ArticleInput, *, language: str | None, analysed_chars: int | None = None,
             status: AnalysisStatus = AnalysisStatus.ANALYZED, skip_reason: str | None = None) -> Article:
    digest = content_hash(item.text)
    metadata = dict(item.metadata)
    if analysed_chars is not None and analysed_chars < len(item.text):
        metadata["analysed_chars"] = analysed_chars  # the stored text is whole; spans cover this prefix
    return Article(
        id=digest[:16], content_hash=digest, text=item.text, source=item.source, input_id=item.id,
        title=item.title, url=item.url, site=item.site, authors=item.authors, published=item.published,
        updated=item.updated, language=language, captions=item.captions, metadata=metadata, status=status,
        skip_reason=skip_reason,
    )
