"""Seconds to analyse one quote-dense article of growing size: attribution analysis must grow linearly.

    python bench/quote_density.py [--sizes 10000,20000,40000,80000] [--profile N]

Each article is invented text that is nearly all quotation (see ``article``); the run-on shape is what made
attribution analysis quadratic (issue 9: 10k characters 2.7 s, 40k 29 s).  Prints CPU seconds
(``time.process_time``: the machine may be shared) for the whole pipeline and for the attributions component
alone (from ``nlp.select_pipes``); asserts nothing.  ``--profile N`` prints cProfile's top functions of the
attributions component at N characters.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import time

from eventwire.nlp.build import load_pipeline
from eventwire.nlp.fastops import accelerate, one_blas_thread

_NAMES = ("Ana Ruiz", "Tomas Berg", "Lena Okafor", "Marek Holt", "Sara Lindqvist", "Omar Haddad")
_PRONOUNS = ("she", "he", "she", "he", "she", "he")
_CUES = ("said", "told reporters", "added", "warned", "insisted", "explained")
_CLAUSES = ("the talks will resume next week", "nobody expected the ceasefire to hold this long",
            "we have asked the ministry for an answer", "the budget leaves the northern towns without help",
            "our members will not accept another delay", "the inspectors found no trace of the shipment",
            "this is the last offer we can make", "the vote was a warning to every party in the coalition")


def article(chars: int, shape: str = "run-on", seed: int = 0) -> str:
    """Invented quote-dense text of ``chars`` characters.

    ``sentences``: paragraphs of quotations with speaker tags ('“…,” Ana Ruiz said. “…”').  ``run-on``: the
    same without a full stop ('“…,” Ana Ruiz said, “…,” he added, …'), which the parser reads as one
    sentence: the worst case, every cue's sentence is the whole text."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < chars:
        k = rng.randrange(len(_NAMES))
        a, b = rng.sample(_CLAUSES, 2)
        if shape == "run-on":
            part = f"“{a},” {rng.choice((_NAMES[k], _PRONOUNS[k]))} {rng.choice(_CUES)}, that “{b}” and "
        else:
            part = (f"“{a[0].upper()}{a[1:]},” {_NAMES[k]} {rng.choice(_CUES)}. “{b[0].upper()}{b[1:]}.” "
                    f"Later {_PRONOUNS[k]} said: “{rng.choice(_CLAUSES).capitalize()}.”\n\n")
        parts.append(part)
        size += len(part)
    return "".join(parts)[:chars]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,20000,40000,80000")
    ap.add_argument("--shapes", default="run-on,sentences")
    ap.add_argument("--profile", type=int, default=0)
    args = ap.parse_args()
    nlp = load_pipeline()
    accelerate(nlp)
    one_blas_thread()
    nlp("Ana Ruiz said: “We warm the pipeline up first.”")
    print(f"{'shape':<10} {'chars':>8} {'pipeline s':>11} {'attributions s':>15}")
    for shape in args.shapes.split(","):
        for size in (int(x) for x in args.sizes.split(",")):
            text = article(size, shape)
            t0 = time.process_time()
            doc = nlp(text)
            total = time.process_time() - t0
            with nlp.select_pipes(enable=[p for p in nlp.pipe_names if p != "eventwire_attributions"]):
                bare = nlp(text)
            attributions = nlp.get_pipe("eventwire_attributions")
            t0 = time.process_time()
            attributions(bare)
            own = time.process_time() - t0
            found = len(doc._.ew_attributions)
            print(f"{shape:<10} {size:>8} {total:>11.2f} {own:>15.2f}  ({found} attributions)", flush=True)
    if args.profile:
        with nlp.select_pipes(enable=[p for p in nlp.pipe_names if p != "eventwire_attributions"]):
            bare = nlp(article(args.profile, args.shapes.split(",")[0]))
        prof = cProfile.Profile()
        prof.runcall(nlp.get_pipe("eventwire_attributions"), bare)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
