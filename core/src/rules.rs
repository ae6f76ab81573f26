//! The rule matcher: which scanned rules match which lines of a document, and where, in one call.
//!
//! The Python rule engine (`cleaner/rules/engine.py`) keeps the rules' order, conditions and
//! actions; this module does the part that costs: the literal prefilter (one Aho-Corasick
//! automaton over the rules' required literals, as `cleaner/lines/prefilter.py` computes them)
//! and the rule regexes, compiled with the `regex` crate (linear time). A pattern the crate
//! cannot compile (lookaround, back-references), or one whose meaning could differ between
//! Python's `regex` module and the crate, is left to Python: the matcher reports the lines
//! where the prefilter lets it through, and Python runs the rule there with its timeout.
//!
//! A suffix rule that starts with a lookbehind (`(?<=[.!?])\s*- Copyright ...`) runs in the
//! core too: the rest of the pattern is matched, and the lookbehind is checked as a pattern
//! that must end where the match starts (the next candidate start is tried when it does not).
//!
//! Offsets are in code points of the line, as Python counts them.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use std::sync::OnceLock;

use regex::Regex;

use crate::literals::required_sets;
use crate::forms::{longer_than, longest_match, Gate, ShortForm};
use crate::forward::Forward;

/// How a rule's pattern must match a line (`RuleSet._find`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The whole line (`fullmatch`).
    Line,
    /// At the start of the line (`match`): the span is the start to the match's end.
    Prefix,
    /// Anywhere, ending the line (the loader anchors the pattern): the span is the match's start to the end.
    Suffix,
    /// Every non-empty match (`finditer`).
    Span,
}

impl Scope {
    /// The scope of a pack's `scope:` word (`None`: a scope the matcher does not handle, such as `block`).
    pub fn from_name(name: &str) -> Option<Scope> {
        match name {
            "line" => Some(Scope::Line),
            "prefix" => Some(Scope::Prefix),
            "suffix" => Some(Scope::Suffix),
            "span" => Some(Scope::Span),
            _ => None,
        }
    }
}

/// One scanned rule as the pack loader compiled it.
#[derive(Debug, Clone)]
pub struct RuleSpec {
    /// The pattern as Python compiles it (after the loader's anchoring).
    pub pattern: String,
    /// The `unless` pattern, if any: a line it matches is never matched by the rule.
    pub unless: Option<String>,
    pub case_insensitive: bool,
    /// `None`: a scope the core does not match (the rule stays with Python).
    pub scope: Option<Scope>,
    /// Sets of lower-cased literals: a matching line contains one literal of each set
    /// (`None`: try every line).
    pub literals: Option<Vec<Vec<String>>>,
}

/// The start reported for a (line, rule) pair that Python must try itself.
pub const LEFT_TO_PYTHON: i64 = -1;
/// Starts at which a suffix rule's leading lookbehind is tried before the line goes to Python.
const MAX_LOOKBEHIND_TRIES: usize = 64;

/// What the matcher found in one document, as flat arrays (one entry per span, in line then rule order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub line: Vec<u32>,
    pub rule: Vec<u32>,
    /// Code-point offsets in the line; `LEFT_TO_PYTHON` (and end -1) for a rule Python runs.
    pub start: Vec<i64>,
    pub end: Vec<i64>,
}

impl Found {
    fn push(&mut self, line: usize, rule: usize, start: i64, end: i64) {
        self.line.push(line as u32);
        self.rule.push(rule as u32);
        self.start.push(start);
        self.end.push(end);
    }
}

/// How a rule's regex is searched: a whole-line rule only asks whether the line matches.
#[derive(Debug)]
enum Search {
    Whole {
        regex: Forward,
        /// The pattern with its bounded runs of any character unbounded, for short lines.
        short: Option<ShortForm<Forward>>,
    },
    Find {
        regex: Regex,
        short: Option<ShortForm<Regex>>,
        /// A suffix rule's pattern as a forward yes/no question, asked first: the crate finds a
        /// suffix match backwards from the end of the line, and its reverse lazy DFA builds
        /// costly states on most lines it reads (a Unicode class read backwards), while the
        /// forward one stops early on the many lines the prefilter lets through that do not match.
        exists: Option<Forward>,
    },
}

#[derive(Debug)]
struct Compiled {
    search: Search,
    unless: Option<Forward>,
    scope: Scope,
    /// A leading lookbehind, as a pattern anchored at the end of the text before the match.
    behind: Option<Regex>,
    /// A whole-line pattern: the most characters it can match (a longer line is not searched).
    longest: Option<usize>,
    /// The pattern without its Unicode word boundaries: a non-ASCII line it does not match is not searched.
    gate: Option<Gate>,
}

