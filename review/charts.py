"""Inline SVG pictures for the staff pages: bar charts and the network graph.

Drawn on the server as plain SVG markup (no JavaScript, nothing fetched from a CDN: the staff
pages work offline and under a strict Content-Security-Policy). Every text that reaches the SVG
goes through `markupsafe.escape`, because contact values come from scammers.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

BAR_COLOUR = "#2f6f9f"
RISK_COLOURS = {"very_high": "#b3261e", "high": "#e8710a", "medium": "#f2c744", "low": "#5b9a68"}


def bar_chart(data: Sequence[tuple[str, int]], *, title: str, width: int = 560, bar_height: int = 18,
              colours: dict[str, str] | None = None, hrefs: Sequence[str | None] = (),
              codes: Sequence[str] = ()) -> Markup:
    """Horizontal bars, one per (label, value); labels left, values right of each bar. With
    `hrefs` (one per bar) each bar is a link, e.g. to the queue filtered to it; `codes` (one
    per bar) pick the colour when labels are not the colour keys."""
    label_width, value_width, gap = 150, 60, 4
    height = max(1, len(data)) * (bar_height + gap) + 28
    biggest = max((value for _label, value in data), default=0) or 1
    usable = width - label_width - value_width
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>',
             f'<text x="0" y="16" class="chart-title">{escape(title)}</text>']
    if not data:
        parts.append('<text x="0" y="40" class="chart-empty">no data</text>')
    for index, (label, value) in enumerate(data):
        y = 28 + index * (bar_height + gap)
        bar = max(1, round(usable * value / biggest)) if value else 0
        colour = (colours or {}).get(codes[index] if index < len(codes) else label, BAR_COLOUR)
        shown = label if len(label) <= 22 else label[:21] + "…"
        href = hrefs[index] if index < len(hrefs) else None
        if href:
            parts.append(f'<a href="{escape(href)}" class="bar-link">')
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 5}" text-anchor="end">{escape(shown)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{bar}" height="{bar_height}" fill="{colour}">'
            f'<title>{escape(label)}: {value}</title></rect>'
            f'<text x="{label_width + bar + 4}" y="{y + bar_height - 5}">{value}</text>')
        if href:
            parts.append("</a>")
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(data: Sequence[tuple[str, int]], *, title: str, width: int = 760,
                 height: int = 200, hrefs: Sequence[str | None] = ()) -> Markup:
    """Vertical columns over time (reports per day); every seventh label is printed."""
    top, bottom = 24, 36
    plot_height = height - top - bottom
    biggest = max((value for _label, value in data), default=0) or 1
    step = width / max(1, len(data))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>',
             f'<text x="0" y="16" class="chart-title">{escape(title)} (max {biggest})</text>']
    for index, (label, value) in enumerate(data):
        column = plot_height * value / biggest
        x = index * step
        href = hrefs[index] if index < len(hrefs) else None
        # The link covers the whole day's height, so a day with few reports is still clickable.
        parts.append((f'<a href="{escape(href)}" class="bar-link">' if href else "")
                     + f'<rect x="{x + 1:.1f}" y="{top:.1f}" width="{max(1.0, step - 2):.1f}" '
                     f'height="{plot_height:.1f}" fill="transparent"/>'
                     f'<rect x="{x + 1:.1f}" y="{top + plot_height - column:.1f}" '
                     f'width="{max(1.0, step - 2):.1f}" height="{column:.1f}" fill="{BAR_COLOUR}">'
                     f'<title>{escape(label)}: {value}</title></rect>' + ("</a>" if href else ""))
        if index % 7 == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - 20}" class="axis">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class PlacedNode:
    key: str
    x: float
    y: float
    is_report: bool


MAX_DRAWN_NODES = 120
MAX_DRAWN_EDGES = 240


def force_layout(nodes: Sequence[str], edges: Sequence[tuple[str, str]], *, width: float, height: float,
                 iterations: int | None = None, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Fruchterman–Reingold spring layout; deterministic (seeded) so pages don't jump on reload.
    O(n²) per iteration in pure Python: fewer iterations for bigger graphs (about 0.3 s at the
    `MAX_DRAWN_NODES` cap), and callers never draw more than that."""
    rng = random.Random(seed)
    count = len(nodes)
    if iterations is None:
        iterations = max(30, min(120, 400_000 // max(1, count * count)))
    if count == 0:
        return {}
    if count == 1:
        return {nodes[0]: (width / 2, height / 2)}
    # Start on a circle: a good layout for small graphs already, and a stable start for big ones.
    position = {node: [width / 2 + width / 3 * math.cos(2 * math.pi * i / count) + rng.uniform(-1, 1),
                       height / 2 + height / 3 * math.sin(2 * math.pi * i / count) + rng.uniform(-1, 1)]
                for i, node in enumerate(nodes)}
    ideal = math.sqrt(width * height / count) * 0.8
    temperature = width / 10
    for _ in range(iterations):
        shift = {node: [0.0, 0.0] for node in nodes}
        for i, a in enumerate(nodes):
            for b in nodes[i + 1:]:
                dx = position[a][0] - position[b][0]
                dy = position[a][1] - position[b][1]
                distance = max(0.01, math.hypot(dx, dy))
                push = ideal * ideal / distance
                shift[a][0] += dx / distance * push
                shift[a][1] += dy / distance * push
                shift[b][0] -= dx / distance * push
                shift[b][1] -= dy / distance * push
        for a, b in edges:
            dx = position[a][0] - position[b][0]
            dy = position[a][1] - position[b][1]
            distance = max(0.01, math.hypot(dx, dy))
            pull = distance * distance / ideal
            shift[a][0] -= dx / distance * pull
            shift[a][1] -= dy / distance * pull
            shift[b][0] += dx / distance * pull
            shift[b][1] += dy / distance * pull
        for node in nodes:
            dx, dy = shift[node]
            length = max(0.01, math.hypot(dx, dy))
            step = min(length, temperature)
            position[node][0] = min(width - 20, max(20, position[node][0] + dx / length * step))
            position[node][1] = min(height - 20, max(20, position[node][1] + dy / length * step))
        temperature *= 0.95
    return {node: (xy[0], xy[1]) for node, xy in position.items()}


def drawable_edges(components: Sequence[Sequence[tuple[int, str]]], *, max_nodes: int = MAX_DRAWN_NODES,
                   max_edges: int = MAX_DRAWN_EDGES) -> tuple[list[tuple[int, str]], bool]:
    """The (report, contact) edges to draw from clusters listed biggest first, within the caps.
    Inside a cluster the most-reported contacts come first, so a cut-off picture still shows the
    hubs. Returns the edges and whether anything was left out."""
    drawn: list[tuple[int, str]] = []
    nodes: set[str] = set()
    truncated = False
    for edges in components:
        degree: dict[str, int] = {}
        for _report_id, key in edges:
            degree[key] = degree.get(key, 0) + 1
        for report_id, key in sorted(edges, key=lambda edge: (-degree[edge[1]], edge[1], edge[0])):
            new_nodes = {f"r{report_id}", key} - nodes
            if len(drawn) >= max_edges or len(nodes) + len(new_nodes) > max_nodes:
                truncated = True
                continue
            nodes |= new_nodes
            drawn.append((report_id, key))
    return drawn, truncated


@functools.lru_cache(maxsize=256)
def _remembered_layout(nodes: tuple[str, ...], edges: tuple[tuple[str, str], ...], width: int,
                       height: int) -> dict[str, tuple[float, float]]:
    """The layout is deterministic and costs ~100 ms for a 40-report star, on every view of a
    hub contact's page: the same graph is laid out once (callers must not change the result)."""
    return force_layout(nodes, edges, width=width, height=height)


def network_svg(edges: Sequence[tuple[int, str]], *, report_href: str, width: int = 760,
                height: int = 480, title: str = "network") -> Markup:
    """Reports (circles, linked to their page) and contacts (squares) of one or more clusters."""
    report_nodes = sorted({f"r{report_id}" for report_id, _key in edges})
    contact_nodes = sorted({key for _report_id, key in edges})
    graph_edges = [(f"r{report_id}", key) for report_id, key in edges]
    placed = _remembered_layout(tuple(report_nodes + contact_nodes), tuple(graph_edges), width, height)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="network" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>']
    for a, b in graph_edges:
        (x1, y1), (x2, y2) = placed[a], placed[b]
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#999"/>')
    for key in contact_nodes:
        x, y = placed[key]
        kind, _sep, value = key.partition(":")
        label = value if len(value) <= 24 else value[:23] + "…"
        # Labels point inwards, so a node near the right edge does not have its label cut off.
        anchor, label_x = ("end", x - 9) if x > width / 2 else ("start", x + 9)
        parts.append(f'<rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" fill="#e8710a">'
                     f'<title>{escape(key)}</title></rect>'
                     f'<text x="{label_x:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}" class="node-label">'
                     f'{escape(kind)}: {escape(label)}</text>')
    for node in report_nodes:
        x, y = placed[node]
        report_id = node[1:]
        parts.append(f'<a href="{escape(report_href.format(id=report_id))}">'
                     f'<circle cx="{x:.1f}" cy="{y:.1f}" r="8" fill="{BAR_COLOUR}">'
                     f'<title>report {escape(report_id)}</title></circle>'
                     f'<text x="{x - 4:.1f}" y="{y - 11:.1f}" class="node-label">'
                     f'#{escape(report_id)}</text></a>')
    parts.append("</svg>")
    return Markup("".join(parts))
