"""The gate in front of every write: the token first, then the size, and only then the body.

A pure ASGI middleware, so it runs before FastAPI reads (and parses) a body: a request without the right
token is refused from its headers, and a body over ``max_body`` bytes is refused as soon as its
Content-Length says so, or, when it is sent chunked, as soon as the bytes received pass the limit.  (Issue 9:
a 200 MB body without a token was read and parsed first, 401 after 2.2 s, the server at 1 GB RSS.)
The body of a request let through is handed on as received, so the app reads it as usual.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import error_response

__all__ = ["WriteGuard", "bearer_token"]

# Methods that never write: their bodies (if any) are never read by our routes.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header; None for anything else (no header, another
    scheme, a bare token, an empty one).  The scheme is case-insensitive (RFC 7235)."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def token_matches(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


class WriteGuard:
    """Refuses a write request (any method but GET, HEAD, OPTIONS) to one of ``routes`` unless the server has
    a token (403), the request carries it as ``Bearer`` (401), and its body is at most ``max_body`` bytes
    (413), in that order.  A request no route takes passes: the app answers 404 or 405 without reading it."""

    def __init__(self, app: ASGIApp, *, routes: Sequence[BaseRoute], token: str | None,
                 max_body: int) -> None:
        self.app = app
        self.routes = routes  # the app's own list: routes added later are guarded too
        self.token = token
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] in SAFE_METHODS
                or not any(r.matches(scope)[0] is Match.FULL for r in self.routes)):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if not self.token:
            await _refuse(scope, receive, send, 403, "writing is disabled: start the server with a token "
                          "(EVENTWIRE_API_TOKEN)", code="writes_disabled")
            return
        if not token_matches(bearer_token(headers.get("authorization")), self.token):
            await _refuse(scope, receive, send, 401, "missing or wrong bearer token "
                          "(send the header Authorization: Bearer <token>)", auth=True)
            return
        length = headers.get("content-length")
        if length is not None and (not length.strip().isdigit() or int(length) > self.max_body):
            status = 413 if length.strip().isdigit() else 400
            await _refuse(scope, receive, send, status, self._too_large() if status == 413 else
                          "Content-Length is not a number")
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away: nobody to answer
                return
            body += message.get("body", b"")
            if len(body) > self.max_body:
                await _refuse(scope, receive, send, 413, self._too_large())
                return
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(bytes(body), receive), send)

    def _too_large(self) -> str:
        return f"request body over {self.max_body:,} bytes (setting api_max_body)"


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the body already read, then waits on the connection as the original did."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, message: str, *,
                  code: str | None = None, auth: bool = False) -> None:
    headers = {"WWW-Authenticate": "Bearer"} if auth else {}
    # The body is left unread: the connection cannot carry another request after it.
    headers["Connection"] = "close"
    await error_response(status, message, code=code, headers=headers)(scope, receive, send)