/// The scanned rules of a rule set, compiled once.
#[derive(Debug)]
pub struct Matcher {
    specs: Vec<RuleSpec>,
    /// Each rule compiled on first use (a pack of thousands of rules costs only those a corpus needs).
    rules: Vec<OnceLock<Option<Compiled>>>,
    automaton: Option<AhoCorasick>,
    /// The literal sets (by number) each literal of the automaton belongs to.
    owners: Vec<Vec<u32>>,
    /// The rule of each literal set.
    set_rule: Vec<u32>,
    /// The literal sets of each rule (a range of set numbers).
    rule_sets: Vec<std::ops::Range<u32>>,
    /// Rules with no literal: tried on every line.
    always: Vec<u32>,
}

/// Literals up to which the prefilter's automaton is a DFA (see [`Matcher::new`]).
const MAX_DFA_LITERALS: usize = 1000;

/// Characters that Python's `regex` matches to an ASCII letter case-insensitively, or that
/// `str.lower()` maps to one, and that letter: a line holding one is scanned with them folded
/// (as the Python prefilter's `fold_for_scan` does), so the prefilter still only over-approximates.
const FOLDS_TO_ASCII: [char; 4] = ['\u{130}', '\u{131}', '\u{17f}', '\u{212a}'];
const FOLDED: [char; 4] = ['i', 'i', 's', 'k'];

/// A character as the literal scan sees it: a character of `FOLDS_TO_ASCII` folded to its
/// letter, ASCII lower-cased (the literals are read the same way).
fn scan_fold(c: char) -> char {
    match FOLDS_TO_ASCII.iter().position(|&f| f == c) {
        Some(i) => FOLDED[i],
        None => c.to_ascii_lowercase(),
    }
}

/// `text` as the literal scan reads it, into `out`: each character as [`scan_fold`] gives it
/// (the characters of `FOLDS_TO_ASCII` folded, ASCII lower-cased).
fn fold_for_scan(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() || !holds_fold_to_ascii(text) {
        out.push_str(text);
        out.make_ascii_lowercase();
    } else {
        out.extend(text.chars().map(scan_fold));
    }
}

/// Whether `text` holds a character of `FOLDS_TO_ASCII` (U+0130, U+0131, U+017F, U+212A: their
/// UTF-8 is C4 B0, C4 B1, C5 BF, E2 84 AA), found by their lead bytes (`memchr3`).
fn holds_fold_to_ascii(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr3_iter(0xC4, 0xC5, 0xE2, b).any(|i| match b[i] {
        0xC4 => matches!(b.get(i + 1), Some(0xB0 | 0xB1)),
        0xC5 => b.get(i + 1) == Some(&0xBF),
        _ => b.get(i + 1..i + 3) == Some(&[0x84, 0xAA][..]),
    })
}

impl Matcher {
    /// Compile the rules; a rule the crate cannot take is left to Python (see [`Matcher::in_core`]).
    pub fn new(specs: &[RuleSpec]) -> Matcher {
        Matcher::build(specs, true)
    }

    /// [`Matcher::new`]; `derive`: read the literals of a rule the loader found none for from its regex.
    fn build(specs: &[RuleSpec], derive: bool) -> Matcher {
        let rules: Vec<OnceLock<Option<Compiled>>> = specs.iter().map(|_| OnceLock::new()).collect();
        let mut literals: Vec<String> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut owners: Vec<Vec<u32>> = Vec::new();
        let mut set_rule: Vec<u32> = Vec::new();
        let mut rule_sets = Vec::with_capacity(specs.len());
        let mut always = Vec::new();
        for (i, spec) in specs.iter().enumerate() {
            let first = set_rule.len() as u32;
            let usable = |sets: &Vec<Vec<String>>| {
                !sets.is_empty()
                    && sets
                        .iter()
                        .all(|set| !set.is_empty() && set.iter().all(|l| !l.is_empty()))
            };
            // a rule the core matches and the loader found no literal for: the literals of its
            // compiled regex (a literal of letters with case outside ASCII, say)
            let derived = match &spec.literals {
                None if derive && rules[i].get_or_init(|| compile(spec)).is_some() => {
                    core_source(spec).and_then(|source| required_sets(&source, scan_fold))
                }
                _ => None,
            };
            match spec.literals.as_ref().or(derived.as_ref()) {
                Some(sets) if usable(sets) => {
                    for set in sets {
                        let number = set_rule.len() as u32;
                        set_rule.push(i as u32);
                        for lit in set {
                            // as the scan reads a line (see `fold_for_scan`)
                            let lit: String = lit.chars().map(scan_fold).collect();
                            let k = *index.entry(lit.clone()).or_insert_with(|| {
                                literals.push(lit);
                                owners.push(Vec::new());
                                literals.len() - 1
                            });
                            if owners[k].last() != Some(&number) {
                                owners[k].push(number);
                            }
                        }
                    }
                }
                _ => always.push(i as u32),
            }
            rule_sets.push(first..set_rule.len() as u32);
        }
        let automaton = if literals.is_empty() {
            None
        } else {
            // a DFA (the fastest kind to scan) for the few hundred literals of the shipped packs;
            // for thousands (a big user or mined pack) a contiguous NFA, as fast to scan and far
            // cheaper to build (a DFA over 10,000 literals takes ~0.1 s per matcher)
            let kind = if literals.len() <= MAX_DFA_LITERALS {
                AhoCorasickKind::DFA
            } else {
                AhoCorasickKind::ContiguousNFA
            };
            // case-sensitive over lines lower-cased as the literals are (`fold_for_scan`): the
            // same matches as an ASCII case-insensitive automaton, scanned in half the time
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .kind(Some(kind))
                .build(&literals)
                .or_else(|_| AhoCorasickBuilder::new().match_kind(MatchKind::Standard).build(&literals))
                .ok()
        };
        if automaton.is_none() && !literals.is_empty() {
            // cannot happen with a few thousand literals; if it did, every rule is tried everywhere
            always = (0..specs.len() as u32).collect();
        }
        Matcher {
            specs: specs.to_vec(),
            rules,
            automaton,
            owners,
            set_rule,
            rule_sets,
            always,
        }
    }

