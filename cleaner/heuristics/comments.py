"""HEU030 comment-thread: the reader comments under an article, found from their headers.

A comment thread in scraped text is a run of short headers, each followed by the
comment: ``NAME says:`` (``sagt:``, ``dit :``), ``NAME on March 3, 2019 at 6:34 am said:``,
or a name line followed by a timestamp line with a clock time (``March 3, 2019 at
6:34 am``, ``2 days ago at 07:47 am``). The comments read as prose, so line classifiers
keep them. When two or more such headers occur after the article (not in the first
quarter of the document, and after some running text), the thread goes from its first
header to the end of the document.

Forum pages, whose posts are the content, are left alone: their posts start at the top,
and their quote headers (``NAME said:``, ``On DATE, NAME said:``) are not comment headers.
"""

from __future__ import annotations

import regex

from ..document import Document
from ..lines.normalize import SENTENCE_END
from ..lines.views import LineView
from .registry import Context

_MONTH = (
    r"(?:jan(?:uary|vier|uar|eiro)?|feb(?:ruary|ruar|rero)?|févr(?:ier)?|fev(?:ereiro)?|"
    r"mar(?:ch|s|zo|ço)?|märz|apr(?:il|ile)?|avr(?:il)?|abr(?:il)?|may|mai|mayo|maio|"
    r"maggio|june?|juin|juni|junio|giugno|junho|july?|juil(?:let)?|juli|julio|luglio|julho|"
    r"aug(?:ust)?|août|agosto|sep(?:t(?:ember)?)?|sept(?:embre)?|septiembre|settembre|"
    r"setembro|oct(?:ober|obre)?|okt(?:ober)?|octubre|ottobre|outubro|nov(?:ember|embre|iembre)?|"
    r"dec(?:ember)?|déc(?:embre)?|dez(?:ember|embro)?|dic(?:iembre|embre)?)\.?"
)
_WEEKDAY = (
    r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?|montag|dienstag|mittwoch|"
    r"donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
)
_DATE = (
    rf"(?:(?:{_WEEKDAY},?\s+)?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\.?\s+(?:de\s+)?{_MONTH}\s+(?:de\s+)?\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
    r"|\d+\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago)"
)
_TIME = r"\d{1,2}[:.h]\d{2}(?:\s*[ap]\.?\s?m\.?)?(?:\s*uhr)?"
_VERB = r"(?:said|says|wrote|sagt|schrieb|a écrit|dit|dice|escribió|scrive|disse|diz)"
_AT = r"(?:\s+(?:at|um|à|a las|alle|às|@)\s+|\s*[,|@\-–—]\s*|\s+)"

# "NAME says:" as WordPress and its translations print it (present tense only: the past
# tense "said:" and "schrieb:" are also forum quote headers).
_SAYS = regex.compile(r"(?P<name>\S.{0,48}?)\s+(?:says|sagt|dit|dice|diz|zegt)\s*:", regex.I)
# "NAME on DATE at TIME said:"
_DATED = regex.compile(
    rf"(?P<name>\S.{{0,48}}?)\s+(?:on|am|le|el|il|op|[\-–—|])\s+{_DATE}"
    rf"(?:{_AT}{_TIME})?\s*{_VERB}\s*:?",
    regex.I,
)
# A timestamp line with a clock time, under a name line.
_STAMP = regex.compile(rf"(?:(?:on|am|le|el|il)\s+)?{_DATE}{_AT}{_TIME}", regex.I)
_BYLINE = regex.compile(r"(?:by|von|par|por|door)\s", regex.I)
# Forum software prints these; a forum's posts are its content, not comments.
_FORUM = regex.compile(
    r"(?:last post|latest|replies|thread starter|started by|joined|posts|reply #\d+|messages)\s*:?\s*.{0,60}",
    regex.I,
)

