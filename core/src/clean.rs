//! One plain-text document cleaned in one call: the passes of `Cleaner.clean_document`, each
//! tagging the lines with the rules (`RuleSet.tag` and its actions), then HEU001, HEU002, HEU003,
//! HEU030 and HEU010, then applying the marks; the passes' removals composed into one log.
//!
//! The Python implementation stays the reference: `tests/core/differential.py` holds the two to
//! the same removals on every fixture and bench text. A document the core cannot decide as Python
//! would (a rule left to Python's `regex` on one of its lines) comes back as [`Outcome::LeftToPython`].

use rustc_hash::FxHashMap;

use crate::apply::{apply_marks, compose, replay, Mark, Removal};
use crate::body::{CoreError, Lines, Model};
use crate::features::Own;
use crate::heuristics::{byline_line, comment_thread, head_chrome, repeated_headline};
use crate::lines::{feature_text, is_blank, line_key, looks_like_prose, py_strip, split_lines, views_cached, Interner, Line, View};
use crate::forward::Forward;
use crate::rules::{compile_unless, Matcher};
use crate::unicode::is_py_space;

/// Cleaning passes at most (`_MAX_PASSES`).
const MAX_PASSES: usize = 8;

/// What a rule does where it matches (`cleaner.document.ACTIONS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    DropLine,
    StripSpan,
    DropToEnd,
    DropSection,
    DropDocument,
}

impl Action {
    pub fn from_name(name: &str) -> Option<Action> {
        Some(match name {
            "drop_line" => Action::DropLine,
            "strip_span" => Action::StripSpan,
            "drop_to_end" => Action::DropToEnd,
            "drop_section" => Action::DropSection,
            "drop_document" => Action::DropDocument,
            _ => return None,
        })
    }
}

/// A rule's action and the conditions on the line it is tried on (`_eligible`).
#[derive(Debug, Clone)]
pub struct RuleInfo {
    /// The number the caller knows the rule by (its removals carry it).
    pub owner: u32,
    pub action: Action,
    pub min_position: Option<f64>,
    pub max_words: Option<usize>,
    pub min_words: Option<usize>,
    pub within_head: Option<usize>,
    pub within_tail: Option<usize>,
    pub section_max_lines: usize,
    pub section_max_words: usize,
}

impl RuleInfo {
    /// Whether a line of `words` words is within the rule's word limits.
    fn fits_words(&self, words: usize) -> bool {
        !(self.max_words.is_some_and(|m| words > m) || self.min_words.is_some_and(|m| words < m))
    }

    /// `_eligible` for a line of `words` words, `head` lines from the top and `tail` from the end.
    fn eligible(&self, words: usize, head: usize, tail: usize) -> bool {
        if let Some(p) = self.min_position {
            if ((head + 1) as f64) < p * ((head + tail + 1) as f64) {
                return false;
            }
        }
        if !self.fits_words(words) {
            return false;
        }
        match (self.within_head, self.within_tail) {
            (Some(h), Some(t)) => head < h || tail < t,
            (Some(h), None) => head < h,
            (None, Some(t)) => tail < t,
            (None, None) => true,
        }
    }
}

/// A whole-line literal rule: found by the line's key.
#[derive(Debug)]
pub struct ExactRule {
    pub info: RuleInfo,
    pub(crate) unless: Option<Forward>,
}

/// The heuristics that run, each with its owner number (`None`: switched off).
#[derive(Debug, Clone, Default)]
pub struct Heuristics {
    pub repeated_headline: Option<u32>,
    pub head_chrome: Option<u32>,
    pub byline: Option<u32>,
    pub comment_thread: Option<u32>,
    pub body: Option<u32>,
}

/// The rules, heuristics and classifier of one `Cleaner`, for plain text.
pub struct TextCleaner {
    matcher: Matcher,
    scanned: Vec<RuleInfo>,
    /// Whole-line literal rules: the number of each key's entry in `exact_rules`.
    exact: FxHashMap<String, u32>,
    exact_rules: Vec<Vec<ExactRule>>,
    heuristics: Heuristics,
    include_comments: bool,
    model: Option<Model>,
    bias: f64,
    /// HEU010's bias on a document in which no rule marked a line in the first pass
    /// (`mark_boilerplate_lines`: balanced reads it with recall's bias).
    quiet_bias: f64,
    switch: f64,
}

