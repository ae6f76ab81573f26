"""The rule engine: compiled rule packs that mark spans of a :class:`Document`.

Rules never edit text. :meth:`RuleSet.tag` adds marks; :mod:`cleaner.apply` removes them.
Whole-line literal rules share one hash table keyed by the folded line, so their cost does
not grow with their number. The other rules are reduced to their required literals, which
one automaton finds in one scan of the document (:mod:`cleaner.lines.prefilter`); a rule is tried
on a line only when one of its literals occurs there and its cheap conditions (word counts,
position) pass. Rules without a usable literal are tried on every line.

The prefilter and the regexes run in the compiled core when it is built (``cleaner._core``,
Rust's ``regex`` crate: linear time), one call per document; a rule whose pattern the crate
cannot take (lookaround, back-references) stays on Python's ``regex`` with its timeout
(:meth:`RuleSet.engine_of`; ``cleaner rules list`` shows it). The Python prefilter and
regexes are the reference the core is held to (``tests/core/differential.py``).
"""

from __future__ import annotations

from collections import defaultdict

import regex

from ..document import (
    DROP_DOCUMENT,
    DROP_LINE,
    DROP_SECTION,
    DROP_TO_END,
    STRIP_SPAN,
    Document,
)
from ..errors import DocumentError
from ..lines.prefilter import LiteralIndex, required_literal_sets, required_literals
from ..lines.views import LineView, line_views, looks_like_prose
from .pack import Rule

try:
    from .._core import CoreError, RuleMatcher
except ImportError:  # a source checkout without the built extension: Python matches every rule
    CoreError = RuleMatcher = None

# The key of the core's answers by line text in a document's memo (RuleSet._core_spans).
_CORE_ANSWERS = object()
# Flags the core reads as Python does; a pattern compiled with others stays with Python.
_CORE_FLAGS = regex.IGNORECASE | regex.V0 | regex.UNICODE


def domain_matches(domain: str | None, scopes: tuple[str, ...]) -> bool:
    """True when ``domain`` is one of ``scopes`` or a subdomain of one."""
    if not domain:
        return False
    return any(domain == d or domain.endswith("." + d) for d in scopes)


