"""``/docs``: the API reference rendered from the OpenAPI document on the server.

FastAPI's default Swagger UI page loads its JavaScript and CSS from a CDN, which an offline laptop cannot
reach; this page needs nothing but the server.  ``/openapi.json`` stays for tools.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

__all__ = ["add_docs"]


def _type_of(schema: Any) -> str:
    if not isinstance(schema, dict):
        return ""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type_of(s) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(repr(v) for v in schema["enum"])
    if schema.get("type") == "array":
        return f"list[{_type_of(schema.get('items'))}]"
    return str(schema.get("type", "any"))


HERE = Path(__file__).parent


def add_docs(app: FastAPI) -> None:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(["html"]))
    # A file, not an inline <style>: the CSP (api/headers.py) allows styles from 'self' only.
    css = (HERE / "templates" / "docs.css").read_text(encoding="utf-8")
    env.globals["type_of"] = _type_of

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(env.get_template("docs.html").render(spec=app.openapi()))

    @app.get("/docs/style.css", include_in_schema=False)
    def docs_css() -> Response:
        return Response(css, media_type="text/css")
