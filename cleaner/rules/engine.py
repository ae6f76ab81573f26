"""The rule engine: compiled rule packs that mark spans of a :class:`Document`.

Rules never edit text. :meth:`RuleSet.tag` adds marks; :mod:`cleaner.apply` removes them.
Whole-line literal rules share one hash table keyed by the folded line, so their cost does
not grow with their number. The other rules are reduced to their required literals, which
one automaton finds in one scan of the document (:mod:`cleaner.lines.prefilter`); a rule is tried
on a line only when one of its literals occurs there and its cheap conditions (word counts,
position) pass. Rules without a usable literal are tried on every line.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from ..document import (
    DROP_DOCUMENT,
    DROP_LINE,
    DROP_SECTION,
    DROP_TO_END,
    STRIP_SPAN,
    Document,
)
from ..errors import DocumentError
from ..lines.prefilter import LiteralIndex, required_literals
from ..lines.views import LineView, line_views, looks_like_prose
from .pack import Rule


def domain_matches(domain: str | None, scopes: tuple[str, ...]) -> bool:
    """True when ``domain`` is one of ``scopes`` or a subdomain of one."""
    if not domain:
        return False
    return any(domain == d or domain.endswith("." + d) for d in scopes)


class RuleSet:
    """Rules compiled once, applied to many documents."""

    def __init__(self, rules: list[Rule], rule_timeout: float = 2.0, prefilter: bool = True):
        self.rules = list(rules)
        self.rule_timeout = rule_timeout
        self._exact: dict[str, list[Rule]] = defaultdict(list)
        self._scanned: list[Rule] = []
        for rule in self.rules:
            m = rule.matchers[0]
            if rule.scope == "line" and m.literals:
                for key in m.literals:
                    self._exact[key].append(rule)
            else:
                self._scanned.append(rule)
        needs = [(i, _requirement(r) if prefilter else None) for i, r in enumerate(self._scanned)]
        self._always = [i for i, req in needs if req is None]
        self._index = LiteralIndex((i, req) for i, req in needs if req is not None)
        self._active: dict[tuple, tuple[list[int], frozenset[int]]] = {}

    def _rules_for(self, doc: Document, kind: str) -> tuple[list[int], frozenset[int]]:
        """Scanned rules that apply to ``doc``: those tried on every line, and all of them."""
        key = (kind, doc.domain, doc.site)
        got = self._active.get(key)
        if got is None:
            ok = frozenset(i for i, r in enumerate(self._scanned) if _applies(r, doc, kind))
            got = ([i for i in self._always if i in ok], ok)
            if len(self._active) > 4096:
                self._active.clear()
            self._active[key] = got
        return got

    def __len__(self) -> int:
        return len(self.rules)

    def tag(self, doc: Document, views: list[LineView] | None = None, memo: dict | None = None) -> None:
        """Add a mark for every place a rule matches in ``doc``.

        ``memo`` (optional) keeps each rule's matches per line text, so that cleaning the
        same document again (the passes of :meth:`Cleaner.clean_document`) does not rerun
        the regexes on lines it has seen.
        """
        kind = "html" if doc.format == "html" else "text"
        always, active = self._rules_for(doc, kind)
        views = views if views is not None else line_views(doc)
        hits = self._index.hits(doc.text, [v.line.start for v in views]) if active else {}
        scanned, exact = self._scanned, self._exact
        if always:
            todo: Iterable[int] = range(len(views))
        else:  # only lines with a whole-line literal or an automaton hit can match anything
            todo = sorted({pos for pos, v in enumerate(views) if v.key in exact}.union(hits))
        for pos in todo:
            if pos < 0:
                continue
            view = views[pos]
            for rule in exact.get(view.key, ()):
                if _applies(rule, doc, kind) and _eligible(rule, view) and not (
                        rule.unless is not None and self._search(rule, "search", rule.unless, view.text)):
                    self._act(rule, doc, views, pos, None)
            seen = hits.get(pos)
            order = sorted(always + [i for i in seen if i in active]) if seen else always
            for i in order:
                rule = scanned[i]
                if not _eligible(rule, view):
                    continue
                if rule.scope == "block":
                    if self._block(rule, views, pos):
                        for v in views[pos:pos + len(rule.matchers)]:
                            doc.mark_line(v.line, rule.id, rule.name)
                    continue
                if memo is None:
                    spans = self._find(rule, view)
                else:
                    spans = memo.get((rule.id, view.text))
                    if spans is None:
                        spans = memo[(rule.id, view.text)] = self._find(rule, view)
                for span in spans:
                    self._act(rule, doc, views, pos, span)
                    if rule.action != STRIP_SPAN:
                        break
            if doc.drop_reason:
                return

    def _search(self, rule: Rule, how: str, pattern, text: str):
        try:
            if how == "fullmatch":
                return pattern.fullmatch(text, timeout=self.rule_timeout)
            if how == "match":
                return pattern.match(text, timeout=self.rule_timeout)
            if how == "search":
                return pattern.search(text, timeout=self.rule_timeout)
            return list(pattern.finditer(text, timeout=self.rule_timeout))
        except TimeoutError:
            raise DocumentError("rule_timeout", f"rule {rule.id} ({rule.name}) took over "
                                f"{self.rule_timeout:g}s on one line", rule=rule.id) from None

    def _find(self, rule: Rule, view: LineView) -> list[tuple[int, int]]:
        """Spans of ``view.text`` (relative offsets) that ``rule`` matches."""
        matcher = rule.matchers[0]
        text = view.text
        if rule.unless is not None and self._search(rule, "search", rule.unless, text):
            return []
        if rule.scope == "line":
            if matcher.literals:
                return [(0, len(text))] if view.key in matcher.literals else []
            return [(0, len(text))] if self._search(rule, "fullmatch", matcher.regex, text) else []
        if rule.scope == "prefix":
            m = self._search(rule, "match", matcher.regex, text)
            return [(0, m.end())] if m and m.end() > 0 else []
        if rule.scope == "suffix":
            m = self._search(rule, "search", matcher.regex, text)
            return [(m.start(), len(text))] if m else []
        return [(m.start(), m.end()) for m in self._search(rule, "finditer", matcher.regex, text)
                if m.end() > m.start()]

    def _block(self, rule: Rule, views: list[LineView], pos: int) -> bool:
        if pos + len(rule.matchers) > len(views):
            return False
        for matcher, view in zip(rule.matchers, views[pos:pos + len(rule.matchers)]):
            if matcher.literals:
                if view.key not in matcher.literals:
                    return False
            elif not self._search(rule, "fullmatch", matcher.regex, view.text):
                return False
        return True

    def _act(self, rule: Rule, doc: Document, views: list[LineView], pos: int,
             span: tuple[int, int] | None) -> None:
        view = views[pos]
        action = rule.action
        if action == DROP_DOCUMENT:
            doc.drop_reason = rule.id
        elif action == DROP_LINE or (action == STRIP_SPAN and span is None):
            doc.mark_line(view.line, rule.id, rule.name)
        elif action == STRIP_SPAN:
            start, end = span
            text = view.text
            while start > 0 and text[start - 1].isspace():
                start -= 1
            while end < len(text) and text[end].isspace():
                end += 1
            doc.mark_span(view.offset + start, view.offset + end, rule.id, rule.name)
        elif action == DROP_TO_END:
            doc.mark_lines(view.index, len(doc.lines) - 1, rule.id, rule.name)
        elif action == DROP_SECTION:
            last = pos
            for nxt in range(pos + 1, min(len(views), pos + 1 + rule.section_max_lines)):
                v = views[nxt]
                if looks_like_prose(v) or v.words > rule.section_max_words:
                    break
                last = nxt
            doc.mark_lines(view.index, views[last].index, rule.id, rule.name)


def _requirement(rule: Rule) -> frozenset[str] | None:
    """Literals one of which a line must contain for ``rule`` to match it (None: any line)."""
    if rule.scope == "block":
        return None
    return required_literals(rule.matchers[0].regex.pattern)


def _applies(rule: Rule, doc: Document, kind: str) -> bool:
    if rule.formats and kind not in rule.formats:
        return False
    if rule.domains and not domain_matches(doc.domain, rule.domains):
        return False
    if rule.sites and doc.site not in rule.sites:
        return False
    return True


def _eligible(rule: Rule, view: LineView) -> bool:
    if rule.min_position is not None and view.head + 1 < rule.min_position * (view.head + view.tail + 1):
        return False
    if rule.max_words is not None and view.words > rule.max_words:
        return False
    if rule.min_words is not None and view.words < rule.min_words:
        return False
    if rule.within_head is not None and rule.within_tail is not None:
        return view.head < rule.within_head or view.tail < rule.within_tail
    if rule.within_head is not None and view.head >= rule.within_head:
        return False
    if rule.within_tail is not None and view.tail >= rule.within_tail:
        return False
    return True
