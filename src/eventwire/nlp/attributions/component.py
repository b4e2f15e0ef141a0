"""The ``eventwire_attributions`` component: who said (or believed) what, according to whom, how surely.

Runs after "eventwire_entities" and "eventwire_times" and writes ``doc._.ew_attributions`` (a tuple of
:class:`model.Attribution`).  Stages, each a module of this package working on one article's
``state.ArticleState`` and each linear in the number of tokens (rules over the dependency parse first):

1. ``verbs``: cue verbs from the lexicon (``data/attribution_cues.tsv``) with a clause complement: the
   subject is the source, the complement the content ("Ruiz told reporters that ..."); "X, he said, Y"
   (parataxis) takes the head clause around the cue; "described X as “…”" takes the object when it holds a
   quotation; "is said to have demanded" (passive + infinitive) has no source and is alleged;
2. ``according``: "according to X": X is the source, the clause around it the content;
3. ``citing``: "citing X" under another cue: X is a second source of the same content, reported *via* the
   first;
4. ``quotations``: quotations (``quotes``) not inside any content: the nearest cue verb of their sentence,
   the sentence before when it ends in a colon, or a short next sentence (…,” he said.);
5. ``tagged``: role spans from a trained tagger, when one wrote ``doc.spans["attr_cue" / "attr_source" /
   "attr_content"]``: a predicted cue that no rule found becomes an attribution with the nearest predicted
   source and content of its sentence.

Then ``output.dedupe`` merges duplicates and ``rerank``, a trained ranker (``spans``, weights
``attributions/tagger/spans.npz``), re-chooses the boundaries of one-piece, non-quotation contents among
candidate pieces of the parse around the cue (on PolNeAR dev: exact 0.693 -> 0.724 of the contents it may
move).  ``factuality``: a content that is all quotation is *direct*, one that holds a quotation *mixed*;
factuality starts from the cue's class and is overridden by negation (denied), "reportedly"/passive
reporting (alleged), hedges and belief verbs (speculated) and "if" (conditional); the deciding words are
kept.  ``sources``: sources resolve to the entity whose mention covers their head word (pronouns and role
nominals included, through the entities layer), else a pronoun to the nearest person named before it.
Last, in the accurate profile, ``veto`` drops the attributions whose cue the encoder's role head does not
believe in (``cue_veto_p``), and the sources it does not believe in (``source_veto_p``).
Thresholds are the factory's ``default_config`` (``state.AttributionConfig``).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from eventwire import settings
from eventwire.model import Attribution, AttributionKind, CharSpan
from eventwire.nlp.attributions import (
    according,
    citing,
    factuality,
    output,
    quotations,
    rerank,
    sources,
    tagged,
    verbs,
    veto,
)
from eventwire.nlp.attributions import lexicon as lex
from eventwire.nlp.attributions.rerank import load_ranker
from eventwire.nlp.attributions.spans import QUOTE_REACH, SpanRanker
from eventwire.nlp.attributions.state import ArticleState, AttributionConfig
from eventwire.nlp.extensions import register_extensions

__all__ = ["AttributionFinder", "find_attributions", "make_attribution_finder"]

_DEFAULTS = AttributionConfig()


def find_attributions(doc: Doc, ranker: SpanRanker | None = None,
                      config: AttributionConfig = _DEFAULTS) -> tuple[Attribution, ...]:
    """Attributions of a parsed Doc whose entities are already resolved (see the module docstring);
    with ``ranker``, rule-found contents get their boundaries re-chosen."""
    if not len(doc):
        return ()
    return run(ArticleState(doc, config, ranker))


class AttributionFinder:
    """The pipeline component; reads the lexicons and the ranker when built, not on the first article.
    Holds only its configuration: each article's work lives in its own ``ArticleState``."""

    def __init__(self, rerank: bool | None = None, config: AttributionConfig = _DEFAULTS) -> None:
        register_extensions()
        lex.cues()
        lex.markers()
        if rerank is None:
            rerank = bool(settings.get("attribution_rerank"))
        self.ranker = load_ranker() if rerank else None
        self.config = config

    def __call__(self, doc: Doc) -> Doc:
        doc._.ew_attributions = find_attributions(doc, self.ranker, self.config)
        return doc


