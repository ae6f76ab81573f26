"""Find the main body of plain scraped text from its lines alone (heuristic ``HEU010``).

The idea is jusText's context-sensitive paragraph classification, applied to lines:

1. Each line gets a class from its own features: ``good`` (long, stop-word rich prose),
   ``near`` (prose-like but weaker), ``short`` (too short to judge) or ``bad``
   (menu-, link- or footer-like).
2. ``near`` and ``short`` lines take the class of their context: between good lines they
   are kept (subheadings, bullets, short paragraphs), outside the body they go.
3. The headline right above the first good line is kept.

Stop words come from a small multilingual list so that the classifier does not collapse
on non-English pages. Thresholds move with ``favor`` (precision removes more).
"""

from __future__ import annotations

import regex

from .document import Document
from .engine import LineView
from .prefilter import may_match, required_literals

RULE_ID, RULE_NAME = "HEU010", "boilerplate-lines"

# Function words of the languages most common on the web (written for this project).
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers him his how i if in into is it its itself just me more most my
no nor not now of off on once only or other our out over own same she should so some such than
that the their them then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your said says also been its
der die das den dem des ein eine einer eines einem einen und oder aber nicht ist sind war waren
wird werden wurde hat haben hatte ich du er sie es wir ihr mit von zu zur zum im in am an auf aus
bei nach vor für über unter durch auch noch nur schon wie als wenn dass so sich man mehr sehr
le la les un une des du de et ou mais ne pas est sont était été a ont avait je tu il elle nous
vous ils elles avec pour par sur dans en au aux ce cette ces qui que quoi dont où plus très aussi
el los las uno una unos unas y o pero no es son era fue ha han había yo él ella nosotros con para
por sobre en del al este esta estos estas que como más muy también se su sus lo le
il lo gli uno una e o ma non è sono era stato ha hanno io lui lei noi voi loro con per su nel
della dello delle degli dei che come più molto anche si suo sua
o os as um uma e ou mas não é são foi tem têm eu ele ela nós com para por sobre em do da dos das
no na nos nas que como mais muito também se seu sua
de het een en of maar niet is zijn was waren wordt worden werd heeft hebben had ik jij hij zij
wij met van voor naar op uit bij aan ook nog dan als dat zo zich
i w na z do nie się że jest są to jak ale od po za o dla przez
и в не на что с по как это он она они мы вы я из за от для но же так у к о
""".split())

_WORD = regex.compile(r"\w+")
_SENT_END = regex.compile(r"[.!?…:;]['\"”’»)\]]*$")
_MENU_SEP = regex.compile(r"\s[|•·»›/]\s|\s[|•·»›]$")
_FOOTER = regex.compile(
    r"©|\(c\)\s*\d{4}|\ball rights reserved\b|\bprivacy policy\b|\bcookie|\bterms of (?:use|service)\b"
    r"|\balle rechte vorbehalten\b|\bimpressum\b|\bdatenschutz",
    regex.IGNORECASE,
)

# Cheap checks that give the same answers as the patterns above.
_FOOTER_HINTS = required_literals(_FOOTER.pattern)
_MENU_CHARS = "|•·»›/"
_CLOSERS = "'\"”’»)]"
_ASCII_WORD = bytes(c if chr(c).isalnum() or c == 95 else 32 for c in range(128)) + b" " * 128
_ASCII_STOPWORDS = frozenset(w.encode() for w in STOPWORDS if w.isascii())

_PRESETS = {
    # length_low (chars), length_high, stop_low, stop_high
    "precision": (80, 200, 0.30, 0.34),
    "balanced": (70, 200, 0.26, 0.30),
    "recall": (50, 150, 0.20, 0.25),
}


def stopword_density(text: str) -> float:
    """Share of the line's words that are function words."""
    if text.isascii():  # \w+ on ASCII text, done on bytes
        words = text.encode("ascii").lower().translate(_ASCII_WORD).split()
        stop = _ASCII_STOPWORDS
    else:
        words, stop = _WORD.findall(text.casefold()), STOPWORDS
    if not words:
        return 0.0
    return sum(map(stop.__contains__, words)) / len(words)


def ends_sentence(text: str) -> bool:
    """Same as ``_SENT_END.search(text)``: sentence punctuation, then only closing quotes."""
    body = text.rstrip(_CLOSERS)
    return bool(body) and body[-1] in ".!?…:;"


def is_footer(text: str) -> bool:
    """Copyright, rights and policy lines (``_FOOTER``), with a literal check first."""
    return may_match(_FOOTER_HINTS, text) and _FOOTER.search(text) is not None


def _menu_separators(text: str) -> int:
    if not any(ch in text for ch in _MENU_CHARS):
        return 0
    return len(_MENU_SEP.findall(text))


def classify_line(view: LineView, preset: tuple[int, int, float, float]) -> str:
    """The context-free class of one line: good, near, short or bad."""
    length_low, length_high, stop_low, stop_high = preset
    text = view.text
    if view.words < 40 and is_footer(text):
        return "bad"
    if _menu_separators(text) >= 2:
        return "bad"
    if len(text) < length_low:
        return "short"
    density = stopword_density(text)
    if density >= stop_high:
        return "good" if len(text) > length_high or ends_sentence(text) else "near"
    if density >= stop_low:
        return "near"
    if len(text) > length_high and ends_sentence(text):
        return "near"  # long sentences full of names and numbers: let the context decide
    return "bad"


def _neighbours(classes: list[str]) -> tuple[list[str], list[str]]:
    """For each line, the class of the nearest non-short line before it and after it."""
    n = len(classes)
    before, after = ["bad"] * n, ["bad"] * n
    last = "bad"
    for i, c in enumerate(classes):
        before[i] = last
        if c != "short":
            last = c
    last = "bad"
    for i in range(n - 1, -1, -1):
        after[i] = last
        if classes[i] != "short":
            last = classes[i]
    return before, after


def classify_lines(views: list[LineView], favor: str = "balanced") -> list[str]:
    """Final class (good or bad) for each line, after context smoothing."""
    preset = _PRESETS[favor]
    classes = [classify_line(v, preset) for v in views]
    if "good" not in classes:
        return ["good"] * len(views)  # nothing reads as prose: do not guess, keep it all
    # near lines: good next to good
    if "near" in classes:
        before, after = _neighbours(classes)
        classes = [("good" if "good" in (before[i], after[i]) else "bad") if c == "near" else c
                   for i, c in enumerate(classes)]
    # short lines: good inside the body, bad outside
    out = classes
    if "short" in classes:
        before, after = _neighbours(classes)
        out = [("good" if before[i] == "good" and after[i] == "good" else "bad") if c == "short" else c
               for i, c in enumerate(classes)]
    # the headline: the line right above the first good line
    top = out.index("good")
    if top > 0 and views[top - 1].words >= 4 and not is_footer(views[top - 1].text):
        out[top - 1] = "good"
    return out


def mark_boilerplate_lines(doc: Document, views: list[LineView], settings: dict) -> None:
    """Mark the lines the classifier puts outside the main body."""
    if not views:
        return
    for view, cls in zip(views, classify_lines(views, settings.get("favor", "balanced"))):
        if cls == "bad":
            doc.mark_line(view.line, RULE_ID, RULE_NAME)
