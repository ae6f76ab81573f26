"""Line labels (content / junk) of the benchmark text dumps, derived from their gold.

A bench set's ``text/<id>.txt`` is the page as a naive scraper sees it, one visible text
block per line. Each non-blank line gets ``keep`` (content), ``drop`` (junk: what the
scraper added) or ``either`` (the gold cannot decide), in the ``labels.jsonl`` shape that
:func:`cleaner.eval.scoring.score_lines` and ``../shared/tools/score_lines.py`` read.

**Pages with gold main text** (wcxb-dev, scrapinghub-aeb). Both sides are cut into
lower-cased ``\\w+`` tokens, as the token scorers do. The gold has *boundaries*: its start
and end, and every gap between two tokens that holds a line break or ``. ! ? : ;`` or a
bullet. Then:

1. *Alignment.* A line's tokens may occur as a contiguous run of the gold tokens. Lines of
   one to three tokens (headings, list items, menu words) count only when the run starts
   and ends on gold boundaries: ``Participate!`` matches a gold list item, ``Canvas`` in
   a menu does not match the word inside a gold sentence. Among all runs, the labeller
   picks the set that keeps page order and never uses a gold token twice, with the most
   tokens matched (a weighted increasing chain; on a tie the later line wins, so the copy
   of a heading inside the body beats its copy in the menu above). Lines on the chain are
   ``keep``.
2. *Repeats.* A line whose run exists in the gold but is not on the chain is a copy beyond
   the gold's count (a heading repeated in a breadcrumb, a teaser above the body): ``drop``.
3. *Partial overlaps.* A line of four or more tokens that is not a full run is judged by
   the share of its tokens that sit inside one of its 4-grams found in the gold: at least
   0.8 is a content line carrying a little extra (``keep``: the line must stay), below 0.3
   is ``drop``, between is ``either``. Shorter lines that are not a boundary run are
   ``drop``.
4. Lines with no word token (``|``, ``»``, rules) and a line that is the page's title
   (wcxb's ``title`` field; the gold leaves titles out, but a title is not what a scraper
   adds) are ``either``.

**Pages with snippets only** (trafilatura-eval: ``with`` must appear, ``without`` must
not). Only lines the snippets decide are labelled (case and whitespace folded): a line
that contains a ``with`` snippet, or lies inside one (at least 20 characters or four words
of it), is ``keep``; a line that contains a ``without`` snippet covering at least half of
its characters, or lies inside one, is ``drop``; a line that both would be is ``either``;
every other line is left out (undecided, not scored).

**Language** of a page (:func:`detect_language`): no dependency (no language identifier is
a dependency of the project, and the eval must not fetch models). Scripts decide first
(kana -> ja, Hangul -> ko, Han -> zh, Greek -> el, Hebrew -> he, Thai -> th; Cyrillic,
Arabic and Devanagari get the script tags ``cyrl`` / ``arab`` / ``deva``, as one script
serves several languages); Latin text goes to the language whose short list of frequent,
distinctive function words (about 25 each, for en de fr es it pt nl sv da no fi pl cs)
has the most hits among its tokens, when there are at least 3, at least 2% of the tokens
and 1.5 times the runner-up's; else ``und`` (listings and product grids with no prose). It reads the gold text
when there is one, else the dump and the snippets.

**Held-out split** (:func:`split_of`): by site, so that no site is in both halves. The
registered domain of the page URL (last two labels; three under a two-level public suffix
such as ``co.uk``, from a short list) is hashed with SHA-256; pages whose first byte is
below 52 (about one site in five) are ``heldout``, the rest ``dev``. Fixed: it depends on
the URL alone, never on the page or the run.

Checked by reading 60 labelled lines across page types: see ``docs/line-labels.md``.

    python -m cleaner.eval.linelabels ../shared/bench/wcxb-dev ../shared/bench/scrapinghub-aeb \\
        ../shared/bench/trafilatura-eval -o /tmp/labels   # labels.jsonl + pages.jsonl per set
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from urllib.parse import urlparse

from .figures import TOKEN

_BREAK = re.compile(r"[\n.!?:;\u2022\u00b7\u25cf\u25aa]")
_SPACE = re.compile(r"\s+")
_SHORT = 3  # lines of up to this many tokens must match on gold boundaries
_NGRAM = 4
_PARTIAL_KEEP, _PARTIAL_EITHER = 0.8, 0.3
_MAX_RUNS = 64  # candidate gold positions looked at per line
HELDOUT_BELOW = 52  # first SHA-256 byte of the registered domain below this: held out


@dataclass(slots=True)
class LabelledPage:
    """One bench page with its line labels and what the report groups it by."""

    set: str
    id: str
    text_path: str
    lines: list[dict]
    page_type: str
    language: str
    site: str
    split: str
    gold_text: str | None = None
    with_snippets: list[str] = field(default_factory=list)
    without_snippets: list[str] = field(default_factory=list)
    text: str | None = None  # the text to clean, when it is not the dump at text_path (a regime)


# -- gold tokens and boundaries ----------------------------------------------------------

def _tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def _gold_tokens(gold: str) -> tuple[list[str], list[bool]]:
    """The gold's tokens, and for each gap 0..n whether it is a boundary."""
    low = gold.lower()
    matches = list(TOKEN.finditer(low))
    toks = [m.group() for m in matches]
    bounds = [True] * (len(toks) + 1)
    for k in range(1, len(toks)):
        bounds[k] = bool(_BREAK.search(low, matches[k - 1].end(), matches[k].start()))
    return toks, bounds