/// How one document came out.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// The clean text and the removals (byte offsets of the source), and a byline's names.
    Cleaned { text: String, removals: Vec<Removal>, author: Option<String> },
    /// A `drop_document` rule matched (its owner).
    Dropped { owner: u32, author: Option<String> },
    /// A rule the core left to Python's `regex` applies to a line: the caller cleans it.
    LeftToPython,
}

/// A rule's span in a line (rule, start, end; `LEFT`: Python must try the rule there).
type Span = (u32, usize, usize);
const LEFT: usize = usize::MAX;

/// What the passes over one document share: answers by line text, and the classifier's
/// settled inputs (`cleaner.lines.compiled.classify_document`'s memo).
#[derive(Default)]
struct Memo {
    interner: Interner,
    /// By key number: its entry of whole-line literal rules (`NO_RULES`: none).
    key_rules: Vec<u32>,
    /// By text number: the spans the matcher found in it (`None`: not asked yet).
    spans: Vec<Option<Vec<Span>>>,
    /// Inputs (feature texts, block pattern, key pattern) whose every line the classifier kept.
    settled: Vec<(Vec<TextRef>, Vec<i64>, Vec<i64>)>,
    /// By text number: where in `owns` the line's own features are (`NO_OWN`: not computed yet).
    own_slot: Vec<u32>,
    /// The own features of lines as they are (a line changed by an inline removal or a
    /// feature text is computed afresh), kept for the later passes.
    owns: Vec<Own>,
    /// Whether a rule marked a line in the first pass (`rules_found_chrome`); `None` before it.
    rules_found: Option<bool>,
}

const NO_OWN: u32 = u32::MAX;

/// A feature text as the settled memo keeps it: a line as it is by its text number (no copy),
/// a changed one by its text. Equal refs are equal texts; a text kept one way and met the other
/// compares unequal, which only costs a classification.
#[derive(Debug, PartialEq)]
enum TextRef {
    Id(u32),
    Text(Box<str>),
}

impl TextRef {
    fn of(v: &View, changed: bool, text: &str) -> Self {
        if changed {
            TextRef::Text(text.into())
        } else {
            TextRef::Id(v.text)
        }
    }

    fn is(&self, v: &View, changed: bool, text: &str) -> bool {
        match self {
            TextRef::Id(id) => !changed && *id == v.text,
            TextRef::Text(t) => changed && **t == *text,
        }
    }
}

const NO_RULES: u32 = u32::MAX;

/// Note the whole-line rules of key number `id` (keys are numbered in order).
fn note_key(key_rules: &mut Vec<u32>, exact: &FxHashMap<String, u32>, id: u32, key: &str) {
    debug_assert_eq!(key_rules.len(), id as usize);
    key_rules.push(exact.get(key).copied().unwrap_or(NO_RULES));
}

/// Numbers by first appearance: the pattern of equal values.
fn pattern(values: impl IntoIterator<Item = i64>) -> Vec<i64> {
    let values = values.into_iter();
    let mut ids: FxHashMap<i64, i64> = FxHashMap::with_capacity_and_hasher(values.size_hint().0, Default::default());
    values
        .map(|v| {
            let n = ids.len() as i64;
            *ids.entry(v).or_insert(n)
        })
        .collect()
}

/// One pass's result.
enum Pass {
    Done { text: String, removals: Vec<Removal> },
    Dropped(u32),
    LeftToPython,
}

