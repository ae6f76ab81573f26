"""A plain-text document cleaned whole by the compiled core, in one call.

The core (``cleaner._core.TextCore``, Rust in ``core/src/clean.rs``) runs what
:meth:`cleaner.pipeline.Cleaner.clean_document` runs on plain text: every cleaning pass, each
splitting the lines, tagging them with the rules (:class:`cleaner.rules.engine.RuleSet`'s
matching, conditions and actions), running HEU001, HEU002, HEU003, HEU030 and HEU010, and
applying the marks; then it composes the passes' removals. Python gets back the clean text and
the removals as flat arrays and builds the provenance from them: no object per line.

The Python implementation stays the reference the core is held to
(``tests/core/differential.py --documents``), and it cleans what the core does not take: HTML,
documents of sites with learned rules or line counts (the site-body classifier), text that is
not valid UTF-8 (a lone surrogate), a document where a rule the core leaves to Python's
``regex`` (lookaround, back-references) meets a line, and rule sets or heuristics the core does
not know (:func:`text_core` then gives ``None``).
"""

from __future__ import annotations

from array import array
from itertools import islice

import orjson
import regex

from ..apply import excerpt
from ..document import Document, CleanResult, Removal
from ..errors import DocumentError
from ..lines.body import MODELS, PRESETS, QUIET_SHIFT, RULE_ID as BODY_ID, TEXT_PRESETS, core_model, load_offset
from ..rules.engine import RuleSet, rule_applies, split_scoped
from ..rules.pack import Rule
from ..settings import Favor
from .registry import Heuristic

try:
    from .._core import CoreError, RemovalNames, TextCore, removals_json
except ImportError:  # a source checkout without the built extension
    CoreError = RemovalNames = TextCore = removals_json = None

# The plain-text heuristics the core runs, in the order it runs them (the registry's order).
CORE_HEURISTICS = ("HEU001", "HEU002", "HEU003", "HEU030", BODY_ID)
# Flags an exact rule's ``unless`` may carry for the core to read it as Python does.
_CORE_FLAGS = regex.IGNORECASE | regex.V0 | regex.UNICODE


class RemovalTable:
    """One document's removals as the core gives them: columns, no object per removal.

    A sequence of :class:`Removal` (each made when asked for); :meth:`json` writes the array a
    record carries in one call of the core, and :meth:`tally` counts removals, characters and
    lines per rule from the columns.
    """

    __slots__ = ("source", "_names", "_json_names", "_columns", "owners", "lines", "counts", "starts", "ends")

    def __init__(self, source: str, names: list[tuple[str, str]], json_names: "RemovalNames",
                 columns: list[bytes]):
        self.source, self._names, self._json_names, self._columns = source, names, json_names, columns
        self.owners, self.lines, self.counts = (array("I", c) for c in columns[:3])
        self.starts, self.ends = (array("Q", c) for c in columns[3:5])

    def __len__(self) -> int:
        return len(self.owners)

    def __getitem__(self, i: int) -> Removal:
        start, end = self.starts[i], self.ends[i]
        return Removal(*self._names[self.owners[i]], self.lines[i], start, end,
                       excerpt(self.source[start:end]), self.counts[i])

    def __iter__(self):
        source, names = self.source, self._names
        for o, line, n, s, e in zip(self.owners, self.lines, self.counts, self.starts, self.ends):
            yield Removal(*names[o], line, s, e, excerpt(source[s:e]), n)

    def head(self, k: int) -> list[Removal]:
        """The first ``k`` removals."""
        return list(islice(self, k))

    def chars_removed(self) -> int:
        return sum(self.ends) - sum(self.starts)

    def tally(self) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
        """Per rule id, in the order the rules first removed something: removals, characters
        removed, lines removed (plain dicts: a Counter's missing key costs a Python call)."""
        rules: dict[str, int] = {}
        chars: dict[str, int] = {}
        lines: dict[str, int] = {}
        names = self._names
        for o, n, s, e in zip(self.owners, self.counts, self.starts, self.ends):
            rid = names[o][0]
            rules[rid] = rules.get(rid, 0) + 1
            chars[rid] = chars.get(rid, 0) + e - s
            lines[rid] = lines.get(rid, 0) + n
        return rules, chars, lines

    def json(self, compact: bool = False) -> bytes:
        """The removals as the JSON array a record carries (``Removal.as_dict`` of each); a core
        error (a bug: the columns come from the core) rejects the document, not its batch."""
        try:
            return removals_json(self.source, *self._columns, self._json_names, compact)
        except CoreError as exc:
            raise DocumentError("core_failed", str(exc)) from None