def _runs(line: list[str], gold: list[str], bounds: list[bool], index: dict[str, list[int]]) -> list[int]:
    """Gold positions where ``line`` occurs as a run (short lines: on boundaries only)."""
    n, out = len(line), []
    for p in index.get(line[0], ()):
        if gold[p:p + n] == line and (n > _SHORT or (bounds[p] and bounds[p + n])):
            out.append(p)
            if len(out) >= _MAX_RUNS:
                break
    return out


class _PrefixMax:
    """Fenwick tree over gold positions: the best chain ending at or before a position."""

    def __init__(self, size: int) -> None:
        self.size = size + 1
        self.tree: list[tuple[int, int]] = [(0, -1)] * (self.size + 1)

    def put(self, pos: int, value: int, ref: int) -> None:
        i = pos + 1
        while i <= self.size:
            if value >= self.tree[i][0]:  # a tie goes to the later line
                self.tree[i] = (value, ref)
            i += i & -i

    def best(self, pos: int) -> tuple[int, int]:
        i, out = pos + 1, (0, -1)
        while i > 0:
            if self.tree[i][0] >= out[0]:
                out = self.tree[i]
            i -= i & -i
        return out


def _chain(cands: list[tuple[int, int, int]], size: int) -> set[int]:
    """Line indices on the heaviest order-keeping, non-overlapping chain of (line, pos, n)."""
    tree = _PrefixMax(size)
    back: list[tuple[int, int]] = []  # per candidate: (line, previous candidate)
    best_total, best_ref = 0, -1
    by_line: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for line, pos, n in cands:
        by_line[line].append((pos, n))
    for line in sorted(by_line):
        scored = []
        for pos, n in by_line[line]:
            prev_value, prev_ref = tree.best(pos)
            scored.append((pos + n, prev_value + n, len(back)))
            back.append((line, prev_ref))
        for end, value, ref in scored:  # insert after scoring: one line is used once
            tree.put(end, value, ref)
            if value >= best_total:
                best_total, best_ref = value, ref
    chosen, ref = set(), best_ref
    while ref >= 0:
        line, ref = back[ref]
        chosen.add(line)
    return chosen


def _coverage(line: list[str], grams: set[tuple[str, ...]]) -> float:
    covered = [False] * len(line)
    for k in range(len(line) - _NGRAM + 1):
        if tuple(line[k:k + _NGRAM]) in grams:
            for j in range(k, k + _NGRAM):
                covered[j] = True
    return sum(covered) / len(line)


