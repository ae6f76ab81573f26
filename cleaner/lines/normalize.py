"""Text normalisation shared by rule matching and heuristics.

Matching works on a *key* of each line: NFKC, typographic quotes and dashes folded to
ASCII, whitespace collapsed, case folded. The key never reaches the output.

>>> line_key("  100’s of   Premium titles. ")
"100's of premium titles."
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

import regex

_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u00a0": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "",
})
# str.translate looks every character up in a dict (slow on long lines); a replace per folded
# character present is ~10x faster and gives the same text (no replacement is itself folded).
_FOLD_PAIRS = tuple((chr(code), to) for code, to in _FOLD.items())
_SPACES = regex.compile(r"\s+")
WORD = regex.compile(r"\w+")
# A line that ends a sentence: final punctuation, then closing quotes or brackets.
SENTENCE_END = regex.compile(r"[.!?:;…]['\"”’)]*$")
_DIGITS = regex.compile(r"\d+")
# str.split() also splits on these, \s does not: only then is the regex needed.
_SPLIT_ONLY = re.compile(r"[\x1c-\x1f]")
_FOLDED = re.compile("[" + "".join(re.escape(chr(c)) for c in _FOLD) + "]")


def fold_text(text: str) -> str:
    """Fold typographic quotes, dashes and odd spaces to ASCII and collapse whitespace."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        if _FOLDED.search(text):
            for char, to in _FOLD_PAIRS:
                if char in text:
                    text = text.replace(char, to)
    if _SPLIT_ONLY.search(text):
        return _SPACES.sub(" ", text).strip()
    return " ".join(text.split())


def line_key(text: str) -> str:
    """The matching key of a line: folded and case-folded."""
    return fold_text(text).casefold()


def count_words(text: str) -> int:
    """Number of whitespace-separated words."""
    return len(text.split())


@lru_cache(maxsize=16384)  # a page's blocks and the lines of its text are mostly the same strings
def title_key(text: str) -> str:
    """Lower-cased words of ``text`` joined by single spaces.

    >>> title_key("Home Depot: sales miss — shares plunge!")
    'home depot sales miss shares plunge'
    """
    return " ".join(WORD.findall(text.lower()))


def line_hash(text: str) -> int:
    """The counting key of a line: a 64-bit hash of its folded form, digits folded."""
    key = _DIGITS.sub("0", line_key(text))
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")
