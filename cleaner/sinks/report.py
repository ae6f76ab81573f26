"""``cleaner report STATS -o report.html``: one static, self-contained page from ``--stats``.

No script, no font, no image file, no network: the charts are inline SVG (characters removed
per rule, the kept-ratio histogram, rejects by reason), then the figures and a sample of
documents with what was removed (red, with the rule) and the start of what was kept.
Every chart is a ``<figure class="chart" id="...">``, so a test can find each one.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from ..errors import ConfigError
from ..sources.files import read_small_file

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:980px;color:#222;padding:0 1em}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse}td,th{padding:2px 10px;text-align:left;border-bottom:1px solid #eee}
td.n{text-align:right;font-variant-numeric:tabular-nums}
figure.chart{margin:1em 0}figcaption{font-weight:600;margin-bottom:.3em}
svg text{font:12px system-ui,sans-serif;fill:#222}
.doc{border:1px solid #ddd;border-radius:4px;padding:.6em .9em;margin:1em 0}
.del{background:#fde2e2;color:#8a1c1c;display:block;white-space:pre-wrap}
.ins{background:#e3f6e3;color:#1f5b1f;display:block;white-space:pre-wrap}
.rule{font:11px monospace;color:#555;margin-left:.5em}.empty{color:#777;font-style:italic}
"""


def _bars(rows: list[tuple[str, int]], *, color: str, unit: str = "") -> str:
    """A horizontal bar chart as inline SVG (labels left, values right)."""
    if not rows:
        return '<p class="empty">nothing to show</p>'
    label_w, bar_w, row_h = 190, 560, 20
    top = max(v for _, v in rows) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 90}" '
             f'height="{row_h * len(rows) + 6}" role="img">']
    for i, (label, value) in enumerate(rows):
        y = i * row_h + 3
        w = max(1, round(bar_w * value / top)) if value else 0
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(label[:30])}</text>'
                     f'<rect class="bar" x="{label_w}" y="{y + 2}" width="{w}" height="{row_h - 6}" fill="{color}">'
                     f'<title>{escape(label)}: {value:,}{unit}</title></rect>'
                     f'<text x="{label_w + w + 6}" y="{y + 14}">{value:,}{unit}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _histogram(counts: list[int]) -> str:
    """The kept-ratio histogram: ten vertical bars, 0-10 % ... 90-100 %."""
    width, height, bar = 640, 180, 56
    top = max(counts) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 40}" role="img">']
    for i, n in enumerate(counts):
        h = round(height * n / top) if n else 0
        x = 10 + i * (bar + 6)
        parts.append(f'<rect class="bar" x="{x}" y="{height - h + 16}" width="{bar}" height="{h}" fill="#4c78a8">'
                     f'<title>{i * 10}-{i * 10 + 10} % kept: {n:,} documents</title></rect>'
                     f'<text x="{x + bar / 2}" y="{height - h + 12}" text-anchor="middle">{n:,}</text>'
                     f'<text x="{x + bar / 2}" y="{height + 32}" text-anchor="middle">{i * 10}-{i * 10 + 10}%</text>')
    parts.append("</svg>")
    return "".join(parts)


def _figure(ident: str, caption: str, body: str) -> str:
    return f'<figure class="chart" id="{ident}"><figcaption>{escape(caption)}</figcaption>{body}</figure>'


def _sample(doc: dict[str, Any]) -> str:
    head = escape(str(doc.get("url") or doc.get("path") or doc.get("id")))
    # (a compact run's removals carry no excerpt)
    removed = "".join(f'<span class="del">− {escape(r.get("excerpt") or "")}<span class="rule">{escape(r["rule"])} '
                      f'{escape(r["reason"])} (line {r["line"]})</span></span>' for r in doc.get("removed", []))
    kept = escape(doc.get("kept", ""))
    return (f'<div class="doc"><b>{head}</b> — {doc.get("chars_removed", 0):,} of '
            f'{doc.get("chars_in", 0):,} characters removed{removed}<span class="ins">{kept}</span></div>')