def label_lines(dump: str, gold: str, title: str | None = None) -> list[dict]:
    """``{"line", "label", "text"}`` for each non-blank line of ``dump`` against ``gold``."""
    gold_toks, bounds = _gold_tokens(gold)
    index: dict[str, list[int]] = defaultdict(list)
    for p, t in enumerate(gold_toks):
        index[t].append(p)
    lines = [(n, s) for n, s in enumerate(dump.split("\n"), 1) if s.strip()]
    toks = [_tokens(s) for _, s in lines]
    cands, has_run = [], set()
    for i, t in enumerate(toks):
        if t:
            for p in _runs(t, gold_toks, bounds, index):
                cands.append((i, p, len(t)))
                has_run.add(i)
    chosen = _chain(cands, len(gold_toks))
    grams = {tuple(gold_toks[k:k + _NGRAM]) for k in range(len(gold_toks) - _NGRAM + 1)}
    title_toks = _tokens(title) if title else None
    out = []
    for i, ((number, text), t) in enumerate(zip(lines, toks)):
        if i in chosen:
            label = "keep"
        elif not t or (title_toks and t == title_toks):
            label = "either"
        elif i in has_run or len(t) < _NGRAM:
            label = "drop"
        else:
            share = _coverage(t, grams)
            label = "keep" if share >= _PARTIAL_KEEP else "either" if share >= _PARTIAL_EITHER else "drop"
        out.append({"line": number, "label": label, "text": text})
    return out


# -- snippet-only gold --------------------------------------------------------------------

def _fold(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


def _inside(line: str, snippet: str) -> bool:
    return (len(line) >= 20 or len(line.split()) >= 4) and line in snippet


def label_snippet_lines(dump: str, with_snippets: list[str], without_snippets: list[str]) -> list[dict]:
    """Labels of the lines of ``dump`` that the snippets decide (the others are left out)."""
    good = [s for s in (_fold(x) for x in with_snippets) if s]
    bad = [s for s in (_fold(x) for x in without_snippets) if s]
    out = []
    for number, text in enumerate(dump.split("\n"), 1):
        line = _fold(text)
        if not line:
            continue
        keep = any(s in line or _inside(line, s) for s in good)
        drop = any((s in line and 2 * len(s) >= len(line)) or _inside(line, s) for s in bad)
        if keep or drop:
            out.append({"line": number, "label": "either" if keep and drop else "keep" if keep else "drop",
                        "text": text})
    return out


# -- language -----------------------------------------------------------------------------

_FUNCTION_WORDS = {
    "en": "the and of to is that for with are this was you have not be from they which would there their will been has were what when",
    "de": "der die das und ist nicht ein eine mit sich den dem auf für auch wird werden wir ich sie zu von bei nach oder aber wie",
    "fr": "le la les et est une des pour dans que qui sur pas sont avec nous vous mais ce cette ou aux du il elle être",
    "es": "el la los las y es una para con que por del como más pero sus al lo está son este esta también muy se",
    "it": "il di che è la per non una sono con gli del della anche come più nel questo alla ma si lo le",
    "pt": "o os que não uma para com por mais como mas ao dos das também são está foi tem você isso pelo",
    "nl": "de het een en van is dat niet op te zijn voor met als er maar ook aan bij worden wordt ze hij",
    "sv": "och att det som en är på för med av till den inte har om ett jag var kan men vi de sig",
    "da": "og at det som en er på for med af til den ikke har om et jeg var kan men vi de sig",
    "no": "og at det som en er på for med av til den ikke har om et jeg var kan men vi de seg",
    "fi": "ja on ei että se oli ovat kun myös joka tai mutta kanssa tämä niin hän mitä ole sen jo vain",
    "pl": "w nie na że się jest jak ale od po za dla przez są tak co jego być który",
    "cs": "je se na že do jako ale pro by jsou tak které není od po jsem jeho byl",
    "id": "yang dan di ini itu dengan untuk tidak dari dalam akan pada juga ke karena ada bisa saya kita mereka atau sudah oleh",
    "tr": "ve bir bu için ile çok olarak daha gibi ama kadar sonra olan değil her şey",
    "vi": "và của là có được trong cho không những người một các này với đã để khi từ cũng như",
}
_WORD_SETS = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}
_SCRIPTS = (  # (language, test on one character); checked in this order
    ("ja", lambda c: "\u3040" <= c <= "\u30ff"),
    ("ko", lambda c: "\uac00" <= c <= "\ud7af"),
    ("zh", lambda c: "\u4e00" <= c <= "\u9fff"),
    ("cyrl", lambda c: "\u0400" <= c <= "\u04ff"),
    ("el", lambda c: "\u0370" <= c <= "\u03ff"),
    ("arab", lambda c: "\u0600" <= c <= "\u06ff"),
    ("he", lambda c: "\u0590" <= c <= "\u05ff"),
    ("th", lambda c: "\u0e00" <= c <= "\u0e7f"),
    ("deva", lambda c: "\u0900" <= c <= "\u097f"),
)


