"""Load and validate declarative rule packs (YAML files that are data, never code).

A pack file::

    family: promo                      # one file per family of junk
    description: Paywall and app calls to action.
    domains: [inkl.com]                # optional: scope every rule of the pack
    rules:
      - id: PROMO001                   # stable, never reused for another meaning
        name: paywall-signup-cta       # kebab-case: the junk it targets
        description: ...
        match:
          regex: '^sign up now\\b.*'   # or literal: "..." / [..., ...], or block: [...]
          scope: line                  # line | prefix | suffix | span | block
        when: {max_words: 12, within_tail: 30, domains: [...], sites: [...], formats: [text]}
        action: drop_line              # drop_line | strip_span | drop_to_end | drop_section | drop_document
        examples:
          remove: ["Sign up now for unlimited free access to"]
          keep: ["Sign up now, officials urged voters."]
        seen: {documents: 12, site_documents: 40}   # learned rules: how often it recurred

``sites`` scopes a rule to documents whose site key (:func:`cleaner.sources.sites.site_key`:
registered domain of the URL, else the directory under INPUT) is one of the list; the
packs ``cleaner mine`` writes use it.

Loading uses PyYAML's safe loader: no tags, no object construction, no imports. Every
problem raises :class:`~cleaner.errors.RuleError` with the file, line and rule id.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import orjson
import regex

from ..document import ACTIONS, DROP_SECTION, STRIP_SPAN
from ..errors import RuleError
from ..lines.normalize import line_key
from ..lines.prefilter import read_pattern, remember_readings
from ..sources.files import read_small_file
from . import packcache
from .patterns import Pattern, check_pattern

SCOPES = ("line", "prefix", "suffix", "span", "block")
ID_RE = regex.compile(r"^[A-Z][A-Z0-9]*[0-9]{3,}$|^[A-Z][A-Z0-9_-]*-[A-Z0-9]+$")
NAME_RE = regex.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RULE_KEYS = {"id", "name", "description", "match", "when", "action", "examples", "section", "aliases",
             "seen"}
MATCH_KEYS = {"literal", "regex", "scope", "block", "case_sensitive"}
WHEN_KEYS = {"max_words", "min_words", "within_head", "within_tail", "domains", "formats", "unless",
             "min_position", "sites"}
PACK_KEYS = {"family", "description", "domains", "rules", "learned"}
EXAMPLE_KEYS = {"remove", "keep"}
# A pack file larger than this is refused unread (a mined pack of 100k rules is about 30 MiB).
MAX_PACK_BYTES = 64 << 20
# A drop_section rule removes at most this many lines after its start line, each of at most
# this many words (a longer or prose line ends the section), unless the rule says otherwise.
_SECTION_MAX_LINES = 12
_SECTION_MAX_WORDS = 16


@dataclass(frozen=True)
class Matcher:
    """One compiled line pattern (a literal set or a regex)."""

    regex: Pattern  # compiled by Python's regex on first use
    literals: frozenset[str] = frozenset()  # keys of whole-line literals (fast path)
    source: str = ""  # the pattern text, for fingerprints


@dataclass(frozen=True)
class Rule:
    """A validated rule, ready for the engine."""

    id: str
    name: str
    description: str
    family: str
    path: str
    line: int
    scope: str
    action: str
    matchers: tuple[Matcher, ...]  # one per block line; one otherwise
    max_words: int | None = None
    min_words: int | None = None
    within_head: int | None = None
    within_tail: int | None = None
    min_position: float | None = None
    domains: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    unless: Pattern | None = None
    section_max_lines: int = 12
    section_max_words: int = 16
    examples_remove: tuple[Any, ...] = ()
    examples_keep: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    learned: bool = False
    seen_documents: int | None = None  # learned rules: documents of its site it recurred in
    canonical: str = field(default="", compare=False)

    @property
    def kind(self) -> str:
        return "rule"


def literal_regex(text: str, *, free_digits: bool = False) -> str:
    """A regex source matching ``text`` with flexible whitespace, quotes and dashes
    (``free_digits``: any run of decimal digits where ``text`` has one).

    >>> literal_regex("page 2 of 10", free_digits=True)
    'page\\\\s+\\\\d+\\\\s+of\\\\s+\\\\d+'
    """
    out = []
    for ch in text.strip():
        if free_digits and ch.isdecimal():
            if not out or out[-1] != r"\d+":
                out.append(r"\d+")
        elif ch.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
        elif ch in "'\u2018\u2019\u2032`":
            out.append("['\u2018\u2019\u2032`]")
        elif ch in '"\u201c\u201d\u00ab\u00bb':
            out.append('["\u201c\u201d\u00ab\u00bb]')
        elif ch in "-\u2010\u2011\u2012\u2013\u2014\u2212":
            out.append("[-\u2010\u2011\u2012\u2013\u2014\u2212]")
        else:
            out.append(regex.escape(ch))
    return "".join(out)


def _anchor(source: str, scope: str) -> str:
    """Wrap a pattern so that the engine's call matches the scope (suffix: must end the line)."""
    return rf"(?:{source})\s*\Z" if scope == "suffix" else f"(?:{source})"


