"""Reference systems ``cleaner eval`` measures beside cleaner, in the same run.

HTML anchors: trafilatura (default and ``favor_precision``), readability-lxml, jusText and
resiliparse main-content extraction. Plain-text anchors: no cleaning, the C4 line rules and
the RefinedWeb line rules (both written here from their published definitions), jusText on
lines. All but trafilatura and the line rules are optional (``pip install 'cleaner[eval]'``);
:func:`missing_anchor` says what an unavailable one needs.

>>> print(c4_lines("Home\\nThe council met on Monday to vote.\\nPrivacy policy and terms apply here."))
The council met on Monday to vote.
"""

from __future__ import annotations

import html as htmllib
import importlib.util
import re
from dataclasses import dataclass
from typing import Callable

# -- line rules -------------------------------------------------------------------------

_C4_ENDINGS = (".", "?", "!", '"', "'", "\u201d", "\u2019")  # straight and curly closing quotes
_C4_POLICY = ("terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies")


def _keep_c4_line(line: str) -> bool:
    if len(line.split()) < 3:
        return False
    if line.endswith("...") or not line.endswith(_C4_ENDINGS):
        return False
    low = line.lower()
    return "javascript" not in low and not any(phrase in low for phrase in _C4_POLICY)


def c4_lines(text: str) -> str:
    """Keep the lines C4's line-level rules keep (datatrove ``C4QualityFilter`` defaults).

    A stripped line stays when it has at least three words, ends in terminal punctuation
    (``. ? !`` or a closing quote, not an ellipsis) and names neither javascript nor a
    cookie / privacy / terms policy. Page-level rules (sentence count, bad words, lorem
    ipsum, curly brackets) are not applied: they drop pages, not boilerplate.
    """
    return "\n".join(s for s in (x.strip() for x in text.split("\n")) if s and _keep_c4_line(s))


_COUNTER = re.compile(
    r"^\W*\d[\d,.]*[kmb]?\s+"
    r"(?:likes|shares|comments|retweets|reposts|quotes|bookmarks|upvotes|downvotes|downloads|views|followers)"
    r"\W*$"
)


def _keep_refinedweb_line(line: str) -> bool:
    if sum(1 for ch in line if ch.isupper()) > 0.5 * len(line):
        return False
    if line.replace(" ", "").isdigit():
        return False
    low = line.lower()
    if _COUNTER.match(low):
        return False
    words = line.split()
    if len(words) < 2:
        return False
    if len(words) <= 10:
        rest = low.replace("items in cart", "").strip()
        if rest.endswith("read more..."):
            rest = rest[: -len("read more...")].strip()
        if rest.startswith("sign-in"):
            rest = rest[len("sign-in"):].strip()
        return bool(rest)
    return True


def refinedweb_lines(text: str) -> str:
    """Keep the lines RefinedWeb's line-wise corrections keep (as in DCLM's refinedweb.yaml).

    A stripped line goes when more than half its characters are upper case, when it is only
    digits, when it is a social counter (``12k likes``), when it has a single word, or when a
    short line (ten words or fewer) is nothing but ``items in cart`` / ``read more...`` /
    ``sign-in`` boilerplate.
    """
    return "\n".join(s for s in (x.strip() for x in text.split("\n")) if s and _keep_refinedweb_line(s))


# -- optional extractors ----------------------------------------------------------------

def _justext_paragraphs(page: bytes) -> str:
    import justext

    paragraphs = justext.justext(page, justext.get_stoplist("English"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def justext_lines(text: str) -> str:
    """jusText's paragraph classifier run on the lines of plain text (one paragraph each)."""
    body = "".join(f"<p>{htmllib.escape(s)}</p>" for s in (x.strip() for x in text.split("\n")) if s)
    return _justext_paragraphs(f"<html><body>{body}</body></html>".encode())


def _decode_page(page: bytes) -> str:
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding

    return bytes_to_str(page, detect_encoding(page))


def extract_trafilatura(page: bytes, precision: bool = False) -> str:
    """trafilatura's main text with its default settings (or ``favor_precision``)."""
    import trafilatura

    return trafilatura.extract(page, favor_precision=precision) or ""


def extract_resiliparse(page: bytes) -> str:
    """resiliparse's main-content plain text."""
    from resiliparse.extract.html2text import extract_plain_text

    return extract_plain_text(_decode_page(page), main_content=True)


def extract_readability(page: bytes) -> str:
    """readability-lxml's article, as plain text (page decoded as resiliparse detects it)."""
    import lxml.html
    from readability import Document

    summary = Document(_decode_page(page)).summary()
    return lxml.html.fromstring(summary).text_content() if summary.strip() else ""


@dataclass(frozen=True)
class Anchor:
    """A reference system: its name, which input it reads, and what it needs installed."""

    name: str
    input: str  # "html" or "text"
    run: Callable[..., str]
    modules: tuple[str, ...] = ()
    packages: str = ""


ANCHORS: dict[str, Anchor] = {a.name: a for a in (
    Anchor("trafilatura", "html", extract_trafilatura, ("trafilatura",), "trafilatura"),
    Anchor("trafilatura_precision", "html", lambda page: extract_trafilatura(page, precision=True),
           ("trafilatura",), "trafilatura"),
    Anchor("readability", "html", extract_readability, ("readability", "resiliparse"),
           "readability-lxml and resiliparse"),
    Anchor("justext", "html", _justext_paragraphs, ("justext",), "jusText"),
    Anchor("resiliparse", "html", extract_resiliparse, ("resiliparse",), "resiliparse"),
    Anchor("identity", "text", lambda text: text),
    Anchor("c4", "text", c4_lines),
    Anchor("refinedweb", "text", refinedweb_lines),
    Anchor("justext_lines", "text", justext_lines, ("justext",), "jusText"),
)}


def missing_anchor(name: str) -> str | None:
    """Why the anchor ``name`` cannot run here (a module is not installed), or None."""
    anchor = ANCHORS[name]
    absent = [m for m in anchor.modules if importlib.util.find_spec(m) is None]
    if not absent:
        return None
    return f"{anchor.packages} not installed (pip install 'cleaner[eval]')"