@Language.factory(
    "eventwire_attributions",
    assigns=["doc._.ew_attributions"],
    requires=["doc._.ew_entities", "token.dep", "token.lemma", "doc.sents"],
    default_config={"rerank_p": _DEFAULTS.rerank_p, "tagger_span_bonus": _DEFAULTS.tagger_span_bonus,
                    "tagger_edge_bonus": _DEFAULTS.tagger_edge_bonus, "quote_reach": QUOTE_REACH,
                    "min_quote_words": _DEFAULTS.min_quote_words, "pair_gap": _DEFAULTS.pair_gap,
                    "tag_sentence_tokens": _DEFAULTS.tag_sentence_tokens,
                    "pronoun_window": _DEFAULTS.pronoun_window, "cue_veto_p": _DEFAULTS.cue_veto_p,
                    "source_veto_p": _DEFAULTS.source_veto_p},
)
def make_attribution_finder(nlp: Language, name: str, rerank_p: float, tagger_span_bonus: float,
                            tagger_edge_bonus: float, quote_reach: int, min_quote_words: int, pair_gap: int,
                            tag_sentence_tokens: int, pronoun_window: int,
                            cue_veto_p: float, source_veto_p: float) -> AttributionFinder:
    """spaCy factory; whether the ranker runs at all is the ``attribution_rerank`` setting."""
    return AttributionFinder(config=AttributionConfig(
        rerank_p=rerank_p, tagger_span_bonus=tagger_span_bonus, tagger_edge_bonus=tagger_edge_bonus,
        quote_reach=quote_reach, min_quote_words=min_quote_words, pair_gap=pair_gap,
        tag_sentence_tokens=tag_sentence_tokens, pronoun_window=pronoun_window, cue_veto_p=cue_veto_p,
        source_veto_p=source_veto_p))


def run(st: ArticleState) -> tuple[Attribution, ...]:
    """The stages in order, then the output: ids in text order, sources resolved."""
    if st.parsed:
        verbs.verb_cues(st)
        according.according_to(st)
        citing.citing(st)
    quotations.labelled_lines(st)
    quotations.quotations(st)
    for a in st.attrs:
        a.content = sorted({c for c in a.content if c[0] < c[1]})
        factuality.kind(st, a)
    quotations.pair_quotes(st)
    used = {c for a in st.attrs for c in a.content}
    for q in st.orphans:
        if q not in used:
            o = quotations.orphan(st, q)
            # "“A,” Ruiz said. “B.”": a quotation whose speaker tag is the previous sentence's goes on
            # the attribution that tag already has
            prev = next((a for a in st.attrs if o.cue_tok is not None and a.cue_tok == o.cue_tok
                         and a.kind == AttributionKind.DIRECT
                         and a.content and a.content[-1][1] <= q[0]), None)
            if prev is not None:
                prev.content = sorted([*prev.content, q])
                continue
            st.attrs.append(o)
    # the tagger only fills gaps the rules left: its spans were exact less often on dev
    n = len(st.attrs)
    tagged.model_spans(st)
    for a in st.attrs[n:]:
        a.content = sorted({c for c in a.content if c[0] < c[1]})
        factuality.kind(st, a)
    output.dedupe(st)
    rerank.rerank(st)
    for a in st.attrs:
        factuality.factuality(st, a)
    dropped = veto.vetoed(st)
    veto.drop_doubted_sources(st)
    # a dropped attribution's id is never given: one "via" it loses its link (ids.get below)
    order = sorted((k for k in range(len(st.attrs)) if k not in dropped),
                   key=lambda k: (st.attrs[k].content[0][0], st.attrs[k].cue or (0, 0)))
    ids = {k: f"A{n}" for n, k in enumerate(order, start=1)}
    text = st.text
    out = []
    for k in order:
        a = st.attrs[k]
        entity = sources.entity_of(st, a)
        anonymous = sources.anonymous(st, a, entity)
        source = CharSpan.of(text, *a.source) if a.source else None
        out.append(Attribution(
            id=ids[k], kind=a.kind, content=tuple(CharSpan.of(text, s, e) for s, e in a.content),
            source=source, cue=CharSpan.of(text, *a.cue) if a.cue else None, source_entity=entity,
            anonymous=anonymous, anonymous_description=source.text if anonymous and source else None,
            factuality=a.factuality,
            factuality_cues=tuple(CharSpan.of(text, s, e) for s, e in sorted(set(a.fact_cues))),
            via=ids.get(a.via) if a.via is not None else None, sentence=st.sent(a.content[0][0]),
            confidence=a.confidence,
        ))
    return tuple(out)
