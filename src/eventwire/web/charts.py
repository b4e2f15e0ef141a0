"""Small SVG charts written by hand (the UI works offline: no chart library, no CDN).

Every label goes through :func:`markupsafe.escape`: entity names and types come from untrusted text.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup, escape

__all__ = ["PALETTE", "colour", "colour_class", "network_svg", "timeline_svg"]

# 16 PLOVER types + attribution kinds: Tableau-20-like hues, distinguishable on a white page.
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac", "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#17becf"]


def _colour_index(name: str, order: Sequence[str]) -> int:
    return (order.index(name) if name in order else sum(map(ord, name))) % len(PALETTE)


def colour(name: str, order: Sequence[str]) -> str:
    return PALETTE[_colour_index(name, order)]


def colour_class(name: str, order: Sequence[str]) -> str:
    """The CSS class (``c0`` .. ``c15``, in static/style.css) giving HTML its colour: the pages' CSP allows
    no ``style=""`` attribute.  SVG bars keep their ``fill`` attribute, which CSP does not restrict."""
    return f"c{_colour_index(name, order)}"


def _parse(day: str) -> date | None:
    try:
        return date.fromisoformat(day[:10])
    except ValueError:
        return None


def _bins(days: list[date]) -> tuple[str, list[date]]:
    """Bin width so that a chart has at most ~90 bars: day, week or month."""
    lo, hi = min(days), max(days)
    span = (hi - lo).days + 1
    if span <= 90:
        return "day", [lo + timedelta(d) for d in range(span)]
    if span <= 90 * 7:
        start = lo - timedelta(lo.weekday())
        return "week", [start + timedelta(7 * w) for w in range((hi - start).days // 7 + 1)]
    out, d = [], date(lo.year, lo.month, 1)
    while d <= hi:
        out.append(d)
        d = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return "month", out


def _bin_of(d: date, unit: str) -> date:
    if unit == "week":
        return d - timedelta(d.weekday())
    if unit == "month":
        return date(d.year, d.month, 1)
    return d


def timeline_svg(buckets: Sequence[dict[str, Any]], *, order: Sequence[str] = (), width: int = 880,
                 height: int = 180, title: str = "timeline") -> Markup:
    """A stacked bar chart of ``{day, type, count}`` buckets; empty Markup when there is nothing to draw."""
    rows = [(d, str(b["type"]), int(b["count"])) for b in buckets if (d := _parse(str(b["day"])))]
    if not rows:
        return Markup("")
    unit, bins = _bins([d for d, _, _ in rows])
    types = sorted({t for _, t, _ in rows}, key=lambda t: (order.index(t) if t in order else 99, t))
    counts: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for d, t, n in rows:
        counts[_bin_of(d, unit)][t] += n
    top = max(sum(c.values()) for c in counts.values())
    left, bottom, right = 36, 22, 40
    plot_w, plot_h = width - left - right, height - bottom - 8
    bar_w = plot_w / len(bins)
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    # Integer gridlines only: halfway is labelled when it is a whole number of events.
    for frac in (0, 0.5, 1) if top % 2 == 0 else (0, 1):
        y = 8 + plot_h * (1 - frac)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" class="axis">'
                     f'{round(top * frac)}</text>')
    for i, b in enumerate(bins):
        x = left + i * bar_w
        y = 8 + plot_h
        for t in types:
            n = counts.get(b, {}).get(t, 0)
            if not n:
                continue
            h = plot_h * n / top
            y -= h
            label = f"{b.isoformat()}{' (' + unit + ')' if unit != 'day' else ''}: {t} {n}"
            parts.append(f'<rect x="{x + 0.5:.1f}" y="{y:.1f}" width="{max(bar_w - 1, 1):.1f}" '
                         f'height="{h:.1f}" fill="{colour(t, order)}" data-type="{escape(t)}" '
                         f'data-day="{b.isoformat()}"><title>{escape(label)}</title></rect>')
    step = max(1, math.ceil(len(bins) / 8))
    for i in range(0, len(bins), step):
        text = bins[i].isoformat() if unit != "month" else bins[i].isoformat()[:7]
        parts.append(f'<text x="{left + i * bar_w:.1f}" y="{height - 6}" class="axis">{text}</text>')
    parts.append("</svg>")
    legend = "".join(f'<span class="key"><i class="{colour_class(t, order)}"></i>{escape(t)}</span>'
                     for t in types)
    return Markup(f'<figure class="timeline">{"".join(parts)}<figcaption>{legend} '
                  f'<span class="muted">per {unit}</span></figcaption></figure>')


def network_svg(centre: str, centre_name: str, edges: Sequence[dict[str, Any]], *, size: int = 360,
                link: str = "/entities/") -> Markup:
    """Who acts on whom: ``centre`` in the middle, counterparts on a circle, arrows actor → target."""
    if not edges:
        return Markup("")
    names: dict[str, str] = {centre: centre_name}
    for e in edges:
        names.setdefault(str(e["actor_key"]), str(e["actor_name"]))
        names.setdefault(str(e["target_key"]), str(e["target_name"]))
    others = [k for k in names if k != centre][:16]
    c = size / 2
    r = size / 2 - 60
    pos = {centre: (c, c)}
    for i, k in enumerate(others):
        a = 2 * math.pi * i / max(len(others), 1) - math.pi / 2
        pos[k] = (c + r * math.cos(a), c + r * math.sin(a))
    top = max(int(e["count"]) for e in edges)
    parts = [f'<svg class="network" viewBox="0 0 {size} {size}" width="{size}" height="{size}" role="img" '
             f'aria-label="who acts on whom" xmlns="http://www.w3.org/2000/svg">'
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
             'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#777"/></marker>'
             '</defs>']
    for e in edges:
        src, dst = str(e["actor_key"]), str(e["target_key"])
        if src not in pos or dst not in pos or src == dst:
            continue
        (x1, y1), (x2, y2) = pos[src], pos[dst]
        d = math.hypot(x2 - x1, y2 - y1) or 1
        # stop the arrow at the target's circle (radius 14) so its head stays visible
        x2, y2 = x2 - (x2 - x1) * 16 / d, y2 - (y2 - y1) * 16 / d
        types = ", ".join(f"{t} {n}" for t, n in sorted(dict(e.get("types") or {}).items()))
        w = 1 + 3 * int(e["count"]) / top
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke-width="{w:.1f}" '
                     f'class="edge" marker-end="url(#arrow)"><title>{escape(names[src])} → '
                     f'{escape(names[dst])}: {escape(types)}</title></line>')
    for k, (x, y) in pos.items():
        label = names[k] if len(names[k]) <= 22 else names[k][:21] + "…"
        cls = "node centre" if k == centre else "node"
        # Labels sit on the far side of a node from the centre, clear of the arrows that reach it.
        ly = y - 20 if (k != centre and y < c - 1) else y + 28
        parts.append(f'<a href="{escape(link)}{escape(_quote(k))}"><circle cx="{x:.1f}" cy="{y:.1f}" r="14" '
                     f'class="{cls}"/><text x="{x:.1f}" y="{ly:.1f}" text-anchor="middle" '
                     f'class="label">{escape(label)}</text></a>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _quote(key: str) -> str:
    from urllib.parse import quote

    return quote(key, safe=":")