def detect_language(text: str) -> str:
    """An ISO 639-1 code for ``text`` by script, then by function words; ``und`` if unsure.

    >>> detect_language("Die Sitzung wird nicht vor dem Abend beendet, sagt der Sprecher.")
    'de'
    """
    letters = [c for c in text[:20000] if c.isalpha()]
    if not letters:
        return "und"
    for lang, test in _SCRIPTS:
        if sum(1 for c in letters if test(c)) >= 0.2 * len(letters):
            return lang
    toks = _tokens(text[:20000])
    if not toks:
        return "und"
    counts = Counter(toks)
    hits = {lang: sum(counts[w] for w in words) for lang, words in _WORD_SETS.items()}
    (lang, best), (_, second) = sorted(hits.items(), key=lambda kv: -kv[1])[:2]
    return lang if best >= 3 and best >= 0.02 * len(toks) and best >= 1.5 * second else "und"


# -- sites and the split -------------------------------------------------------------------

_TWO_LEVEL = frozenset("co.uk org.uk ac.uk gov.uk com.au net.au org.au co.nz co.jp co.kr com.br com.cn "
                       "com.mx com.tr co.in co.za com.ar com.sg com.hk".split())


def registered_domain(url: str | None) -> str:
    """The registered domain of ``url`` (``news.bbc.co.uk`` -> ``bbc.co.uk``); ``unknown`` without a host.

    Not :func:`cleaner.sources.sites.registered_domain` (the public suffix list) on purpose: this
    one fixes the dev/held-out split, and a better suffix list would move sites across it.
    """
    host = (urlparse(url or "").hostname or "").strip(".").lower()
    if not host:
        return "unknown"
    labels = host.split(".")
    keep = 3 if ".".join(labels[-2:]) in _TWO_LEVEL else 2
    return ".".join(labels[-keep:])


def split_of(url: str | None) -> str:
    """``heldout`` or ``dev`` for a page, by a fixed hash of its registered domain."""
    digest = hashlib.sha256(registered_domain(url).encode("utf-8")).digest()
    return "heldout" if digest[0] < HELDOUT_BELOW else "dev"


# -- reading a bench set -------------------------------------------------------------------

