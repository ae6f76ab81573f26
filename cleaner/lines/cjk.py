"""Chinese and Japanese lines as the line classifier's features expect them: words and stops.

Chinese and Japanese are written without spaces, so ``\\w+`` sees one long "word" per
clause: a paragraph of prose looks like a one-word label, with no stop words and no
sentence end (``。`` is not ``.``). :func:`feature_text` rewrites such a line for the
features only (the output text is never touched): runs of kanji and hanzi are cut into
two-character words (about the length of a word in both languages), a katakana run is one
word (a loan word), hiragana and (on Chinese lines) the commonest function characters are
one-character words (the stop words of :mod:`cleaner.lines.stopwords`), and full-width sentence
punctuation becomes its ASCII twin. A line of three or more space-separated Chinese or
Japanese runs and no sentence punctuation is a list of items (prose in these scripts has no
spaces): its spaces become `` | ``, the separator the menu cue reads.
Korean has spaces between words, but its particles are glued to them (``공개에``, ``반응은``):
they are cut off (``공개 에``) so that they count as the stop words they are.

>>> feature_text("これはペンです。")
'こ れ は ペン で す.'
>>> feature_text("関連記事")
'関連 記事'
>>> feature_text("時政 地方 法治 高層")
'時政 | 地方 | 法治 | 高層'
>>> feature_text("대중들의 반응은 비난으로 이어졌다.")
'대중들 의 반응 은 비난 으로 이어졌다.'
>>> feature_text("Plain text stays.")
'Plain text stays.'
"""

from __future__ import annotations

import re

import regex

_HAN_KANA = regex.compile(r"[\p{Han}\p{Katakana}\p{Hiragana}ー々]+")
_KANA = regex.compile(r"[\p{Katakana}\p{Hiragana}]")
_HAS_CJK = regex.compile(r"[\p{Han}\p{Katakana}\p{Hiragana}]")
# A cheap first test (re's plain range, ~5x faster than the script lookups on long lines):
# no Han, Katakana or Hiragana character lies below U+2E80, or below the lowest code point
# _HAS_CJK matches if its Unicode data ever says otherwise (checked once at import).
_LOWEST = _HAS_CJK.search("".join(map(chr, range(0x80, 0x2E80))))
_FLOOR = _LOWEST.group() if _LOWEST else "\u2e80"
_MAYBE_CJK = re.compile("[" + re.escape(_FLOOR) + "-\U0010ffff]")
# Chinese characters that are mostly grammar (particles, pronouns, copula, prepositions)
FUNCTION_HAN = frozenset("的了是在和也就都而及与着或之于把被让给从对这那我你他她它们有不个为所以但")
_PUNCT = str.maketrans({"。": ".", "．": ".", "！": "!", "？": "?", "、": ",", "，": ",", "：": ":",
                        "；": ";", "「": '"', "」": '"', "『": '"', "』": '"', "（": "(", "）": ")"})


_SPACE_BEFORE_PUNCT = regex.compile(r"\s+([.!?,:;)\"])(?=\s|$)")


def _is_hiragana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u309f"


def _words(run: str, kana: bool) -> str:
    """One run of kana and han as space-separated pseudo-words (``kana``: the line is Japanese)."""
    out: list[str] = []
    chunk = ""
    for ch in run:
        katakana = "\u30a0" <= ch <= "\u30ff"
        if chunk and katakana != ("\u30a0" <= chunk[-1] <= "\u30ff"):
            out.append(chunk)  # a katakana word (a loan word) is one word
            chunk = ""
        if _is_hiragana(ch) or (not kana and ch in FUNCTION_HAN):
            if chunk:
                out.append(chunk)
                chunk = ""
            out.append(ch)
            continue
        chunk += ch
        if len(chunk) == 2 and not katakana:
            out.append(chunk)
            chunk = ""
    if chunk:
        out.append(chunk)
    return " ".join(out)


# Korean: a particle glued to the end of a word of two syllables or more (longest first)
_HANGUL = regex.compile(r"\p{Hangul}")
_PARTICLE = regex.compile(r"(?<=\p{Hangul}\p{Hangul})(에서|으로|에게|까지|부터|처럼|보다|은|는|이|가|을|를|의|에|도|로|와|과|만)(?!\w)")
# A space between two Chinese or Japanese characters: prose in these scripts has none, so
# a line of several space-separated runs is a list of items (a menu, tags, link titles)
_CJK = r"[\p{Han}\p{Katakana}\p{Hiragana}ー々]"
_CJK_GAP = regex.compile(rf"(?<={_CJK})[ \u3000]+(?={_CJK})")
_CJK_SENTENCE = regex.compile(r"[。！？，、；]")
_ITEMS_MIN_GAPS = 2  # three items or more


def feature_text(text: str) -> str:
    """``text`` with Chinese and Japanese runs cut into words, particles cut off Korean
    words (unchanged when it has none of these scripts)."""
    if text.isascii() or not _MAYBE_CJK.search(text):
        return text
    if not _HAS_CJK.search(text):
        return _PARTICLE.sub(r" \1", text) if _HANGUL.search(text) else text
    if len(_CJK_GAP.findall(text)) >= _ITEMS_MIN_GAPS and not _CJK_SENTENCE.search(text):
        text = _CJK_GAP.sub(" | ", text)  # the items' separators, as the menu cue reads them
    kana = _KANA.search(text) is not None
    spaced = _HAN_KANA.sub(lambda m: f" {_words(m.group(), kana)} ", text)
    return _SPACE_BEFORE_PUNCT.sub(r"\1", " ".join(spaced.translate(_PUNCT).split()))
