"""Write the hostile-input corpus of issue 9 into a folder, and print what a run over it must report.

    python scripts/make_hostile_corpus.py OUT_DIR [--empty-lines N]
    eventwire ingest OUT_DIR --db sqlite:///hostile.db     # exits 0; compare its counts with the printout

Every input is one a reader once failed on: lone surrogates, URLs that do not parse, a list as `url`, JSON
nested 100k deep, a truncated .warc.gz, a gzip of empty lines past max_lines, a FIFO, a link to /dev/zero,
mixed encodings, UTF-16 without BOM, Chinese, a non-date `published`, "[/]" in a path.  The files are
generated (nothing large is committed); tests/test_cli_hostile.py ingests the same corpus.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from eventwire.testing import write_hostile_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write (created; must not hold an earlier corpus)")
    parser.add_argument("--empty-lines", type=int, default=2_000_000,
                        help="empty lines in empty-lines.jsonl.gz; above max_lines (default 1M) it is a skip")
    args = parser.parse_args()
    corpus = write_hostile_corpus(args.out, empty_lines=args.empty_lines)
    print(json.dumps({"folder": str(corpus.folder), "files": len(corpus.files), "stored": corpus.stored,
                      "skipped": dict(sorted(corpus.skips.items()))}, ensure_ascii=False))


if __name__ == "__main__":
    main()
