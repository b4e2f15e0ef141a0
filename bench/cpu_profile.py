"""CPU milliseconds per article for each step of ``eventwire extract``, measured in one process.

    python bench/cpu_profile.py [--articles 200] [--seed 0] [--batch 16] [--json OUT]

``time.process_time`` (this process's CPU, not wall time) around each step, so other work sharing the cores
hardly moves the numbers.  Worker side: language detection + make_doc, every pipeline component run on a
batch of ``--batch`` docs (``LocalRunner``'s chunk size), ``doc_parts``, pickling the results.  Parent side:
reading the JSONL, unpickling the results, ``to_dict`` and ``json.dumps``.  Compare with the bare spaCy
components (tok2vec ... ner) printed in the same table.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

from eventwire.model import Article, ArticleInput, Skip
from eventwire.nlp.analyzer import Analyzer
from eventwire.nlp.build import load_pipeline
from eventwire.nlp.convert import doc_parts
from eventwire.readers import read_paths

# spaCy's own components: their sum is what bare spaCy spends (the bench's denominator)
SPACY_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


def profile(path: Path, batch: int, warmup: int, stock: bool = False) -> tuple[dict[str, float], int]:
    cpu: dict[str, float] = defaultdict(float)
    t = time.process_time()
    items = [x for x in read_paths([path]) if isinstance(x, ArticleInput)]
    cpu["parent: read"] += time.process_time() - t
    # the first read loads the language model (~0.7 s): count the steady cost, as in a long run
    t = time.process_time()
    items = [x for x in read_paths([path]) if isinstance(x, ArticleInput)]
    cpu["parent: read"] = time.process_time() - t
    # --stock: the pipeline as spaCy loads it, without Analyzer.setup's numpy-BLAS ops (nlp.fastops)
    analyzer = Analyzer(nlp=load_pipeline()) if stock else Analyzer()
    nlp = analyzer.setup()
    analyzer.analyze(items[:warmup])  # lazy imports, first-call caches
    for start in range(0, len(items), batch):
        chunk = items[start:start + batch]
        t = time.process_time()
        wire = pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL)
        chunk = pickle.loads(wire)
        cpu["IPC: inputs"] += time.process_time() - t
        t = time.process_time()
        docs = []
        for item in chunk:
            language = item.language or analyzer._detect(item.text)
            assert language in (None, "en")
            doc = nlp.make_doc(item.text[: analyzer.max_chars])
            doc._.ew_published = item.published
            docs.append(doc)
        cpu["worker: language + make_doc"] += time.process_time() - t
        for name, proc in nlp.pipeline:
            t = time.process_time()
            docs = list(proc.pipe(docs, batch_size=analyzer.batch_size)) if hasattr(proc, "pipe") \
                else [proc(d) for d in docs]
            cpu[name] += time.process_time() - t
        t = time.process_time()
        results: list[Article | Skip] = []
        for item, doc in zip(chunk, docs, strict=True):
            base = Article(id="x", content_hash="x", text=item.text, source=item.source)
            parts = doc_parts(doc)
            results.append(replace(base, sentences=parts.sentences, entities=parts.entities,
                                   times=parts.times, attributions=parts.attributions))
        cpu["worker: doc_parts"] += time.process_time() - t
        t = time.process_time()
        wire = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
        cpu["IPC: pickle results"] += time.process_time() - t
        t = time.process_time()
        results = pickle.loads(wire)
        cpu["parent: unpickle results"] += time.process_time() - t
        t = time.process_time()
        for r in results:
            assert isinstance(r, Article)
            json.dumps(r.to_dict(), ensure_ascii=False)
        cpu["parent: to_dict + json"] += time.process_time() - t
    return cpu, len(items)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=8)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--stock", action="store_true", help="spaCy's own blis matrix products")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        words = corpus.write_jsonl(path, args.articles, seed=args.seed)
        cpu, n = profile(path, args.batch, args.warmup, args.stock)
    ms = {k: 1000 * v / n for k, v in cpu.items()}
    bare = sum(v for k, v in ms.items() if k in SPACY_PIPES)
    total = sum(ms.values())
    for k, v in ms.items():
        print(f"{k:<34}{v:8.2f} ms")
    print(f"{'bare spaCy components':<34}{bare:8.2f} ms")
    print(f"{'everything':<34}{total:8.2f} ms   ratio bare/everything {bare / total:.3f}")
    print(f"({n} articles, {words / n:.0f} words each)")
    if args.json:
        summary = {"ms_per_article": ms, "bare": bare, "total": total}
        args.json.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
