"""Running the app: ``eventwire serve`` in one process or several.

One Python process answers on one core (the GIL), so ``workers`` > 1 runs uvicorn's supervisor with that
many server processes sharing the listening socket.  uvicorn starts each worker from an import string, so
the app is built there by :func:`app_from_env` from the options the parent put in the environment
(``EVENTWIRE_SERVE_CONFIG``, JSON); the parent opens the database once first, so a bad URL is a usage error
and migrations run once, not in every worker at once.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI

from ..settings import mask_url
from ..store import open_store
from .app import create_app

__all__ = ["CONFIG_ENV", "FairAcceptLoop", "app_from_env", "banner", "run"]

CONFIG_ENV = "EVENTWIRE_SERVE_CONFIG"
FACTORY = "eventwire.api.serve:app_from_env"
# uvicorn's ``loop`` option as an import string: the class it calls for each process's event loop
# (uvicorn >= 0.36)
LOOP = "eventwire.api.serve:FairAcceptLoop"


class FairAcceptLoop(asyncio.SelectorEventLoop):
    """asyncio's loop, where a server process that holds more connections takes a new one later.

    The server processes share one listening socket and a kept-alive connection stays with the process that
    accepted it.  asyncio's loop takes every queued connection at once, so a burst of connections went
    to whichever process woke first: the load benchmark's 20 connections all went to one process in 8
    of 18 runs (<= 0.1 and 19.6-28.7 CPU seconds), the other core idle; here the two processes' CPU
    seconds were within 1 s of each other in each of 25 runs.
    Here a process takes one connection per wake-up and then waits ``ACCEPT_DELAY`` for each connection it
    holds before it takes the next, so the other process, holding fewer, takes its turn even when it is
    scheduled late on a busy machine."""

    # 2 ms per held connection: 20 connections arriving at once are all taken within ~0.2 s
    ACCEPT_DELAY = 0.002

    def _accept_connection(self, *args: Any) -> None:
        # asyncio's reader callback (protocol_factory, sock, sslcontext, server, backlog, ...), which takes
        # up to ``backlog`` queued connections in a loop: 1 here
        super()._accept_connection(*args[:4], 1, *args[5:])  # type: ignore[misc]
        sock = args[1]
        # this loop's open connections (the one just taken gets its transport on the next pass)
        held = len(self._transports) + 1  # type: ignore[attr-defined]
        if sock.fileno() != -1:
            self._remove_reader(sock.fileno())  # type: ignore[attr-defined]
            self.call_later(held * self.ACCEPT_DELAY, self._resume_accepting, args)

    def _resume_accepting(self, args: tuple[Any, ...]) -> None:
        sock = args[1]
        if sock.fileno() != -1:  # not closed meanwhile (the server stopping)
            self._add_reader(sock.fileno(), self._accept_connection, *args)  # type: ignore[attr-defined]


def banner(db: str, *, host: str, port: int, token: str | None, workers: int) -> str:
    """The line ``eventwire serve`` prints on start: the address bound and the database, its password
    masked."""
    # the address bound, not "localhost": a browser may resolve that to ::1 first, where nothing listens
    shown = f"[{host}]" if ":" in host else host
    procs = f"; {workers} processes" if workers > 1 else ""
    return (f"eventwire: serving {mask_url(db)} on http://{shown}:{port}/ (API docs /docs; writes "
            f"{'need the token' if token else 'disabled'}{procs}); Ctrl-C stops")


def app_from_env() -> FastAPI:
    """The app a uvicorn worker serves, from the options in ``EVENTWIRE_SERVE_CONFIG``."""
    config: dict[str, Any] = json.loads(os.environ[CONFIG_ENV])
    return create_app(config["db"], token=config.get("token"), cors_origins=config.get("cors") or (),
                      shared_cache=config.get("shared_cache"))


def run(db: str, *, host: str, port: int, token: str | None, cors: Sequence[str] = (), workers: int = 1,
        announce: Callable[[str], None] = print) -> None:
    """Serve until interrupted; raises StoreError (before binding) when ``db`` cannot be opened.
    ``announce`` gets the :func:`banner` line once the database is open."""
    import uvicorn

    line = banner(db, host=host, port=port, token=token, workers=workers)
    if workers <= 1:
        api = create_app(db, token=token, cors_origins=cors)
        announce(line)
        uvicorn.run(api, host=host, port=port, log_level="warning")
        return
    open_store(db).close()  # fail here, once, on a bad URL; migrate here, once
    announce(line)
    # The workers are this process's children: the token reaches them through the environment, as
    # EVENTWIRE_API_TOKEN usually does, and no further.
    # The workers share what they computed through one cache file (api/cache.py), removed when they stop.
    shared = tempfile.mkdtemp(prefix="eventwire-serve-")
    os.environ[CONFIG_ENV] = json.dumps({"db": db, "token": token, "cors": list(cors),
                                         "shared_cache": os.path.join(shared, "cache.db")})
    try:
        uvicorn.run(FACTORY, factory=True, workers=workers, host=host, port=port, log_level="warning",
                    loop=LOOP)
    finally:
        shutil.rmtree(shared, ignore_errors=True)