impl TextCleaner {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        matcher: Matcher,
        scanned: Vec<RuleInfo>,
        exact: Vec<(Vec<String>, RuleInfo, Option<String>, bool)>,
        heuristics: Heuristics,
        include_comments: bool,
        model: Option<Model>,
        bias: f64,
        quiet_bias: f64,
        switch: f64,
    ) -> Result<TextCleaner, CoreError> {
        let mut table: FxHashMap<String, u32> = FxHashMap::default();
        let mut exact_rules: Vec<Vec<ExactRule>> = Vec::new();
        for (keys, info, unless, case_insensitive) in exact {
            let unless = match unless {
                None => None,
                Some(u) => Some(
                    compile_unless(&u, case_insensitive)
                        .ok_or_else(|| CoreError::BadInput(format!("unless pattern the core cannot take: {u}")))?,
                ),
            };
            for key in keys {
                let n = exact_rules.len() as u32;
                let entry = *table.entry(key).or_insert(n);
                if entry == n {
                    exact_rules.push(Vec::new());
                }
                exact_rules[entry as usize].push(ExactRule { info: info.clone(), unless: unless.clone() });
            }
        }
        Ok(TextCleaner {
            matcher,
            scanned,
            exact: table,
            exact_rules,
            heuristics,
            include_comments,
            model,
            bias,
            quiet_bias,
            switch,
        })
    }

    /// Clean `source` (`Cleaner.clean_document` of a plain-text document); `active[owner]`: the
    /// rule applies to this document (format, domain, site); `discussion`: its replies are content.
    pub fn clean(&self, source: &str, active: &[bool], discussion: bool) -> Result<Outcome, CoreError> {
        let mut author: Option<String> = None;
        let mut memo = Memo::default();
        let (mut text, mut removals) = match self.pass(source, active, discussion, &mut author, &mut memo)? {
            Pass::Done { text, removals } => (text, removals),
            Pass::Dropped(owner) => return Ok(Outcome::Dropped { owner, author }),
            Pass::LeftToPython => return Ok(Outcome::LeftToPython),
        };
        for _ in 1..MAX_PASSES {
            if removals.is_empty() || is_blank(&text) {
                break;
            }
            let (again_text, again) = match self.pass(&text, active, discussion, &mut author, &mut memo)? {
                Pass::Done { text, removals } => (text, removals),
                Pass::Dropped(owner) => return Ok(Outcome::Dropped { owner, author }),
                Pass::LeftToPython => return Ok(Outcome::LeftToPython),
            };
            if again.is_empty() {
                break;
            }
            removals = compose(source, &removals, &again);
            text = again_text;
        }
        Ok(Outcome::Cleaned { text, removals, author })
    }

    #[allow(clippy::too_many_arguments)]
    fn pass(
        &self,
        text: &str,
        active: &[bool],
        discussion: bool,
        author: &mut Option<String>,
        memo: &mut Memo,
    ) -> Result<Pass, CoreError> {
        let lines = split_lines(text);
        let exact = &self.exact;
        let key_rules = &mut memo.key_rules;
        let views = views_cached(text, &lines, &mut memo.interner, &mut |id, key| note_key(key_rules, exact, id, key));
        let mut doc = Marks::new(&lines);
        match self.tag(text, &views, &mut doc, active, discussion, memo) {
            Tagged::Done => {}
            Tagged::Dropped(owner) => return Ok(Pass::Dropped(owner)),
            Tagged::LeftToPython => return Ok(Pass::LeftToPython),
        }
        // what the rules marked in the first pass decides HEU010's bias for every pass
        memo.rules_found.get_or_insert(!doc.marks.is_empty());
        let h = &self.heuristics;
        if let Some(owner) = h.repeated_headline {
            let free = doc.free(&views);
            for k in repeated_headline(&free) {
                doc.line(free[k].index, owner);
            }
        }
        if let Some(owner) = h.head_chrome {
            let free = doc.free(&views);
            for k in head_chrome(text, &free) {
                doc.line(free[k].index, owner);
            }
        }
        if let Some(owner) = h.byline {
            let free = doc.free(&views);
            if let Some((k, names)) = byline_line(text, &free) {
                doc.line(free[k].index, owner);
                author.get_or_insert(names);
            }
        }
        if let (Some(owner), false) = (h.comment_thread, self.include_comments) {
            if let Some(first) = comment_thread(text, &views) {
                doc.lines(views[first].index, views[views.len() - 1].index, owner);
            }
        }
        if let (Some(owner), Some(model)) = (h.body, &self.model) {
            self.body(text, &lines, &views, &mut doc, model, owner, memo)?;
        }
        let removals = apply_marks(text, &lines, &doc.marks);
        Ok(Pass::Done { text: replay(text, &removals), removals })
    }

    /// `RuleSet.tag`: the rules' marks, line by line.
    fn tag(&self, text: &str, views: &[View], doc: &mut Marks, active: &[bool], discussion: bool, memo: &mut Memo) -> Tagged {
        // the matcher's answers by line text: a later pass asks only about texts it has not seen
        if memo.spans.len() < memo.interner.texts() {
            memo.spans.resize(memo.interner.texts(), None);
        }
        let mut asked_ids: Vec<u32> = Vec::new();
        let mut asked: Vec<&str> = Vec::new();
        let mut asked_words: Vec<usize> = Vec::new();
        for v in views {
            let slot = &mut memo.spans[v.text as usize];
            if slot.is_none() {
                *slot = Some(Vec::new()); // (filled below; marks the text as asked)
                asked_ids.push(v.text);
                asked.push(&text[v.start..v.end]);
                asked_words.push(v.words as usize);
            }
        }
        if !asked.is_empty() {
            let spans = &mut memo.spans;
            // a rule that does not apply to this document (its format, domain or site), or whose
            // word limits the line is outside of, never acts on it (the spans kept by text are
            // this document's: the limits depend on the text alone)
            let wanted = |k: usize, r: usize| {
                let info = &self.scanned[r];
                is_active(active, info.owner) && info.fits_words(asked_words[k])
            };
            self.matcher.each_span(&asked, wanted, |k, r, span| {
                let (s, e) = span.unwrap_or((LEFT, LEFT));
                if let Some(list) = spans[asked_ids[k] as usize].as_mut() {
                    list.push((r as u32, s, e));
                }
            });
        }
        let n = views.len();
        for (pos, v) in views.iter().enumerate() {
            let spans = memo.spans[v.text as usize].as_deref().unwrap_or(&[]);
            let rules = memo.key_rules[v.key as usize];
            if spans.is_empty() && rules == NO_RULES {
                continue;
            }
            let (words, head, tail) = (v.words as usize, pos, n - 1 - pos);
            let line = &text[v.start..v.end];
            let mut dropped = None;
            if rules != NO_RULES {
                for rule in &self.exact_rules[rules as usize] {
                    let info = &rule.info;
                    if is_active(active, info.owner)
                        && info.eligible(words, head, tail)
                        && !rule.unless.as_ref().is_some_and(|u| u.is_match(line))
                    {
                        if let Some(o) = act(text, views, pos, info, None, doc, discussion) {
                            dropped = Some(o);
                        }
                    }
                }
            }
            let mut k = 0;
            while k < spans.len() {
                let r = spans[k].0;
                let info = &self.scanned[r as usize];
                let usable = is_active(active, info.owner);
                if usable && spans[k].1 == LEFT {
                    return Tagged::LeftToPython;
                }
                let usable = usable && info.eligible(words, head, tail);
                let mut first = true;
                while k < spans.len() && spans[k].0 == r {
                    if usable && (first || info.action == Action::StripSpan) {
                        if let Some(o) = act(text, views, pos, info, Some((spans[k].1, spans[k].2)), doc, discussion) {
                            dropped = Some(o);
                        }
                    }
                    first = false;
                    k += 1;
                }
            }
            if let Some(owner) = dropped {
                return Tagged::Dropped(owner);
            }
        }
        Tagged::Done
    }

    /// HEU010: the lines the classifier puts outside the main body (`mark_boilerplate_lines`).
    #[allow(clippy::too_many_arguments)]
    fn body(
        &self,
        text: &str,
        lines: &[Line],
        views: &[View],
        doc: &mut Marks,
        model: &Model,
        owner: u32,
        memo: &mut Memo,
    ) -> Result<(), CoreError> {
        let free = doc.free(views);
        if free.is_empty() {
            return Ok(());
        }
        let visible = visible_texts(text, lines, &free, &doc.marks);
        let mut before = Vec::with_capacity(lines.len() + 1);
        let mut blanks = 0i64;
        for l in lines {
            before.push(blanks);
            blanks += is_blank(&text[l.start..l.end]) as i64;
        }
        let blocks: Vec<i64> = free.iter().map(|v| before[v.index]).collect();
        let key_ids: Vec<i64> = free
            .iter()
            .zip(&visible)
            .map(|(v, t)| match t {
                None => v.key as i64,
                Some(t) => {
                    let key = line_key(t);
                    let (id, new) = memo.interner.key_id(key.clone());
                    if new {
                        note_key(&mut memo.key_rules, &self.exact, id, &key);
                    }
                    id as i64
                }
            })
            .collect();
        let keys = pattern(key_ids);
        let features: Vec<Option<String>> = free
            .iter()
            .zip(&visible)
            .map(|(v, t)| feature_text(t.as_deref().unwrap_or(&text[v.start..v.end])))
            .collect();
        let texts: Vec<&str> = free
            .iter()
            .zip(&visible)
            .zip(&features)
            .map(|((v, t), f)| f.as_deref().or(t.as_deref()).unwrap_or(&text[v.start..v.end]))
            .collect();
        let block_pattern = pattern(blocks.iter().copied());
        let changed: Vec<bool> = visible.iter().zip(&features).map(|(t, f)| t.is_some() || f.is_some()).collect();
        let same_texts = |kept: &[TextRef]| {
            kept.len() == texts.len() && kept.iter().enumerate().all(|(i, r)| r.is(free[i], changed[i], texts[i]))
        };
        if memo.settled.iter().any(|(t, b, k)| *b == block_pattern && *k == keys && same_texts(t)) {
            return Ok(()); // every line kept, as the last round of an earlier pass kept them
        }
        // own features by text number for a line as it is, afresh for a changed one
        if memo.own_slot.len() < memo.interner.texts() {
            memo.own_slot.resize(memo.interner.texts(), NO_OWN);
        }
        let mut fresh: Vec<Own> = Vec::new();
        // room for every new text at once (an Own is 200 bytes: doubling could waste half)
        let new = free.iter().zip(&changed).filter(|(v, &c)| !c && memo.own_slot[v.text as usize] == NO_OWN).count();
        memo.owns.reserve_exact(new);
        for (i, (v, &change)) in free.iter().zip(&changed).enumerate() {
            let own = |text: &str| model.own(text).ok_or(CoreError::EmptyLine(i));
            if change {
                fresh.push(own(texts[i])?);
            } else if memo.own_slot[v.text as usize] == NO_OWN {
                memo.own_slot[v.text as usize] = memo.owns.len() as u32;
                memo.owns.push(own(texts[i])?);
            }
        }
        let mut fresh_rows = fresh.iter();
        let owns: Vec<&Own> = free
            .iter()
            .zip(&changed)
            .map(|(v, &change)| match change {
                false => &memo.owns[memo.own_slot[v.text as usize] as usize],
                true => fresh_rows.next().expect("one fresh row per changed line"),
            })
            .collect();
        let lines_in = Lines { texts: &texts, blocks: &blocks, keys: &keys, extra: None };
        let bias = if memo.rules_found == Some(false) { self.quiet_bias } else { self.bias };
        let (keep, settled) = model.classify_owns(lines_in, &owns, bias, self.switch)?;
        if settled {
            let kept: Vec<usize> = (0..keep.len()).filter(|&i| keep[i]).collect();
            memo.settled.push((
                kept.iter().map(|&i| TextRef::of(free[i], changed[i], texts[i])).collect(),
                pattern(kept.iter().map(|&i| blocks[i])),
                pattern(kept.iter().map(|&i| keys[i])),
            ));
        }
        for (v, k) in free.iter().zip(keep) {
            if !k {
                doc.line(v.index, owner);
            }
        }
        Ok(())
    }
}

