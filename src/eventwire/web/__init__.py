"""The web UI: server-rendered pages (Jinja2, autoescaped) over the same queries as the API.

Everything a page loads ships in this package (``static/``): it works offline.  Article text, titles and
names are untrusted: templates escape them (autoescape), the SVG charts escape their labels, and the data
handed to the page's script is JSON with ``<``, ``>`` and ``&`` escaped so it cannot close its ``<script>``.
"""

from __future__ import annotations

from .pages import mount

__all__ = ["mount"]