def _read_dump(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as fh:  # universal newlines, as the scorers
        return fh.read()


def read_ground_truth(root: str, limit: int | None = None) -> tuple[str, list[dict]]:
    """The name of the bench set at ``root`` and its first ``limit`` gold records (all: None)."""
    with open(os.path.join(root, "ground-truth.jsonl"), encoding="utf-8") as fh:
        records = [json.loads(x) for x in fh if x.strip()]
    return os.path.basename(os.path.normpath(root)), records[:limit]


def load_labelled_set(root: str, limit: int | None = None) -> list[LabelledPage]:
    """Every page of the bench set at ``root`` that has a text dump, labelled line by line."""
    name, records = read_ground_truth(root, limit)
    pages = []
    for rec in records:
        pid = str(rec["id"])
        path = os.path.join(root, "text", f"{pid}.txt")
        if not os.path.exists(path):
            continue
        dump = _read_dump(path)
        gold = rec.get("text")
        with_s, without_s = list(rec.get("with") or []), list(rec.get("without") or [])
        if gold:
            lines = label_lines(dump, gold, rec.get("title"))
            lang = detect_language(gold)
        elif with_s:
            lines = label_snippet_lines(dump, with_s, without_s)
            lang = detect_language(" ".join(with_s) + "\n" + dump)
        else:
            continue
        page_type = rec.get("page_type") or ("article" if name.startswith("scrapinghub") else "unknown")
        pages.append(LabelledPage(name, pid, path, lines, page_type, lang, registered_domain(rec.get("url")),
                                  split_of(rec.get("url")), gold, with_s, without_s))
    return pages


# -- regimes: how much a scraper trimmed ----------------------------------------------------

REGIMES = ("dump", "crop", "gold")
CROP_MARGIN = 3  # lines kept above the first and below the last content line in ``crop``


def page_regimes(page: LabelledPage, raw: str, regimes: tuple[str, ...] = REGIMES):
    """(regime, text, line labels) of ``page`` in each of ``regimes`` it has.

    ``dump`` is the whole scraped page (``raw``); ``crop`` the dump cut to the lines from
    :data:`CROP_MARGIN` above its first content line to as many below its last: text a scraper
    has already trimmed, with the junk inside and around the body; ``gold`` the gold main text
    alone, every line content (cleaning clean text must keep it). Pages without gold text
    (snippet-only sets) have the dump only."""
    if "dump" in regimes:
        yield "dump", raw, page.lines
    keeps = [x["line"] for x in page.lines if x["label"] == "keep"]
    if "crop" in regimes and keeps and page.gold_text:
        dump = raw.split("\n")
        first, last = max(1, min(keeps) - CROP_MARGIN), min(len(dump), max(keeps) + CROP_MARGIN)
        yield "crop", "\n".join(dump[first - 1:last]), [
            dict(x, line=x["line"] - first + 1) for x in page.lines if first <= x["line"] <= last]
    if "gold" in regimes and page.gold_text:
        yield "gold", page.gold_text, [{"line": i, "text": t, "label": "keep"}
                                       for i, t in enumerate(page.gold_text.split("\n"), start=1) if t.strip()]


def regime_pages(pages: list[LabelledPage], regime: str) -> list[LabelledPage]:
    """``pages`` as ``regime`` gives them (:func:`page_regimes`): each with its text in
    ``text`` and its labels remapped; a page the regime does not have is left out."""
    if regime == "dump":
        return pages
    out = []
    for page in pages:
        for _, text, labels in page_regimes(page, _read_dump(page.text_path), (regime,)):
            out.append(replace(page, lines=labels, text=text))
    return out


def write_labels(pages: list[LabelledPage], out_dir: str) -> None:
    """``labels.jsonl`` (the score_lines shape) and ``pages.jsonl`` (groups) of one set in ``out_dir``."""
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "labels.jsonl"), "w", encoding="utf-8") as fh:
        for p in pages:
            fh.write(json.dumps({"file": f"{p.id}.txt", "lines": p.lines}, ensure_ascii=False) + "\n")
    with open(os.path.join(out_dir, "pages.jsonl"), "w", encoding="utf-8") as fh:
        for p in pages:
            fh.write(json.dumps({"file": f"{p.id}.txt", "page_type": p.page_type, "language": p.language,
                                 "site": p.site, "split": p.split}) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="+", help="bench set directories")
    ap.add_argument("-o", "--out", required=True, help="directory for <set>/labels.jsonl and pages.jsonl")
    a = ap.parse_args(argv)
    for root in a.sets:
        pages = load_labelled_set(root)
        write_labels(pages, os.path.join(a.out, os.path.basename(os.path.normpath(root))))
        counts = Counter(x["label"] for p in pages for x in p.lines)
        langs = Counter(p.language for p in pages)
        split = Counter(p.split for p in pages)
        print(f"{root}: {len(pages)} pages, {dict(counts)}, languages {dict(langs.most_common(8))}, {dict(split)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