enum Tagged {
    Done,
    Dropped(u32),
    LeftToPython,
}

fn is_active(active: &[bool], owner: u32) -> bool {
    active.get(owner as usize).copied().unwrap_or(false)
}

/// `RuleSet._act`: the marks of one rule's match in line `pos`; the owner when it drops the document.
fn act(
    text: &str,
    views: &[View],
    pos: usize,
    info: &RuleInfo,
    span: Option<(usize, usize)>,
    doc: &mut Marks,
    discussion: bool,
) -> Option<u32> {
    let v = &views[pos];
    match (info.action, span) {
        (Action::DropDocument, _) => return Some(info.owner),
        (Action::DropLine, _) | (Action::StripSpan, None) => doc.line(v.index, info.owner),
        (Action::StripSpan, Some((mut s, mut e))) => {
            let line = &text[v.start..v.end];
            while let Some(c) = line[..s].chars().next_back().filter(|&c| is_py_space(c)) {
                s -= c.len_utf8();
            }
            while let Some(c) = line[e..].chars().next().filter(|&c| is_py_space(c)) {
                e += c.len_utf8();
            }
            doc.span(v.start + s, v.start + e, info.owner);
        }
        (Action::DropToEnd, _) if discussion => doc.line(v.index, info.owner),
        (Action::DropToEnd, _) => doc.lines(v.index, doc.n_lines() - 1, info.owner),
        (Action::DropSection, _) => {
            let mut last = pos;
            for (nxt, w) in views.iter().enumerate().take((pos + 1 + info.section_max_lines).min(views.len())).skip(pos + 1) {
                if looks_like_prose(w.words as usize, &text[w.start..w.end]) || w.words as usize > info.section_max_words {
                    break;
                }
                last = nxt;
            }
            doc.lines(v.index, views[last].index, info.owner);
        }
    }
    None
}