def safe_loader() -> Any:
    """PyYAML's safe loader: libyaml's when PyYAML has it (same safety, ~10x faster on big
    learned packs)."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _PackLoader:
    """Reads one pack file into validated :class:`Rule` objects."""

    def __init__(self, path: str, text: str):
        self.path = path
        self.text = text

    def fail(self, line: int | None, rule_id: str | None, message: str) -> RuleError:
        return RuleError(self.path, line, rule_id, message)

    def load(self) -> list[Rule]:
        import yaml  # only for a pack the cache does not hold (~11 ms of imports)

        from .yamldata import construct_data

        loader = safe_loader()(self.text)
        try:
            node = loader.get_single_node()
            data = construct_data(loader, node) if node is not None else None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            raise self.fail(line, None, f"not valid YAML: {exc.problem or exc}") from None
        except yaml.YAMLError as exc:
            raise self.fail(None, None, f"not valid YAML: {exc}") from None
        finally:
            loader.dispose()
        if not isinstance(data, dict):
            raise self.fail(1, None, "a rule pack is a mapping with a 'rules' list")
        unknown = set(data) - PACK_KEYS
        if unknown:
            raise self.fail(1, None, f"unknown pack keys: {', '.join(sorted(map(str, unknown)))}")
        family = data.get("family") or Path(self.path).stem
        if not isinstance(family, str):
            raise self.fail(1, None, "'family' must be a string")
        pack_domains = self._strings(data.get("domains", []), 1, None, "domains")
        rules_data = data.get("rules")
        learned = bool(data.get("learned", False))
        if not isinstance(rules_data, list) or not (rules_data or learned):
            raise self.fail(1, None, "'rules' must be a non-empty list")
        rule_lines = self._rule_lines(node)
        return [
            self._rule(item, rule_lines[i] if i < len(rule_lines) else None, family, pack_domains, learned)
            for i, item in enumerate(rules_data)
        ]

    @staticmethod
    def _rule_lines(node: Any) -> list[int]:
        import yaml

        for key, value in getattr(node, "value", []):
            if getattr(key, "value", None) == "rules" and isinstance(value, yaml.SequenceNode):
                return [item.start_mark.line + 1 for item in value.value]
        return []

    def _strings(self, value: Any, line: int | None, rid: str | None, what: str) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(line, rid, f"'{what}' must be a string or a list of strings")
        return tuple(value)

    def _int(self, value: Any, line: int | None, rid: str | None, what: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(line, rid, f"'{what}' must be a whole number >= 0")
        return value

    def _share(self, value: Any, line: int | None, rid: str | None) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise self.fail(line, rid, "'min_position' is a share of the document from 0 to 1")
        return float(value)

    def _compile(self, source: str, flags: int, line: int | None, rid: str | None,
                 vouch_for: str | None = None) -> Pattern:
        checked = check_pattern(source, flags, vouch_for)
        if isinstance(checked, str):
            raise self.fail(line, rid, checked)
        return checked

    def _matcher(self, spec: Any, scope: str, flags: int, line: int | None, rid: str | None) -> Matcher:
        if isinstance(spec, str):
            spec = {"literal": spec}
        if not isinstance(spec, dict) or ("literal" in spec) == ("regex" in spec):
            raise self.fail(line, rid, "match needs exactly one of 'literal' or 'regex'")
        if "literal" in spec:
            lits = self._strings(spec["literal"], line, rid, "literal")
            if any(not lit.strip() for lit in lits):
                raise self.fail(line, rid, "a literal cannot be empty")
            source = "|".join(literal_regex(lit) for lit in lits)
            inner = _anchor(source, scope)  # vouched for without the lookarounds (valid, zero-width)
            if scope in ("prefix", "suffix", "span"):
                source = rf"(?<!\w)(?:{source})(?!\w)"
            pattern = self._compile(_anchor(source, scope), flags, line, rid, inner)
            keys = frozenset(line_key(lit) for lit in lits) if scope in ("line", "block") else frozenset()
            return Matcher(pattern, keys, json.dumps(sorted(lits), ensure_ascii=False))
        source = spec["regex"]
        if not isinstance(source, str) or not source:
            raise self.fail(line, rid, "'regex' must be a non-empty string")
        return Matcher(self._compile(_anchor(source, scope), flags, line, rid), frozenset(), source)

    def _rule(self, item: Any, line: int | None, family: str, pack_domains: tuple[str, ...],
              learned: bool) -> Rule:
        rid, name, description, action = self._head(item, line)
        match = item.get("match")
        scope, flags, matchers = self._match(match, action, line, rid)
        when = item.get("when", {}) or {}
        unless, formats, domains = self._when(when, flags, line, rid)
        section = item.get("section", {}) or {}
        if not isinstance(section, dict) or set(section) - {"max_lines", "max_words"}:
            raise self.fail(line, rid, "'section' takes max_lines and max_words")
        remove, keep = self._examples(item.get("examples", {}) or {}, line, rid)
        aliases = self._strings(item["aliases"], line, rid, "aliases") if "aliases" in item else ()
        sites = self._strings(when["sites"], line, rid, "sites") if "sites" in when else ()
        seen = item.get("seen", {}) or {}
        if not isinstance(seen, dict) or set(seen) - {"documents", "site_documents"}:
            raise self.fail(line, rid, "'seen' takes documents and site_documents")
        rule = Rule(
            id=rid, name=name, description=description.strip(), family=family, path=self.path,
            line=line or 0, scope=scope, action=action, matchers=matchers,
            max_words=self._int(when.get("max_words"), line, rid, "max_words"),
            min_words=self._int(when.get("min_words"), line, rid, "min_words"),
            within_head=self._int(when.get("within_head"), line, rid, "within_head"),
            within_tail=self._int(when.get("within_tail"), line, rid, "within_tail"),
            min_position=self._share(when.get("min_position"), line, rid),
            domains=tuple(d.lower().lstrip(".") for d in pack_domains + domains), sites=sites,
            formats=formats, unless=unless,
            section_max_lines=self._int(section.get("max_lines"), line, rid, "max_lines") or _SECTION_MAX_LINES,
            section_max_words=self._int(section.get("max_words"), line, rid, "max_words") or _SECTION_MAX_WORDS,
            examples_remove=remove, examples_keep=keep, aliases=aliases,
            learned=learned, seen_documents=self._int(seen.get("documents"), line, rid, "seen.documents"),
        )
        canonical = json.dumps(
            [rule.id, rule.scope, rule.action, [m.source for m in matchers], bool(match.get("case_sensitive")),
             when, sorted(rule.domains), section, sorted(rule.sites)],
            sort_keys=True, ensure_ascii=False, default=str,
        )
        object.__setattr__(rule, "canonical", canonical)
        return rule

    def _head(self, item: Any, line: int | None) -> tuple[str, str, str, str]:
        """A rule's id, name, description and action, each checked."""
        if not isinstance(item, dict):
            raise self.fail(line, None, "each rule is a mapping")
        rid = item.get("id")
        if not isinstance(rid, str) or not ID_RE.match(rid):
            raise self.fail(line, rid if isinstance(rid, str) else None,
                            "'id' must look like PROMO001 (capitals, then at least three digits)")
        unknown = set(item) - RULE_KEYS
        if unknown:
            raise self.fail(line, rid, f"unknown keys: {', '.join(sorted(map(str, unknown)))}")
        name = item.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise self.fail(line, rid, "'name' must be kebab-case, e.g. newsletter-signup-cta")
        description = item.get("description")
        if not isinstance(description, str) or not description.strip():
            raise self.fail(line, rid, "'description' is required")
        action = item.get("action")
        if action not in ACTIONS:
            raise self.fail(line, rid, f"'action' must be one of {', '.join(ACTIONS)}")
        return rid, name, description, action

    def _match(self, match: Any, action: str, line: int | None, rid: str) -> tuple[str, int, tuple[Matcher, ...]]:
        """The scope, regex flags and compiled matchers of a rule's ``match``."""
        if not isinstance(match, dict):
            raise self.fail(line, rid, "'match' is required: a mapping with literal, regex or block")
        unknown = set(match) - MATCH_KEYS
        if unknown:
            raise self.fail(line, rid, f"unknown match keys: {', '.join(sorted(map(str, unknown)))}")
        scope = match.get("scope", "block" if "block" in match else "line")
        if scope not in SCOPES:
            raise self.fail(line, rid, f"'scope' must be one of {', '.join(SCOPES)}")
        flags = regex.V0 | (0 if match.get("case_sensitive") else regex.IGNORECASE)
        if scope == "block":
            parts = match.get("block")
            if not isinstance(parts, list) or len(parts) < 2:
                raise self.fail(line, rid, "a block match is a list of at least two line patterns")
            matchers = tuple(self._matcher(p, "block", flags, line, rid) for p in parts)
        else:
            if "block" in match:
                raise self.fail(line, rid, "'block' goes with scope: block")
            matchers = (self._matcher(match, scope, flags, line, rid),)
        if action == STRIP_SPAN and scope in ("line", "block"):
            raise self.fail(line, rid, "strip_span needs scope prefix, suffix or span")
        if action == DROP_SECTION and scope == "block":
            raise self.fail(line, rid, "drop_section starts at one line: use scope line or prefix")
        return scope, flags, matchers

    def _when(self, when: Any, flags: int, line: int | None,
              rid: str) -> tuple[Any, tuple[str, ...], tuple[str, ...]]:
        """A rule's ``unless`` pattern, formats and own domains, from its ``when``."""
        if not isinstance(when, dict):
            raise self.fail(line, rid, "'when' must be a mapping")
        unknown = set(when) - WHEN_KEYS
        if unknown:
            raise self.fail(line, rid, f"unknown 'when' keys: {', '.join(sorted(map(str, unknown)))}")
        unless = None
        if "unless" in when:
            if not isinstance(when["unless"], str) or not when["unless"]:
                raise self.fail(line, rid, "'unless' must be a regex string")
            unless = self._compile(when["unless"], flags, line, rid)
        formats = self._strings(when.get("formats", []), line, rid, "formats") if "formats" in when else ()
        bad = set(formats) - {"text", "html"}
        if bad:
            raise self.fail(line, rid, f"'formats' takes text and html, not {', '.join(sorted(bad))}")
        domains = self._strings(when["domains"], line, rid, "domains") if "domains" in when else ()
        return unless, formats, domains

    def _examples(self, examples: Any, line: int | None, rid: str) -> tuple[tuple, tuple]:
        """A rule's remove and keep examples, each checked for its shape."""
        if not isinstance(examples, dict) or set(examples) - EXAMPLE_KEYS:
            raise self.fail(line, rid, "'examples' takes 'remove' and 'keep' lists")
        remove = examples.get("remove", []) or []
        keep = examples.get("keep", []) or []
        if not isinstance(remove, list) or not isinstance(keep, list):
            raise self.fail(line, rid, "'examples.remove' and 'examples.keep' must be lists")
        for ex in remove:
            ok = isinstance(ex, str) or (
                isinstance(ex, dict) and set(ex) == {"text", "expect"}
                and all(isinstance(v, str) for v in ex.values())
            )
            if not ok:
                raise self.fail(line, rid, "a remove example is a string or {text, expect}")
        if not all(isinstance(k, str) for k in keep):
            raise self.fail(line, rid, "keep examples must be strings")
        return tuple(remove), tuple(keep)