class TextCoreCleaner:
    """The core's cleaner for one rule set, heuristics and favor; see :func:`text_core`."""

    def __init__(self, core, rules: list[Rule], owners: list[tuple[str, str]]):
        self._core = core
        self._rules = rules
        self._owners = owners
        # the owners' JSON names, handed to the core once (not converted per document)
        self._json_owners = RemovalNames([(orjson.dumps(i).decode(), orjson.dumps(n).decode()) for i, n in owners])
        self._active: dict[tuple, list[bool]] = {}
        self._base, self._scoped = split_scoped(rules, "text")  # a new site asks only the scoped rules

    def _active_rules(self, doc: Document) -> list[bool]:
        key = (doc.domain, doc.site)
        got = self._active.get(key)
        if got is None:
            got = list(self._base)
            for i in self._scoped:
                got[i] = rule_applies(self._rules[i], doc, "text")
            if len(self._active) > 4096:
                self._active.clear()
            self._active[key] = got
        return got

    def clean(self, doc: Document) -> CleanResult | None:
        """``doc`` cleaned (a plain-text document), or None when the Python path must clean it."""
        try:
            kind, owner, author, text, columns = self._core.clean(doc.text, self._active_rules(doc), doc.discussion)
        except UnicodeEncodeError:  # a lone surrogate is not UTF-8
            return None
        except CoreError as exc:
            raise DocumentError("core_failed", str(exc)) from None
        if kind == 2:
            return None
        meta = dict(doc.metadata)
        if author is not None:
            meta.setdefault("author", author)
        if kind == 1:
            return CleanResult("", doc.text, [], meta, "dropped_by_rule", f"rule {self._owners[owner][0]}")
        table = RemovalTable(doc.text, self._owners, self._json_owners, columns)
        result = CleanResult(text, doc.text, None, meta, table=table)
        if not text or text.isspace():  # (as ``not text.strip()``, without copying the text)
            result.rejected, result.detail = "empty_after_cleaning", "every line was removed"
        return result


def text_core(ruleset: RuleSet, heuristics: list[Heuristic], favor: str,
              include_comments: bool) -> TextCoreCleaner | None:
    """The core's cleaner for these rules and heuristics, or None when it cannot clean as the
    Python path does (no built core; a heuristic it does not run; an ``unless`` it cannot read)."""
    if TextCore is None:
        return None
    text_ids = [h.id for h in heuristics if "text" in h.formats]
    if [h for h in CORE_HEURISTICS if h in text_ids] != text_ids:
        return None
    rules = ruleset.rules
    owners = [(r.id, r.name) for r in rules] + [(h.id, h.name) for h in heuristics]
    number = {id(r): n for n, r in enumerate(rules)}
    heu = {h.id: len(rules) + n for n, h in enumerate(heuristics)}
    scanned, specs = ruleset.core_specs()
    exact = []
    in_scanned = {id(r) for r in scanned}
    for rule in rules:
        if id(rule) in in_scanned:
            continue
        unless = rule.unless
        if unless is not None and unless.flags & ~_CORE_FLAGS:
            return None
        exact.append((sorted(rule.matchers[0].literals), _info(rule, number[id(rule)]),
                      unless.pattern if unless is not None else None,
                      bool(unless is not None and unless.flags & regex.IGNORECASE)))
    model_name, bias = TEXT_PRESETS[favor]
    model = core_model(model_name)
    bias += load_offset(MODELS[model_name])
    # a document no rule found chrome in (mark_boilerplate_lines): balanced reads it with recall's bias
    quiet = bias + QUIET_SHIFT if favor == Favor.BALANCED else bias
    try:
        core = TextCore(specs, [_info(r, number[id(r)]) for r in scanned], exact,
                        tuple(heu.get(h) for h in CORE_HEURISTICS), include_comments, model,
                        bias, quiet, PRESETS[favor][1])
    except CoreError:
        return None
    return TextCoreCleaner(core, rules, owners)


def _info(rule: Rule, owner: int) -> tuple:
    return (owner, rule.action, rule.min_position, rule.max_words, rule.min_words, rule.within_head,
            rule.within_tail, rule.section_max_lines, rule.section_max_words)