    /// Rule `r`, compiled (`None`: Python runs it).
    fn rule(&self, r: usize) -> Option<&Compiled> {
        self.rules[r].get_or_init(|| compile(&self.specs[r])).as_ref()
    }

    /// For each rule, whether the core matches it (false: Python's `regex` runs it).
    pub fn in_core(&self) -> Vec<bool> {
        (0..self.rules.len()).map(|r| self.rule(r).is_some()).collect()
    }

    /// The spans every rule matches in each line (stripped, non-blank texts), and the
    /// (line, rule) pairs Python must try itself.
    pub fn find(&self, lines: &[&str]) -> Found {
        let mut found = Found::default();
        self.each_span(lines, |_, _| true, |pos, r, span| match span {
            Some((s, e)) => {
                let text = lines[pos];
                found.push(pos, r, chars_to(text, s), chars_to(text, e))
            }
            None => found.push(pos, r, LEFT_TO_PYTHON, LEFT_TO_PYTHON),
        });
        found
    }

    /// Call `emit(line, rule, span)` for each byte span a rule matches, in line then rule
    /// order; span `None`: a (line, rule) pair Python must try itself. Only the (line, rule)
    /// pairs that `wanted` accepts are tried (the caller's conditions that do not depend on the
    /// match, such as a word limit).
    pub fn each_span(
        &self,
        lines: &[&str],
        wanted: impl Fn(usize, usize) -> bool,
        mut emit: impl FnMut(usize, usize, Option<(usize, usize)>),
    ) {
        let n = self.rules.len();
        let mut rule_seen = vec![usize::MAX; n];
        let mut set_seen = vec![usize::MAX; self.set_rule.len()];
        let mut touched: Vec<u32> = Vec::new();
        let mut candidates: Vec<u32> = Vec::new();
        let mut scanned = String::new();
        for (pos, text) in lines.iter().enumerate() {
            candidates.clear();
            fold_for_scan(text, &mut scanned);
            candidates.extend_from_slice(&self.always);
            if let Some(ac) = &self.automaton {
                touched.clear();
                for m in ac.find_overlapping_iter(scanned.as_str()) {
                    for &set in &self.owners[m.pattern().as_usize()] {
                        if set_seen[set as usize] != pos {
                            set_seen[set as usize] = pos;
                            let r = self.set_rule[set as usize];
                            if rule_seen[r as usize] != pos {
                                rule_seen[r as usize] = pos;
                                touched.push(r);
                            }
                        }
                    }
                }
                // a rule is tried where one literal of each of its sets occurs
                candidates.extend(touched.iter().copied().filter(|&r| {
                    self.rule_sets[r as usize]
                        .clone()
                        .all(|set| set_seen[set as usize] == pos)
                }));
            }
            if candidates.is_empty() {
                continue;
            }
            candidates.sort_unstable();
            for &r in &candidates {
                if !wanted(pos, r as usize) {
                    continue;
                }
                match self.rule(r as usize) {
                    None => emit(pos, r as usize, None),
                    Some(rule) => {
                        let done = rule.spans(text, |s, e| emit(pos, r as usize, Some((s, e))));
                        if !done {
                            emit(pos, r as usize, None);
                        }
                    }
                }
            }
        }
    }
}