class RuleSet:
    """Rules compiled once, applied to many documents."""

    def __init__(self, rules: list[Rule], rule_timeout: float = 2.0, prefilter: bool = True, core: bool = True):
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
        self._split: dict[str, tuple[frozenset[int], list[int]]] = {}  # per kind: see split_scoped
        self._specs = [_core_spec(r, req) for r, (_, req) in zip(self._scanned, needs)]
        self._use_core = RuleMatcher is not None and bool(self._scanned) and core
        self._matcher = None
        self._engines: dict[str, str] | None = None  # the core compiles a rule when first needed

    @property
    def _core(self):
        """The core's matcher of the scanned rules (None: Python matches them), built on first
        use: a plain-text run hardly needs it (the text core has its own)."""
        if self._matcher is None and self._use_core:
            self._matcher = RuleMatcher(self._specs)
        return self._matcher

    @_core.setter
    def _core(self, matcher) -> None:  # None: Python matches every rule (the differential's reference)
        self._matcher, self._use_core = matcher, matcher is not None

    def core_specs(self) -> tuple[list[Rule], list[tuple]]:
        """The scanned rules (those not in the whole-line table), in the engine's order, and
        what the core's matcher needs of each (:class:`cleaner._core.RuleMatcher`)."""
        return list(self._scanned), list(self._specs)

    def engine_of(self, rule: Rule) -> str:
        """Where ``rule`` is matched: ``table`` (whole-line literals, one hash lookup), ``core``
        (the compiled core's regex crate) or ``python`` (Python's ``regex``, with the timeout)."""
        if self._engines is None:
            in_core = self._core.in_core() if self._core is not None else [False] * len(self._scanned)
            self._engines = {r.id: "core" if ok else "python" for r, ok in zip(self._scanned, in_core)}
        return self._engines.get(rule.id, "table")

    def _rules_for(self, doc: Document, kind: str) -> tuple[list[int], frozenset[int]]:
        """Scanned rules that apply to ``doc``: those tried on every line, and all of them."""
        key = (kind, doc.domain, doc.site)
        got = self._active.get(key)
        if got is None:
            split = self._split.get(kind)
            if split is None:
                base, scoped = split_scoped(self._scanned, kind)
                split = self._split[kind] = (frozenset(i for i, ok in enumerate(base) if ok), scoped)
            ok = split[0].union(i for i in split[1] if rule_applies(self._scanned[i], doc, kind))
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
        the Python regexes on lines it has seen.
        """
        kind = "html" if doc.format == "html" else "text"
        always, active = self._rules_for(doc, kind)
        views = views if views is not None else line_views(doc)
        exact = self._exact
        found = self._core_spans(views, memo) if active else {}
        if found is None:  # no core, or a line it cannot take: the Python prefilter and regexes
            hits = self._index.hits(doc.text, [v.line.start for v in views]) if active else {}
            if always:
                todo: list[int] | range = range(len(views))
            else:  # only lines with a whole-line literal or an automaton hit can match anything
                todo = sorted({pos for pos, v in enumerate(views) if v.key in exact}.union(hits))
            for pos in todo:
                seen = hits.get(pos)
                order = sorted(always + [i for i in seen if i in active]) if seen else always
                self._tag_line(doc, views, pos, kind, order, None, memo)
                if doc.drop_reason:
                    return
            return
        for pos in sorted({pos for pos, v in enumerate(views) if v.key in exact}.union(found)):
            got = found.get(pos)
            order = [i for i in got if i in active] if got else []
            self._tag_line(doc, views, pos, kind, order, got, memo)
            if doc.drop_reason:
                return

    def _core_spans(self, views: list[LineView], memo: dict | None = None) -> dict[int, dict[int, list | None]] | None:
        """Per line (position in ``views``), the spans of each scanned rule the core matched
        there, in rule order (None: a rule Python must try on the line); None without the core.

        ``memo`` keeps the answer for each line text: a later cleaning pass of the document
        sends the core only the lines it has not seen.
        """
        if self._core is None:
            return None
        texts = [v.text for v in views]
        known = memo.get(_CORE_ANSWERS) if memo is not None else None
        ask = [i for i, t in enumerate(texts) if t not in known] if known is not None else range(len(texts))
        try:
            lines, rules, starts, ends = self._core.find([texts[i] for i in ask] if known is not None else texts)
        except UnicodeEncodeError:  # a lone surrogate is not UTF-8: Python matches this document
            return None
        except CoreError as exc:
            raise DocumentError("core_failed", str(exc)) from None
        found: dict[int, dict[int, list | None]] = {}
        for pos, i, start, end in zip(lines, rules, starts, ends):
            pos = ask[pos]
            got = found.get(pos)
            if got is None:
                got = found[pos] = {}
            if start < 0:
                got[i] = None
            else:
                spans = got.get(i)
                if spans is None:
                    got[i] = [(start, end)]
                else:
                    spans.append((start, end))
        if memo is not None:
            if known is None:
                known = memo[_CORE_ANSWERS] = {}
            for i in ask:
                known[texts[i]] = found.get(i)
            for pos, text in enumerate(texts):
                got = known[text]
                if got is not None:
                    found[pos] = got
        return found

    def _tag_line(self, doc: Document, views: list[LineView], pos: int, kind: str, order: list[int],
                  core: dict[int, list | None] | None, memo: dict | None) -> None:
        """Mark what the rules match in line ``pos``: its whole-line literals, then the scanned
        rules of ``order`` (their spans from ``core`` when the core matched them)."""
        view = views[pos]
        for rule in self._exact.get(view.key, ()):
            if rule_applies(rule, doc, kind) and _eligible(rule, view) and not (
                    rule.unless is not None and self._search(rule, "search", rule.unless, view.text)):
                self._act(rule, doc, views, pos, None)
        for i in order:
            rule = self._scanned[i]
            if not _eligible(rule, view):
                continue
            if rule.scope == "block":
                if self._block(rule, views, pos):
                    for v in views[pos:pos + len(rule.matchers)]:
                        doc.mark_line(v.line, rule.id, rule.name)
                continue
            spans = core.get(i) if core is not None else None
            if spans is None:
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
        elif action == DROP_TO_END and doc.discussion:
            # a discussion's replies are its content: the heading of their list goes, not they
            doc.mark_line(view.line, rule.id, rule.name)
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


def _core_spec(rule: Rule, literals: frozenset[str] | None) -> tuple:
    """What the core needs of a scanned rule (a scope it does not match, or flags it does not
    read as Python does, leave the rule to Python). Its prefilter is stricter than the Python
    one (a literal of every required set, not of the best one); both only over-approximate."""
    pattern = rule.matchers[0].regex
    plain = not (pattern.flags & ~_CORE_FLAGS) and (rule.unless is None or not rule.unless.flags & ~_CORE_FLAGS)
    scope = rule.scope if plain and len(rule.matchers) == 1 else "python"
    return (pattern.pattern, rule.unless.pattern if rule.unless is not None else None,
            bool(pattern.flags & regex.IGNORECASE), scope,
            [sorted(s) for s in required_literal_sets(pattern.pattern) or ()] or None if literals is not None else None)


def rule_applies(rule: Rule, doc: Document, kind: str) -> bool:
    """Whether ``rule`` applies to ``doc`` read as ``kind`` (text or html): its formats, domains, sites."""
    if rule.formats and kind not in rule.formats:
        return False
    if rule.domains and not domain_matches(doc.domain, rule.domains):
        return False
    if rule.sites and doc.site not in rule.sites:
        return False
    return True


def split_scoped(rules: list[Rule], kind: str) -> tuple[list[bool], list[int]]:
    """What :func:`rule_applies` says of each rule for every document read as ``kind`` (False
    for a rule scoped to domains or sites), and the positions of those scoped rules: a new
    site's document asks only about them (with thousands of rules, asking every rule cost
    more than cleaning the document)."""
    fits = [not r.formats or kind in r.formats for r in rules]
    base = [ok and not r.domains and not r.sites for ok, r in zip(fits, rules)]
    return base, [i for i, (ok, r) in enumerate(zip(fits, rules)) if ok and (r.domains or r.sites)]


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