_FORUM_FIRST = "lrtjpms"  # first letters of the _FORUM alternatives
_DIGIT = regex.compile(r"\d")  # every _DATE alternative has one
_VERB_LAST = "dsetbóz\u017f"  # _VERB's last letters, lower-cased (and the long s, which matches s)

_MIN_SAID = 2  # "says:" or dated "said:" headers in a thread
_MIN_STAMPED = 3  # name-over-timestamp headers over a written comment (a byline looks like one)
_STAMPED_POSITION = 0.25  # a thread of stamped headers starts no earlier than this
_MAX_GAP = 40  # non-blank lines between two headers of one thread
_MIN_POSITION = 0.1  # share of the document's non-blank lines before the first header
_MIN_PROSE_BEFORE = 60  # words of running text (the article) before the thread


def _is_name(v: LineView) -> bool:
    return (1 <= v.words <= 5 and len(v.text) <= 50 and not SENTENCE_END.search(v.text)
            and not _BYLINE.match(v.text) and not v.text[0].isdigit())


def _is_sentence(v: LineView) -> bool:
    return v.words >= 4 and bool(SENTENCE_END.search(v.text))


def comment_headers(views: list[LineView]) -> list[tuple[int, str]]:
    """Where comments start in ``views``: (position of the header, or of the name above the
    timestamp; ``said`` for a worded header, ``stamp`` for a timestamp over a written
    comment, ``bare`` for one over anything else)."""
    starts: list[tuple[int, str]] = []
    last = len(views) - 1
    for k, v in enumerate(views):
        if v.words > 16:
            continue
        text = v.text
        # necessary conditions first: "says:" ends in a colon; a date or a time has a digit
        digit = _DIGIT.search(text) is not None
        end = text[-1]
        if (end == ":" and _SAYS.fullmatch(text)) or (
                digit and (end == ":" or end.lower() in _VERB_LAST) and _DATED.fullmatch(text)):
            starts.append((k, "said"))
        elif digit and 0 < k < last and _STAMP.fullmatch(text) and _is_name(views[k - 1]):
            starts.append((k - 1, "stamp" if _is_sentence(views[k + 1]) else "bare"))
    return starts


def _forum_line(v: LineView) -> bool:
    """A line forum software prints (``Replies: 12``, ``Joined: ...``)."""
    if v.words > 12:
        return False
    first = v.text[0]
    # every _FORUM alternative starts with one of these letters (any case); ASCII folds simply
    if first.isascii() and first.lower() not in _FORUM_FIRST:
        return False
    return _FORUM.fullmatch(v.text) is not None


def thread_start(views: list[LineView]) -> int | None:
    """Position in ``views`` of the first header of the first comment thread, if any."""
    starts = comment_headers(views)
    forum = None  # whether the page is a forum: looked at only when a stamped thread qualifies
    i = 0
    while i < len(starts):
        j = i
        while j + 1 < len(starts) and starts[j + 1][0] - starts[j][0] <= _MAX_GAP:
            j += 1
        run = starts[i:j + 1]
        kinds = [kind for _, kind in run]
        first = run[0][0]
        if kinds.count("said") >= _MIN_SAID:
            return first
        if kinds.count("stamp") >= _MIN_STAMPED and first >= _STAMPED_POSITION * len(views):
            if forum is None:
                forum = any(map(_forum_line, views))
            if not forum:
                return first
        i = j + 1
    return None


def mark_comment_thread(doc: Document, views: list[LineView], ctx: Context) -> None:
    """Drop a comment thread after the article: from its first header to the end."""
    if ctx.include_comments:
        return  # the user asked to keep comments
    if len(views) < 8:
        return
    first = thread_start(views)
    if first is None or first < _MIN_POSITION * len(views):
        return
    if sum(v.words for v in views[:first] if v.words >= 12 or _is_sentence(v)) < _MIN_PROSE_BEFORE:
        return
    doc.mark_lines(views[first].index, views[-1].index, "HEU030", "comment-thread")