impl Compiled {
    /// Call `emit` with the byte span of each match of the rule in `text` (`RuleSet._find`);
    /// false (nothing emitted) when the line is left to Python: a leading lookbehind that failed
    /// at `MAX_LOOKBEHIND_TRIES` starts (each try scans the rest of the line: trying every start
    /// of a long line would be quadratic; Python's regex runs it under the rule timeout).
    fn spans(&self, text: &str, mut emit: impl FnMut(usize, usize)) -> bool {
        if self.longest.is_some_and(|most| longer_than(text, most)) {
            return true;
        }
        if self.gate.as_ref().is_some_and(|gate| !gate.may_match(text)) {
            return true;
        }
        if let Some(unless) = &self.unless {
            if unless.is_match(text) {
                return true;
            }
        }
        let regex = match &self.search {
            Search::Whole { regex, short } => {
                if short.as_ref().and_then(|s| s.on(text)).unwrap_or(regex).is_match(text) {
                    emit(0, text.len());
                }
                return true;
            }
            Search::Find { regex, short, exists } => {
                if exists.as_ref().is_some_and(|e| !e.is_match(text)) {
                    return true;
                }
                short.as_ref().and_then(|s| s.on(text)).unwrap_or(regex)
            }
        };
        match self.scope {
            Scope::Line => {
                if regex.is_match(text) {
                    emit(0, text.len());
                }
            }
            Scope::Prefix => {
                if let Some(m) = regex.find(text) {
                    if m.end() > 0 {
                        emit(0, m.end());
                    }
                }
            }
            Scope::Suffix => {
                let Some(behind) = &self.behind else {
                    if let Some(m) = regex.find(text) {
                        emit(m.start(), text.len());
                    }
                    return true;
                };
                // Python's search: the leftmost start where the rest matches and the lookbehind holds
                let mut from = 0;
                let mut tries = 0;
                while let Some(m) = regex.find_at(text, from) {
                    if behind.is_match(&text[..m.start()]) {
                        emit(m.start(), text.len());
                        return true;
                    }
                    tries += 1;
                    if tries >= MAX_LOOKBEHIND_TRIES {
                        return false;
                    }
                    match text[m.start()..].chars().next() {
                        Some(ch) => from = m.start() + ch.len_utf8(),
                        None => return true,
                    }
                }
            }
            Scope::Span => {
                for m in regex.find_iter(text) {
                    if m.end() > m.start() {
                        emit(m.start(), m.end());
                    }
                }
            }
        }
        true
    }
}

/// The code-point offset of byte offset `byte` of `text`.
fn chars_to(text: &str, byte: usize) -> i64 {
    if text.is_ascii() {
        byte as i64
    } else {
        text[..byte].chars().count() as i64
    }
}

/// The source of a rule's regex in the crate's syntax, anchored for its scope (without a
/// leading lookbehind, which [`compile`] checks apart), and that lookbehind's source.
fn core_sources(spec: &RuleSpec) -> Option<(String, Option<String>)> {
    let scope = spec.scope?;
    let flags = if spec.case_insensitive { "(?i)" } else { "" };
    let (behind, pattern) = match (scope, leading_lookbehind(&spec.pattern)) {
        (Scope::Suffix, Some((behind, rest))) => (Some(format!("{flags}(?:{})\\z", translate(&behind)?)), rest),
        _ => (None, spec.pattern.clone()),
    };
    let source = translate(&pattern)?;
    let anchored = match scope {
        Scope::Line => format!(r"{flags}\A(?:{source})\z"),
        Scope::Prefix => format!(r"{flags}\A(?:{source})"),
        Scope::Suffix | Scope::Span => format!("{flags}{source}"),
    };
    Some((anchored, behind))
}

/// The source of a rule's (main) regex as [`compile`] builds it.
fn core_source(spec: &RuleSpec) -> Option<String> {
    core_sources(spec).map(|(source, _)| source)
}

/// The rule compiled by the crate, or `None` when Python must run it.
fn compile(spec: &RuleSpec) -> Option<Compiled> {
    let scope = spec.scope?;
    let (anchored, behind) = core_sources(spec)?;
    let behind = match behind {
        Some(b) => Some(Regex::new(&b).ok()?),
        None => None,
    };
    // parsed once: the forms below are built from it (the crate's `Regex::new` parses the same way)
    let hir = regex_syntax::parse(&anchored).ok()?;
    let search = match scope {
        // a yes/no question: the forward engine alone
        Scope::Line => Search::Whole {
            regex: Forward::from_hir(&hir)?,
            short: ShortForm::of(&hir, Forward::from_hir),
        },
        _ => Search::Find {
            regex: Regex::new(&anchored).ok()?,
            short: ShortForm::of(&hir, |short| Regex::new(&short.to_string()).ok()),
            exists: match scope {
                Scope::Suffix => Some(Forward::from_hir(&hir)?),
                _ => None,
            },
        },
    };
    if scope == Scope::Span && hir.properties().minimum_len() == Some(0) {
        return None; // Python and the crate step past empty matches differently
    }
    let unless = match &spec.unless {
        None => None,
        Some(u) => Some(compile_unless(u, spec.case_insensitive)?),
    };
    Some(Compiled {
        gate: Gate::of(&hir),
        longest: match scope {
            Scope::Line => longest_match(&hir),
            _ => None,
        },
        search,
        unless,
        scope,
        behind,
    })
}

/// An `unless` pattern compiled as the rules' are (`None`: the crate cannot take it).
pub(crate) fn compile_unless(pattern: &str, case_insensitive: bool) -> Option<Forward> {
    let flags = if case_insensitive { "(?i)" } else { "" };
    Forward::new(&format!("{flags}{}", translate(pattern)?))
}

