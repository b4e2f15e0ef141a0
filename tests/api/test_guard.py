"""Writes are checked before their body is read: the token first (Bearer only), then the size (413)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from api_factory import TOKEN
from fastapi import FastAPI
from fastapi.testclient import TestClient

from eventwire.api import create_app
from eventwire.api.guard import bearer_token
from eventwire.runners.local import LocalRunner
from eventwire.store import SqlStore
from eventwire.testing import EchoStep

LIMIT = 1_000


class Upload:
    """An ASGI ``receive`` sending ``chunks`` of ``size`` bytes, counting how many the app asked for."""

    def __init__(self, chunks: int, size: int = 400) -> None:
        self.left = chunks
        self.size = size
        self.read = 0

    async def __call__(self) -> dict[str, Any]:
        if self.left == 0:
            await asyncio.sleep(3600)  # a client that sent everything waits for the answer
        self.read += 1
        self.left -= 1
        return {"type": "http.request", "body": b"x" * self.size, "more_body": self.left > 0}


def call(app: FastAPI, headers: dict[str, str], upload: Upload) -> tuple[int, dict[str, str], Any]:
    """POST /api/articles straight through ASGI: (status, headers, JSON body)."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/api/articles", "raw_path": b"/api/articles", "query_string": b"",
             "root_path": "", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(asyncio.wait_for(app(scope, upload, send), 10))
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, json.loads(body)


@pytest.fixture(scope="module")
def guarded(store: SqlStore) -> FastAPI:
    return create_app(store=store, token=TOKEN, max_body=LIMIT,
                      runner=LocalRunner(step_factory=EchoStep))


def test_no_token_is_refused_before_the_body_is_read(guarded: FastAPI) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
                    {"Authorization": f"Basic {TOKEN}"}, {"Authorization": f"Token {TOKEN}"},
                    {"Authorization": "Bearer"}):
        upload = Upload(chunks=500_000)  # 200 MB, were it read
        status, got, body = call(guarded, {"Content-Length": str(200_000_000), **headers}, upload)
        assert (status, body["error"]["code"]) == (401, "unauthorized"), headers
        assert upload.read == 0 and got["www-authenticate"] == "Bearer"


def test_writes_disabled_is_refused_before_the_body_is_read(store: SqlStore) -> None:
    upload = Upload(chunks=10)
    status, _, body = call(create_app(store=store), {"Authorization": f"Bearer {TOKEN}"}, upload)
    assert (status, body["error"]["code"], upload.read) == (403, "writes_disabled", 0)


def test_a_body_over_the_limit_is_refused_from_its_content_length(guarded: FastAPI) -> None:
    upload = Upload(chunks=3)
    status, _, body = call(guarded, {"Authorization": f"Bearer {TOKEN}", "Content-Length": str(LIMIT + 1)},
                           upload)
    assert (status, body["error"]["code"], upload.read) == (413, "too_large", 0)
    assert "api_max_body" in body["error"]["message"]


def test_a_chunked_body_is_refused_once_it_passes_the_limit(guarded: FastAPI) -> None:
    upload = Upload(chunks=500_000)  # no Content-Length: counted as it arrives
    status, _, body = call(guarded, {"Authorization": f"Bearer {TOKEN}"}, upload)
    assert (status, body["error"]["code"]) == (413, "too_large")
    assert upload.read == LIMIT // upload.size + 1  # stopped at the first chunk past the limit


def test_a_bad_content_length_is_a_bad_request(guarded: FastAPI) -> None:
    status, _, body = call(guarded, {"Authorization": f"Bearer {TOKEN}", "Content-Length": "12x"}, Upload(1))
    assert status == 400 and body["error"]["code"] == "bad_request"


def test_a_body_within_the_limit_reaches_the_route(store: SqlStore) -> None:
    app = create_app(store=store, token=TOKEN, max_body=LIMIT)
    with TestClient(app) as c:
        # through the guard to the route's own validation: the body was handed on intact
        r = c.post("/api/articles", json={"title": "t" * 100}, headers={"Authorization": f"bearer {TOKEN}"})
        assert r.status_code == 422 and r.json()["error"]["message"] == "give text or html"
        r = c.post("/api/articles", content=b"{" * (LIMIT + 1), headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 413
        # a route that takes no POST is still a 405, and an unknown one a 404: nothing to guard
        assert c.post("/api/health").status_code == 405
        assert c.delete("/api/articles").status_code == 405
        assert c.post("/api/nothing-here").status_code == 404


def test_a_bare_token_without_bearer_is_refused(client: TestClient) -> None:
    r = client.post("/api/articles", json={"text": "Talks resume."}, headers={"Authorization": TOKEN})
    assert r.status_code == 401


@pytest.mark.parametrize(("header", "token"), [
    (f"Bearer {TOKEN}", TOKEN), (f"bearer  {TOKEN} ", TOKEN), (TOKEN, None), (f"Basic {TOKEN}", None),
    ("Bearer", None), ("Bearer ", None), ("", None), (None, None)])
def test_bearer_token(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token