def load_pack(path: str | os.PathLike[str]) -> list[Rule]:
    """Load one pack file; raises :class:`RuleError` on any problem. What a pack loaded as is
    kept in :mod:`~cleaner.rules.packcache`: the same pack loads from there next time."""
    path = os.fspath(path)
    try:
        raw = read_small_file(path, MAX_PACK_BYTES)
    except OSError as exc:
        raise RuleError(path, None, None, f"cannot read rule file: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise RuleError(path, None, None, f"cannot read rule file: {exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleError(path, None, None, f"rule files are UTF-8: {exc.reason} at byte {exc.start}") from None
    entry = packcache.entry_path(raw, os.path.basename(path))
    if entry is not None:
        body = packcache.read_entry(entry)
        rules = _rules_from_json(body, path) if body is not None else None
        if rules is not None:
            return rules
    rules = _PackLoader(path, text).load()
    if entry is not None:
        body = _rules_to_json(rules)
        if body is not None:
            packcache.write_entry(entry, body)
    return rules


# Rule fields stored as JSON lists and read back as tuples (matchers and unless: see below).
_TUPLE_FIELDS = frozenset(f.name for f in fields(Rule) if f.type.startswith("tuple") and f.name != "matchers")


def _rules_to_json(rules: list[Rule]) -> bytes | None:
    """A loaded pack as a :mod:`packcache` entry's body (None: it holds what JSON cannot, such
    as a count past 64 bits); with the prefilter's reading of each pattern
    (:func:`~cleaner.lines.prefilter.read_pattern`), so that it is not parsed again."""
    stored, answers = [], {}
    for rule in rules:
        row = {}
        for f in fields(Rule):
            if f.name == "path":  # the file it is loaded from, given at each load
                continue
            value = getattr(rule, f.name)
            if f.name == "matchers":
                value = [[m.regex.pattern, m.regex.flags, sorted(m.literals), m.source] for m in value]
            elif f.name == "unless":
                value = None if value is None else [value.pattern, value.flags]
            elif isinstance(value, tuple):
                value = list(value)
            row[f.name] = value
        stored.append(row)
        if rule.scope != "block":
            source = rule.matchers[0].regex.pattern
            best, sets = read_pattern(source)
            answers[source] = [None if best is None else sorted(best),
                                None if sets is None else [sorted(s) for s in sets]]
    try:
        return orjson.dumps({"rules": stored, "readings": answers})
    except (orjson.JSONEncodeError, TypeError):
        return None


def _rules_from_json(body: bytes, path: str) -> list[Rule] | None:
    """The rules of a :mod:`packcache` entry's body, loaded from ``path`` (None: the body is not
    what :func:`_rules_to_json` writes, so the pack is loaded from its file)."""
    try:
        data = orjson.loads(body)
        rules = []
        for row in data["rules"]:
            row["matchers"] = tuple(Matcher(Pattern(p, flags), frozenset(lits), source)
                                    for p, flags, lits, source in row["matchers"])
            if row["unless"] is not None:
                row["unless"] = Pattern(*row["unless"])
            for name in _TUPLE_FIELDS:
                row[name] = tuple(row[name])
            rules.append(Rule(path=path, **row))
        readings = {source: (None if best is None else frozenset(best),
                             None if sets is None else tuple(map(frozenset, sets)))
                    for source, (best, sets) in data["readings"].items()}
    except (KeyError, TypeError, ValueError):
        return None
    remember_readings(readings)
    return rules


def pack_files(path: str | os.PathLike[str]) -> list[str]:
    """The ``.yaml``/``.yml`` files of a pack directory (recursively, sorted), or the file itself."""
    path = os.fspath(path)
    if os.path.isdir(path):
        found = []
        for root, dirs, files in os.walk(path):
            dirs.sort()
            found += [os.path.join(root, f) for f in sorted(files) if f.endswith((".yaml", ".yml"))]
        return found
    if os.path.exists(path):
        return [path]
    raise RuleError(path, None, None, "no such rule file or directory")


def load_rules(paths: list[str]) -> list[Rule]:
    """Load every pack under ``paths`` in order; ids must be unique across all of them."""
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    for top in paths:
        for path in pack_files(top):
            for rule in load_pack(path):
                for key in (rule.id, *rule.aliases):
                    if key in seen:
                        first = seen[key]
                        raise RuleError(rule.path, rule.line, rule.id,
                                        f"duplicate id {key}: already defined at {first.path}:{first.line}")
                    seen[key] = rule
                rules.append(rule)
    return rules


def fingerprint(canonicals: list[str]) -> str:
    """A short stable hash of a rule set (and the options that change its output)."""
    digest = hashlib.sha256("\n".join(canonicals).encode("utf-8")).hexdigest()
    return digest[:16]