/// The marks of one pass, and which lines a whole-line mark covers (`Document.marked_lines`).
struct Marks<'a> {
    lines: &'a [Line],
    marks: Vec<Mark>,
    marked: Vec<bool>,
    /// The last line of the last mark when that mark is whole lines.
    last_line: Option<usize>,
}

impl<'a> Marks<'a> {
    fn new(lines: &'a [Line]) -> Self {
        Marks { lines, marks: Vec::new(), marked: vec![false; lines.len()], last_line: None }
    }

    fn n_lines(&self) -> usize {
        self.lines.len()
    }

    fn line(&mut self, index: usize, owner: u32) {
        self.lines(index, index, owner);
    }

    /// Mark lines `first..=last`; a mark of the same owner that ends on the line before is
    /// extended instead (the same lines get the same owner: one mark a run, not one a line).
    fn lines(&mut self, first: usize, last: usize, owner: u32) {
        let end = self.lines[last].end;
        match self.marks.last_mut() {
            Some(m) if m.owner == owner && self.last_line.is_some_and(|l| l + 1 == first) => m.end = end,
            _ => self.marks.push(Mark { start: self.lines[first].start, end, owner, whole_line: true }),
        }
        self.last_line = Some(last);
        self.marked[first..=last].iter_mut().for_each(|m| *m = true);
    }