def render_report(stats: dict[str, Any], top: int = 25) -> str:
    """The report page for one stats dictionary."""
    docs, chars, size = stats["documents"], stats["chars"], stats["bytes"]
    rules = stats.get("rules", {})
    by_chars = sorted(((rid, r["chars"]) for rid, r in rules.items()), key=lambda kv: (-kv[1], kv[0]))[:top]
    rejects = sorted(stats.get("rejects", {}).items(), key=lambda kv: (-kv[1], kv[0]))
    share = chars["removed"] / chars["in"] if chars["in"] else 0.0
    figures = [("documents read", docs["read"]), ("written", docs["written"]), ("rejected", docs["rejected"]),
               ("files skipped", docs["files_skipped"]), ("bytes in", size["in"]), ("bytes out", size["out"]),
               ("characters in", chars["in"]), ("characters removed", chars["removed"])]
    table = "".join(f'<tr><th>{escape(k)}</th><td class="n">{v:,}</td></tr>' for k, v in figures)
    rule_rows = "".join(
        f'<tr><td><code>{escape(rid)}</code></td><td>{escape(r["name"])}</td><td class="n">{r["removals"]:,}</td>'
        f'<td class="n">{r["lines"]:,}</td><td class="n">{r["chars"]:,}</td></tr>' for rid, r in rules.items())
    samples = "".join(_sample(d) for d in stats.get("samples", [])) or '<p class="empty">no document had removals</p>'
    return "".join([
        '<!doctype html><html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>cleaner report: {escape(str(stats.get('input', '')))}</title><style>{_CSS}</style></head><body>",
        f"<h1>cleaner report</h1><p>{escape(str(stats.get('input', '')))} → {escape(str(stats.get('output', '')))}"
        f" · cleaner {escape(str(stats.get('cleaner_version', '')))} · rules {escape(str(stats.get('rules_fingerprint', '')))}"
        f" · <b>{share:.1%}</b> of the characters removed</p>",
        f"<table>{table}</table>",
        _figure("chars-by-rule", f"Characters removed per rule (top {len(by_chars)})", _bars(by_chars, color="#e45756")),
        _figure("kept-ratio", "Written documents by the share of characters kept", _histogram(stats.get("kept_ratio", [0] * 10))),
        _figure("rejects", "Rejected documents by reason", _bars(rejects, color="#f58518")),
        "<h2>Rules and heuristics</h2><table><tr><th>id</th><th>name</th><th>removals</th><th>lines</th>"
        f"<th>characters</th></tr>{rule_rows}</table>",
        f"<h2>Sample documents</h2>{samples}</body></html>\n",
    ])


_MAX_STATS_BYTES = 64 << 20  # a stats file larger than this is refused unread


def write_report(stats_path: str, output: str) -> None:
    """Read ``--stats`` JSON from ``stats_path`` and write the report page to ``output``.

    A stats file that is not a regular file (a FIFO, ``/dev/zero``), too large, not JSON, or
    not the shape ``cleaner run --stats`` writes is a :class:`ConfigError`, never a hang or a
    traceback."""
    try:
        stats = json.loads(read_small_file(stats_path, _MAX_STATS_BYTES).decode("utf-8"))
    except (OSError, ValueError) as exc:  # (UnicodeDecodeError is a ValueError)
        raise ConfigError(f"cannot read stats {stats_path}: {exc}") from None
    if not isinstance(stats, dict) or "documents" not in stats or "chars" not in stats:
        raise ConfigError(f"{stats_path} is not a 'cleaner run --stats' file")
    try:
        page = render_report(stats)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise ConfigError(f"{stats_path} is not a 'cleaner run --stats' file: a field is missing or of another "
                          f"type ({type(exc).__name__}: {str(exc)[:80]})") from None
    with open(output, "w", encoding="utf-8") as fh:
        fh.write(page)