/// `(?:(?<=L)R)...` as (`L`, `(?:R)...`), when `L` only looks at the text before the match
/// (no assertion about what follows it, no nested lookaround) and the group has no top-level
/// alternative (which the lookbehind would not cover).
fn leading_lookbehind(pattern: &str) -> Option<(String, String)> {
    const HEAD: &str = "(?:(?<=";
    let body = pattern.strip_prefix(HEAD)?;
    let close = group_end(body)?;
    let behind = &body[..close];
    let rest = &body[close + 1..];
    if [r"\b", r"\B", "$", r"\Z", r"\z", "(?=", "(?!", "(?<"]
        .iter()
        .any(|a| behind.contains(a))
    {
        return None;
    }
    let outer = group_end(rest)?;
    if top_level_bar(&rest[..outer]) {
        return None;
    }
    Some((behind.to_string(), format!("(?:{rest}")))
}

/// The byte index of the `)` closing a group whose body starts `text` (escapes and classes skipped).
fn group_end(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        match ch {
            '\\' => {
                chars.next();
            }
            '[' => {
                // a class: a leading ']' (or '^]') is literal; ends at the next unescaped ']'
                if let Some(&(_, '^')) = chars.peek() {
                    chars.next();
                }
                if let Some(&(_, ']')) = chars.peek() {
                    chars.next();
                }
                loop {
                    match chars.next()? {
                        (_, '\\') => {
                            chars.next();
                        }
                        (_, ']') => break,
                        _ => {}
                    }
                }
            }
            '(' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Whether `text` (a group's body) has a `|` outside its nested groups and classes.
fn top_level_bar(text: &str) -> bool {
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => {
                chars.next();
            }
            '[' => {
                if chars.peek() == Some(&'^') {
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    chars.next();
                }
                while let Some(c) = chars.next() {
                    if c == '\\' {
                        chars.next();
                    } else if c == ']' {
                        break;
                    }
                }
            }
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '|' if depth == 0 => return true,
            _ => {}
        }
    }
    false
}

/// A Python `regex` pattern in the crate's syntax, or `None` when it may mean something else there.
///
/// `\Z` (Python: the very end) is the crate's `\z`. Left to Python: syntax the crate reads
/// differently though it compiles (class set operations and nested classes, `\<`, `\>`,
/// `\b{...}`, `\z`, global inline flags after the start, flags other than `i`, `m`, `s`).
pub(crate) fn translate(source: &str) -> Option<String> {
    const UNSAFE: [&str; 6] = ["[[", "&&", "--", "~~", r"\b{", r"\B{"];
    if UNSAFE.iter().any(|u| source.contains(u)) {
        return None;
    }
    let mut out = String::with_capacity(source.len() + 2);
    let mut chars = source.chars().peekable();
    // inside a character class: Python's `regex` (V0) reads a `[` there as itself, the crate as
    // a nested class (`[a[b]]`: a, `[`, b then `]` against a or b), so such a pattern stays Python's
    let mut in_class = false;
    while let Some(ch) = chars.next() {
        if in_class {
            match ch {
                '\\' => {
                    out.push(ch);
                    out.push(chars.next()?);
                }
                '[' => return None,
                ']' => {
                    in_class = false;
                    out.push(ch);
                }
                _ => out.push(ch),
            }
        } else if ch == '[' {
            // a `]` first in the class (after `^`) is itself in both engines
            out.push(ch);
            if chars.peek() == Some(&'^') {
                out.push(chars.next()?);
            }
            if chars.peek() == Some(&']') {
                out.push(chars.next()?);
            }
            in_class = true;
        } else if ch == '\\' {
            let next = chars.next()?;
            match next {
                'Z' => out.push_str(r"\z"),
                '<' | '>' | 'z' => return None,
                _ => {
                    out.push('\\');
                    out.push(next);
                }
            }
        } else if ch == '(' && chars.peek() == Some(&'?') {
            // flags: only i, m and s mean the same in both; a global "(?flags)" is Python's
            // whole-pattern flag, which the crate scopes to the group (same only at the start)
            let flags: String = chars
                .clone()
                .skip(1)
                .take_while(|c| c.is_ascii_alphabetic() || *c == '-')
                .collect();
            let after = chars.clone().nth(1 + flags.len());
            if !flags.is_empty() && matches!(after, Some(')') | Some(':')) {
                if !flags.chars().all(|c| matches!(c, 'i' | 'm' | 's' | '-')) {
                    return None;
                }
                if after == Some(')') && !out.trim_start_matches("(?:").is_empty() {
                    return None;
                }
            }
            out.push(ch);
        } else {
            out.push(ch);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(pattern: &str, scope: Scope, literals: Option<&[&str]>) -> RuleSpec {
        RuleSpec {
            pattern: pattern.into(),
            unless: None,
            case_insensitive: true,
            scope: Some(scope),
            literals: literals.map(|l| vec![l.iter().map(|s| s.to_string()).collect()]),
        }
    }

    #[test]
    fn a_bracket_inside_a_class_is_left_to_python() {
        assert_eq!(translate("[a[b]]"), None); // the crate would read a nested class
        assert_eq!(translate("x[^[]y"), None);
        assert_eq!(translate("[ab]c").as_deref(), Some("[ab]c"));
        assert_eq!(translate(r"[\[a]\Z").as_deref(), Some(r"[\[a]\z"));
        assert_eq!(translate("[]a][^]b]").as_deref(), Some("[]a][^]b]"));
        assert_eq!(translate(r"[\]]\[").as_deref(), Some(r"[\]]\["));
    }

    fn spans(found: &Found) -> Vec<(u32, u32, i64, i64)> {
        (0..found.line.len())
            .map(|i| (found.line[i], found.rule[i], found.start[i], found.end[i]))
            .collect()
    }

    #[test]
    fn each_scope_matches_as_the_python_engine_does() {
        let m = Matcher::new(&[
            spec("(?:source link)", Scope::Line, Some(&["source link"])),
            spec("(?:sign up\\b.{0,10})", Scope::Prefix, Some(&["sign"])),
            spec(r"(?:reuters)\s*\Z", Scope::Suffix, Some(&["reuters"])),
            spec("(?:ad)", Scope::Span, Some(&["ad"])),
        ]);
        assert_eq!(m.in_core(), vec![true; 4]);
        let found = m.find(&["Source LINK", "Sign up now, it is free", "Photo: REUTERS ", "bad ad"]);
        assert_eq!(
            spans(&found),
            vec![(0, 0, 0, 11), (1, 1, 0, 17), (2, 2, 7, 15), (3, 3, 1, 3), (3, 3, 4, 6)]
        );
    }

    #[test]
    fn offsets_are_code_points() {
        let m = Matcher::new(&[spec("(?:ad)", Scope::Span, Some(&["ad"]))]);
        assert_eq!(spans(&m.find(&["é ad"])), vec![(0, 0, 2, 4)]);
    }

    #[test]
    fn unless_vetoes_and_the_prefilter_skips_lines_without_a_literal() {
        let mut s = spec("(?:see also.*)", Scope::Line, Some(&["see also"]));
        s.unless = Some("(?:keep)".into());
        let m = Matcher::new(&[s]);
        assert!(m.find(&["see also this", "see also keep", "nothing"]).line == vec![0]);
    }

    #[test]
    fn what_the_crate_lacks_or_reads_otherwise_is_left_to_python() {
        for pattern in [
            r"(?:(?<=\.)\s*end)",
            r"(?:(a)\1)",
            r"(?:[[a]b])",
            r"(?:\<word)",
            r"(?:a(?i)b)",
            r"(?:(?x)a b)",
            r"(?:(?R)a)",
            r"(?:x?)",
        ] {
            let m = Matcher::new(&[spec(pattern, Scope::Span, None)]);
            assert_eq!(m.in_core(), vec![false], "{pattern}");
            let found = m.find(&["a line"]);
            assert_eq!(spans(&found), vec![(0, 0, LEFT_TO_PYTHON, LEFT_TO_PYTHON)]);
        }
        let ok = Matcher::new(&[spec(r"(?:(?i)end)\s*\Z", Scope::Suffix, None)]);
        assert_eq!(ok.in_core(), vec![true]);
        // a lookbehind the core cannot check on the text before the match alone
        for pattern in [r"(?:(?<=a\b)x)\s*\Z", r"(?:(?<=a)x|y)\s*\Z", r"(?:(?<=(?=a)a)x)\s*\Z"] {
            assert_eq!(
                Matcher::new(&[spec(pattern, Scope::Suffix, None)]).in_core(),
                vec![false],
                "{pattern}"
            );
        }
    }

    #[test]
    fn a_suffix_rule_with_a_leading_lookbehind_runs_in_the_core() {
        let foot = r#"(?:(?<=[.!?"”’)])\s*[-–—]\s*(?:copyright|©|\(c\))\s+.{0,80}?\b(?:19|20)\d{2}\b.{0,40})\s*\Z"#;
        let more = r#"(?:(?<=(?:^|[.!?…"”’)\]])\s*)(?:read more|continue reading)\s*[»›>→.…]*)\s*\Z"#;
        let m = Matcher::new(&[spec(foot, Scope::Suffix, None), spec(more, Scope::Suffix, None)]);
        assert_eq!(m.in_core(), vec![true, true]);
        let found = m.find(&[
            "It ended. - Copyright 2024 Example News",
            "No stop - Copyright 2024 Example News",
            "Read more »",
            "We said so. Read more",
            "Why read more",
            "A - b. — © 2021 X",
        ]);
        assert_eq!(
            spans(&found),
            vec![(0, 0, 9, 39), (2, 1, 0, 11), (3, 1, 12, 21), (5, 0, 6, 17)]
        );
    }

    #[test]
    fn a_long_line_whose_lookbehind_keeps_failing_is_left_to_python() {
        // every space is a start where the rest matches and the lookbehind fails: trying them
        // all would be quadratic in the line, so the line goes to Python (its regex timeout)
        let foot = r#"(?:(?<=[.!?"”’)])\s*[-–—]\s*(?:copyright|©|\(c\))\s+.{0,80}?\b(?:19|20)\d{2}\b.{0,40})\s*\Z"#;
        let m = Matcher::new(&[spec(foot, Scope::Suffix, None)]);
        let long = format!("x{}- Copyright 2024 X", " ".repeat(200_000));
        let found = m.find(&[&long, "It ended. - Copyright 2024 Example News"]);
        assert_eq!(
            spans(&found),
            vec![(0, 0, LEFT_TO_PYTHON, LEFT_TO_PYTHON), (1, 0, 9, 39)]
        );
    }

    #[test]
    fn a_rule_is_tried_only_where_a_literal_of_each_of_its_sets_occurs() {
        let mut s = spec(r"(?:copyright\s+(?:19|20)\d\d)", Scope::Span, None);
        s.literals = Some(vec![vec!["copyright".into()], vec!["19".into(), "20".into()]]);
        let m = Matcher::new(&[s]);
        let found = m.find(&["Copyright 2024", "copyright", "2024", "COPYRIGHT 1999 and 2000"]);
        assert_eq!(spans(&found), vec![(0, 0, 0, 14), (3, 0, 0, 14)]);
    }

    #[test]
    fn groups_end_where_their_parenthesis_closes() {
        assert_eq!(group_end(r"[)\]]a)b"), Some(6));
        assert_eq!(group_end(r"(a|b)\))"), Some(7));
        assert_eq!(group_end("(a"), None);
        assert!(top_level_bar("a|b"));
        assert!(!top_level_bar("(a|b)[|]"));
    }

    #[test]
    fn a_pack_of_thousands_of_literals_prefilters_as_a_small_one() {
        // past MAX_DFA_LITERALS the automaton is a contiguous NFA: the same lines reach each rule
        let words: Vec<String> = (0..MAX_DFA_LITERALS + 500).map(|i| format!("w{i}x")).collect();
        let specs: Vec<RuleSpec> = words
            .iter()
            .map(|w| spec(&format!("(?:{w})"), Scope::Span, Some(&[w.as_str()])))
            .collect();
        let m = Matcher::new(&specs);
        assert_eq!(
            spans(&m.find(&["a W7X and w1400x", "w99", "W1499X"])),
            vec![(0, 7, 2, 5), (0, 1400, 10, 16), (2, 1499, 0, 6)]
        );
    }

    #[test]
    fn a_rule_without_loader_literals_is_prefiltered_by_its_own() {
        // the loader finds no literal in "все права" (letters with case outside ASCII)
        let s = spec(r"(?:.{0,8}\b(?:all rights reserved|все права защищены)\b.{0,6})", Scope::Line, None);
        let derived = Matcher::new(std::slice::from_ref(&s));
        let every = Matcher::build(std::slice::from_ref(&s), false);
        assert_eq!((derived.always.len(), every.always.len()), (0, 1));
        let lines = ["© ВСЕ ПРАВА ЗАЩИЩЕНЫ.", "ᲀсе права защищены", "All Rights Reserved", "все права", "other"];
        assert_eq!(spans(&every.find(&lines)), vec![(0, 0, 0, 21), (1, 0, 0, 18), (2, 0, 0, 19)]);
        assert_eq!(derived.find(&lines), every.find(&lines));
    }

    #[test]
    fn the_characters_that_fold_to_ascii_are_found_by_their_bytes() {
        for c in FOLDS_TO_ASCII {
            assert!(holds_fold_to_ascii(&format!("x’{c}")) && holds_fold_to_ascii(&c.to_string()), "{c}");
        }
        for text in ["", "plain", "’“—é", "Ĳ ĵ ſ", "\u{2129}\u{212b}", "ŀĿ"] {
            assert_eq!(text.contains(FOLDS_TO_ASCII), holds_fold_to_ascii(text), "{text}");
        }
    }

    #[test]
    fn a_line_with_a_character_that_folds_to_ascii_is_scanned_folded() {
        let m = Matcher::new(&[
            spec("(?:kelvin)", Scope::Span, Some(&["kelvin"])),
            spec("(?:ıs kısa)", Scope::Span, Some(&["is"])),
            spec("(?:(?<=x)other)", Scope::Span, Some(&["other"])),
        ]);
        // U+212A KELVIN SIGN folds to k: the regex decides, the prefilter lets it through; a
        // rule whose literal is not in the folded line is not tried (here, not sent to Python)
        assert_eq!(spans(&m.find(&["\u{212a}elvin"])), vec![(0, 0, 0, 6)]);
        // dotless i and long s fold to i and s: the literal "is" is found
        assert_eq!(spans(&m.find(&["ıſ kısa \u{212a}"])), vec![(0, 1, 0, 7)]);
    }

    mod fuzz {
        use super::super::*;
        use proptest::prelude::*;
        use std::sync::LazyLock;

        /// Shipped-like rules: each scope, a leading lookbehind, Unicode classes, literal sets.
        fn rules(with_literals: bool) -> Vec<RuleSpec> {
            let lit = |sets: &[&[&str]]| {
                with_literals.then(|| sets.iter().map(|s| s.iter().map(|l| l.to_string()).collect()).collect())
            };
            let rule = |pattern: &str, scope, literals| RuleSpec {
                pattern: pattern.into(),
                unless: None,
                case_insensitive: true,
                scope: Some(scope),
                literals,
            };
            vec![
                rule(
                    r"(?:sign\s?up\b.{0,20}?\b(?:free|access))",
                    Scope::Line,
                    lit(&[&["sign"], &["free", "access"]]),
                ),
                rule(
                    r"(?:(?<=[.!?])\s*[-–]\s*(?:copyright|©)\s+\d{4})\s*\Z",
                    Scope::Suffix,
                    lit(&[&["copyright", "©"]]),
                ),
                rule(r"(?:ad|\p{Lu}{2,}\s*/)", Scope::Span, lit(&[&["ad", "/"]])),
                rule(
                    r"(?:read more|weiterlesen|ſtop)",
                    Scope::Prefix,
                    lit(&[&["read more", "weiterlesen", "stop"]]),
                ),
                rule(
                    r"(?:[-–—•·\s]*(?:published|veröffentlicht)\s*:?\s*\w+)",
                    Scope::Line,
                    None,
                ),
                // no literal from the loader (cased letters outside ASCII): the core reads its own
                rule(
                    r"(?:(?:©|\(c\))\s*(?:19|20)\d{2}\b.{0,10}|.{0,8}\b(?:все права|droits réservés|版权所有)\b.{0,6})",
                    Scope::Line,
                    None,
                ),
            ]
        }

        // compiled once for every case (a debug build compiles Unicode classes slowly)
        static FILTERED: LazyLock<Matcher> = LazyLock::new(|| Matcher::new(&rules(true)));
        static DERIVED: LazyLock<Matcher> = LazyLock::new(|| Matcher::new(&rules(false)));
        static EVERY: LazyLock<Matcher> = LazyLock::new(|| Matcher::build(&rules(false), false));

        fn text() -> impl Strategy<Value = String> {
            let pieces = prop::sample::select(vec![
                "Sign up",
                " for free",
                "ACCESS",
                ". - Copyright 2024",
                "©",
                "ad",
                "AD /",
                "read more",
                "ſtop",
                "\u{212a}",
                "İ",
                "ı",
                "published: x",
                "veröffentlicht",
                "e\u{301}\u{301}",
                "\u{202e}",
                "\u{200f}",
                "\0",
                "مرحبا",
                "Все права",
                "ᲀсе ПРАВА",
                "droits RÉSERVÉS",
                "版权所有",
                "(C) 1999",
                "日本語",
                " ",
                "\t",
                "x",
                "!",
                "/",
            ]);
            prop::collection::vec(pieces, 0..12).prop_map(|v| v.concat())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(32))]

            #[test]
            fn the_prefilter_only_skips_lines_no_rule_matches(lines in prop::collection::vec(text(), 0..8)) {
                let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
                let filtered = FILTERED.find(&refs);
                let every = EVERY.find(&refs);
                prop_assert_eq!(&filtered, &every);
                prop_assert_eq!(&DERIVED.find(&refs), &every);
                for k in 0..filtered.line.len() {
                    let chars = refs[filtered.line[k] as usize].chars().count() as i64;
                    prop_assert!(0 <= filtered.start[k] && filtered.start[k] <= filtered.end[k] && filtered.end[k] <= chars);
                }
            }

            #[test]
            fn a_suffix_rule_asked_forward_first_finds_what_it_finds_without(line in text()) {
                for spec in rules(false).iter().filter(|s| s.scope == Some(Scope::Suffix)) {
                    let asked = compile(spec).unwrap();
                    let mut plain = compile(spec).unwrap();
                    let Search::Find { exists, .. } = &mut plain.search else { panic!("a suffix rule finds") };
                    prop_assert!(exists.take().is_some());
                    let (mut a, mut p) = (Vec::new(), Vec::new());
                    let done = (asked.spans(&line, |s, e| a.push((s, e))), plain.spans(&line, |s, e| p.push((s, e))));
                    prop_assert_eq!((done.0, a), (done.1, p), "{}", spec.pattern);
                }
            }

            #[test]
            fn any_text_is_matched_without_panic(line in "\\PC{0,300}") {
                let found = FILTERED.find(&[line.as_str(), "", &line.repeat(10)]);
                prop_assert!(found.line.windows(2).all(|w| w[0] <= w[1]));
            }
        }

        #[test]
        fn a_million_empty_lines_and_long_lines() {
            let m = &*FILTERED;
            let empty = vec![""; 1_000_000];
            assert_eq!(m.find(&empty), Found::default());
            let long = "word ".repeat(50_000) + "read more";
            // only the span rule, at "re|ad| more" a quarter of a million characters in
            let found = m.find(&[long.as_str()]);
            assert_eq!(
                (found.rule, found.start, found.end),
                (vec![2], vec![250_002], vec![250_004])
            );
            let ad = "ad ".repeat(20_000);
            assert_eq!(m.find(&[ad.as_str()]).line.len(), 20_000);
        }
    }
}