    fn span(&mut self, start: usize, end: usize, owner: u32) {
        if end > start {
            self.marks.push(Mark { start, end, owner, whole_line: false });
            self.last_line = None;
        }
    }

    fn free<'v>(&self, views: &'v [View]) -> Vec<&'v View> {
        views.iter().filter(|v| !self.marked[v.index]).collect()
    }
}

/// `visible_texts`: each view's text with the inline marks cut out (`None`: nothing cut).
fn visible_texts(text: &str, lines: &[Line], free: &[&View], marks: &[Mark]) -> Vec<Option<String>> {
    let mut spans: Vec<(usize, usize)> = marks.iter().filter(|m| !m.whole_line).map(|m| (m.start, m.end)).collect();
    if spans.is_empty() {
        return vec![None; free.len()];
    }
    spans.sort_unstable();
    // the spans a line meets lie between the first whose end (or an earlier span's) passes the
    // line's start and the last that starts before its end: two bisections, not a scan per line
    let reach: Vec<usize> = spans
        .iter()
        .scan(0usize, |top, &(_, b)| {
            *top = (*top).max(b);
            Some(*top)
        })
        .collect();
    free.iter()
        .map(|v| {
            let line = lines[v.index];
            let (start, end) = (line.start, line.end);
            let (from, to) = (reach.partition_point(|&r| r <= start), spans.partition_point(|&(a, _)| a < end));
            let cut: Vec<(usize, usize)> = spans[from..to.max(from)]
                .iter()
                .filter(|&&(a, b)| a < end && b > start)
                .map(|&(a, b)| (a.max(start), b.min(end)))
                .collect();
            if cut.is_empty() {
                return None;
            }
            let mut out = String::new();
            let mut pos = start;
            for (a, b) in cut {
                if a > pos {
                    out.push_str(&text[pos..a]);
                }
                pos = pos.max(b);
            }
            if end > pos {
                out.push_str(&text[pos..end]);
            }
            let stripped = py_strip(&out);
            if stripped.is_empty() {
                None
            } else {
                Some(stripped.to_string())
            }
        })
        .collect()
}

/// The code-point offsets of sorted byte offsets of `text`.
pub fn char_offsets(text: &str, bytes: impl IntoIterator<Item = usize>) -> Vec<u64> {
    if text.is_ascii() {
        return bytes.into_iter().map(|b| b as u64).collect();
    }
    let (mut at_byte, mut at_char) = (0usize, 0u64);
    bytes
        .into_iter()
        .map(|b| {
            if b < at_byte {
                // not sorted: count from the start
                return text[..b].chars().count() as u64;
            }
            at_char += text[at_byte..b].chars().count() as u64;
            at_byte = b;
            at_char
        })
        .collect()
}
