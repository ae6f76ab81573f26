//! The line features of HEU010, as `cleaner/lines/features.py` computes them (its column
//! version, `_own_columns`, and `_context_rows`, `_context_columns`, `cue_rows`): the same
//! values, with the same floating-point operations in the same order.

// FxHash: the words and keys hashed per line are short, and SipHash's DoS resistance buys nothing here
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use crate::forward::Forward;
use crate::tables::CHROME;
use crate::unicode::{is_digit, is_lower, is_regex_space, is_upper, is_word, push_casefold};

/// Number of a line's own features (FEATURES[1:20]).
pub const OWN: usize = 19;
/// Number of its context features (FEATURES[20:]).
pub const CONTEXT_ROW: usize = 18;
/// Columns of the own features that the context features read.
const SENTENCE_COL: usize = 3;
const TITLE_COL: usize = 6;
const CHROME_COL: usize = 18;
/// Number of second-stage features (CONTEXT).
pub const SECOND: usize = 10;

const W: usize = 3;
const WIDE: usize = 10;
const MENU_CHARS: &str = "|•·»›/";
const MENU_END_CHARS: &str = "|•·»›";
const SENT_END: &str = ".!?…\"'”’»)";
const BULLETS: &str = "•·-–—*►▸◦‣";

/// One line by itself: what `_own` gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Own {
    pub features: [f64; OWN],
    pub words: usize,
    pub stops: usize,
    pub folded: String,
    pub prose: bool,
}

const FOOTER: &str = concat!(
    r"(?i)©|\(c\)\s*\d{4}|\ball rights reserved\b|\bprivacy policy\b|\bcookie|\bterms of (?:use|service)\b",
    r"|\balle rechte vorbehalten\b|\bimpressum\b|\bdatenschutz|\bnewsletter\b|\bsubscribe\b",
    r"|\bsign (?:in|up)\b|\blog ?in\b|\bshare (?:on|this)\b|\bfollow us\b|\bread more\b",
);
const DATE: &str = r"\b(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|(?:19|20)\d{2})\b";

/// The footer pattern: only whether a line matches is asked (a forward-only regex).
fn footer_re() -> &'static Forward {
    static RE: OnceLock<Forward> = OnceLock::new();
    RE.get_or_init(|| Forward::new(FOOTER).expect("the footer pattern compiles"))
}

/// `pattern` without its word boundaries: a necessary condition of its match that the
/// crate's DFA runs on any text (a Unicode `\b` sends a non-ASCII line to the slower PikeVM).
fn unbounded(pattern: &str) -> Forward {
    Forward::new(&pattern.replace(r"\b", "")).expect("the pattern without \\b compiles")
}

/// `re.is_match(text)`, tried first without word boundaries on a non-ASCII line.
fn is_match_gated(re: &Forward, gate: &Forward, text: &str) -> bool {
    (text.is_ascii() || gate.is_match(text)) && re.is_match(text)
}

fn footer_match(text: &str) -> bool {
    static GATE: OnceLock<Forward> = OnceLock::new();
    is_match_gated(footer_re(), GATE.get_or_init(|| unbounded(FOOTER)), text)
}

fn date_match(text: &str) -> bool {
    static GATE: OnceLock<Forward> = OnceLock::new();
    is_match_gated(date_re(), GATE.get_or_init(|| unbounded(DATE)), text)
}

/// A necessary condition of `footer_re` matching, cheap to check: one of its literals, ASCII
/// case-insensitive, or a character the regex crate's case folding maps onto an ASCII letter
/// (K KELVIN SIGN, ſ LONG S). It only skips the regex where it cannot match.
fn may_be_footer(text: &str) -> bool {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    let ac = AC.get_or_init(|| {
        let literals = [
            "©",
            "(c)",
            "all rights reserved",
            "privacy policy",
            "cookie",
            "terms of ",
            "alle rechte vorbehalten",
            "impressum",
            "datenschutz",
            "newsletter",
            "subscribe",
            "sign ",
            "log",
            "share ",
            "follow us",
            "read more",
        ];
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(literals)
            .expect("the footer literals build")
    });
    ac.is_match(text) || (!text.is_ascii() && text.contains(['\u{212A}', '\u{17F}']))
}

/// The words a line's words are counted against: the stop words and the chrome words
/// (`cleaner/lines/chrome.py`, generated into `tables.rs`), one hash lookup for both.
#[derive(Debug, Clone, Default)]
pub struct Words(HashMap<String, u8>);

const STOP_WORD: u8 = 1;
const CHROME_WORD: u8 = 2;

impl Words {
    /// The stop words given, and the chrome words.
    pub fn new(stopwords: impl IntoIterator<Item = String>) -> Words {
        let stopwords = stopwords.into_iter();
        let mut map: HashMap<String, u8> =
            HashMap::with_capacity_and_hasher(stopwords.size_hint().0 + CHROME.len(), Default::default());
        for w in stopwords {
            *map.entry(w).or_default() |= STOP_WORD;
        }
        for &w in CHROME {
            *map.entry(w.to_string()).or_default() |= CHROME_WORD;
        }
        Words(map)
    }

    /// Whether `word` is a stop word, and whether it is a chrome word.
    fn kinds(&self, word: &str) -> u8 {
        self.0.get(word).copied().unwrap_or(0)
    }
}

fn date_re() -> &'static Forward {
    static RE: OnceLock<Forward> = OnceLock::new();
    RE.get_or_init(|| Forward::new(DATE).expect("the date pattern compiles"))
}

/// `_MENU_SEP.search`: `\s[|•·»›/]\s|\s[|•·»›]$` (`$`: the end, the texts are stripped lines).
fn has_menu_sep(text: &str) -> bool {
    text.char_indices().any(|(i, c)| {
        if !is_regex_space(c) {
            return false;
        }
        let mut rest = text[i + c.len_utf8()..].chars();
        match (rest.next(), rest.next()) {
            (Some(sep), Some(after)) => MENU_CHARS.contains(sep) && is_regex_space(after),
            (Some(sep), None) => MENU_END_CHARS.contains(sep),
            (None, _) => false,
        }
    })
}

/// `text[:2].rstrip(".)").isdigit()`.
fn numbered(text: &str) -> bool {
    let mut buf = ['\0'; 2];
    let mut k = 0;
    for c in text.chars().take(2) {
        buf[k] = c;
        k += 1;
    }
    let mut head = &buf[..k];
    while let Some((&last, rest)) = head.split_last() {
        if last == '.' || last == ')' {
            head = rest;
        } else {
            break;
        }
    }
    !head.is_empty() && head.iter().all(|&c| is_digit(c))
}

fn ratio(a: usize, b: usize) -> f64 {
    a as f64 / b as f64
}

/// The own features of one stripped, non-empty line (`None` for an empty one).
pub fn own(text: &str, words: &Words) -> Option<Own> {
    let first = text.chars().next()?;
    let last = text.chars().next_back()?;
    let ascii = text.is_ascii();
    // one walk over the characters: the words (\w+), their stop words, title-case starts
    // and letters; digits, spaces and punctuation; whether a menu separator occurs. A word is
    // looked up as it stands in the case-folded line (casefold maps each character on its own)
    let (mut n, mut stops, mut titled, mut letters) = (0usize, 0usize, 0usize, 0usize);
    let (mut nchars, mut digits, mut spaces, mut punct) = (0usize, 0usize, 0usize, 0usize);
    let mut chrome = 0usize;
    let mut menu_char = false;
    let mut end_word = |word: &str| {
        n += 1;
        let kinds = words.kinds(word);
        stops += usize::from(kinds & STOP_WORD != 0);
        chrome += usize::from(kinds & CHROME_WORD != 0);
    };
    let folded = if ascii {
        let folded = text.to_ascii_lowercase();
        let mut word_start: Option<usize> = None;
        for (i, &b) in text.as_bytes().iter().enumerate() {
            if b.is_ascii_digit() {
                digits += 1;
            }
            if b == b' ' {
                spaces += 1;
            } else if matches!(b, b'.' | b',' | b';' | b':' | b'!' | b'?') {
                punct += 1;
            } else if matches!(b, b'|' | b'/') {
                menu_char = true;
            }
            if b.is_ascii_alphanumeric() || b == b'_' {
                if word_start.is_none() {
                    word_start = Some(i);
                    if b.is_ascii_uppercase() {
                        titled += 1;
                    }
                }
                letters += 1;
            } else if let Some(start) = word_start.take() {
                end_word(&folded[start..i]);
            }
        }
        if let Some(start) = word_start {
            end_word(&folded[start..]);
        }
        nchars = text.len();
        folded
    } else {
        let mut folded = String::with_capacity(text.len() + 8);
        let mut word_start: Option<usize> = None;
        for c in text.chars() {
            nchars += 1;
            if is_digit(c) {
                digits += 1;
            }
            if c == ' ' {
                spaces += 1;
            } else if matches!(c, '.' | ',' | ';' | ':' | '!' | '?') {
                punct += 1;
            } else if matches!(c, '|' | '•' | '·' | '»' | '›' | '/') {
                menu_char = true; // MENU_CHARS
            }
            // an ASCII character of the line tested inline (most of a non-ASCII line's)
            let word = if c.is_ascii() { c.is_ascii_alphanumeric() || c == '_' } else { is_word(c) };
            if word {
                if word_start.is_none() {
                    word_start = Some(folded.len());
                    if is_upper(c) {
                        titled += 1;
                    }
                }
                letters += 1;
            } else if let Some(start) = word_start.take() {
                end_word(&folded[start..]);
            }
            push_casefold(c, &mut folded);
        }
        if let Some(start) = word_start {
            end_word(&folded[start..]);
        }
        folded
    };
    let footer = may_be_footer(text) && footer_match(text);
    let menu = menu_char && has_menu_sep(text);
    let sentence_end = SENT_END.contains(last) && n >= 3 && !text.ends_with("...");
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    let per_word = |x: usize| if n > 0 { ratio(x, n) } else { 0.0 };
    let features = [
        (nchars as f64).ln_1p() / 6.0,
        (n as f64).ln_1p() / 4.0,
        per_word(stops),
        flag(sentence_end),
        flag(last == ':'),
        flag(text.ends_with("...") || text.ends_with('…')),
        per_word(titled),
        ratio(digits, nchars),
        (nchars - letters - spaces) as f64 / nchars as f64,
        if n > 0 { ratio(letters, n).min(12.0) / 12.0 } else { 0.0 },
        flag(footer),
        flag(menu),
        flag(BULLETS.contains(first) || numbered(text)),
        flag(n <= 12 && digits > 0 && date_match(text)),
        flag(n <= 2),
        if n > 0 { ratio(punct, n).min(1.0) } else { 0.0 },
        flag(n >= 8 && (stops as f64) < 0.08 * n as f64),
        flag(is_lower(first)),
        per_word(chrome),
    ];
    let prose = n >= 12 && (stops as f64) >= 0.15 * n as f64 && sentence_end;
    Some(Own {
        features,
        words: n,
        stops,
        folded,
        prose,
    })
}

/// `log1p(k) / 3.0`.
fn third(k: usize) -> f64 {
    (k as f64).ln_1p() / 3.0
}

/// `_body_span`: first and last line of the densest run of prose (gaps of up to 8 lines bridged).
pub fn body_span(prose_idx: &[usize], chars: &[usize]) -> Option<(usize, usize)> {
    let &first = prose_idx.first()?;
    let (mut best, mut best_score) = ((first, first), -1.0f64);
    let (mut start, mut prev, mut score) = (first, first, 0.0f64);
    for &i in prose_idx {
        if i - prev > 8 {
            if score > best_score {
                best = (start, prev);
                best_score = score;
            }
            start = i;
            score = 0.0;
        }
        score += chars[i] as f64;
        prev = i;
    }
    if score > best_score {
        best = (start, prev);
    }
    Some(best)
}

/// The window of lines `max(0, i - k) .. min(n, i + k + 1)`.
fn window(i: usize, k: usize, n: usize) -> (usize, usize) {
    (i.saturating_sub(k), (i + k + 1).min(n))
}

fn prefix<T: Copy>(xs: impl Iterator<Item = T>, add: impl Fn(usize, T) -> usize) -> Vec<usize> {
    let mut out = vec![0usize];
    for x in xs {
        let last = *out.last().expect("non-empty");
        out.push(add(last, x));
    }
    out
}

/// `_context_rows`: FEATURES[19:] of each line (`chars`: its length in code points), made one
/// at a time as the iterator is read (a row is 144 bytes: a document of millions of lines
/// never holds them all).
pub fn context_rows<'a>(
    own: &'a [&'a Own],
    chars: &'a [usize],
    blocks: &'a [i64],
) -> impl Iterator<Item = [f64; CONTEXT_ROW]> + 'a {
    let n = own.len();
    // sized once for every line (growing them rehashed every document's keys several times)
    // whether each line's folded text occurs more than once: one hash of each text (the first
    // line of a text is marked when a second one is met)
    let mut first_of: HashMap<&str, usize> = HashMap::with_capacity_and_hasher(n, Default::default());
    let mut repeated = vec![false; n];
    for (i, o) in own.iter().enumerate() {
        match first_of.entry(o.folded.as_str()) {
            std::collections::hash_map::Entry::Occupied(e) => {
                repeated[*e.get()] = true;
                repeated[i] = true;
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(i);
            }
        }
    }
    drop(first_of);
    let total_chars = chars.iter().sum::<usize>().max(1);
    let cp = prefix(own.iter(), |a, o| a + o.prose as usize);
    let cw = prefix(own.iter(), |a, o| a + o.words);
    let cs = prefix(own.iter(), |a, o| a + o.stops);
    let mut block_size: HashMap<i64, (usize, usize)> = HashMap::with_capacity_and_hasher(n, Default::default());
    for (o, &b) in own.iter().zip(blocks) {
        let e = block_size.entry(b).or_insert((0, 0));
        e.0 += 1;
        e.1 += o.words;
    }
    let prose_idx: Vec<usize> = (0..n).filter(|&i| own[i].prose).collect();
    let dist = prose_distances(&prose_idx, n);
    let short = short_runs(own);
    let titles = title_runs(own);
    let chrome_near = near_means(&own.iter().map(|o| o.features[CHROME_COL]).collect::<Vec<f64>>());
    let shapes = block_shapes(own, blocks);
    let span = body_span(&prose_idx, chars);
    let edge_span = (n.max(2) - 1) as f64; // max(1, n - 1)
    let half = n.div_ceil(2);
    (0..n)
        .map(move |i| {
            let o = own[i];
            let prose = if o.prose { 1.0 } else { 0.0 };
            let (lo3, hi3) = window(i, W, n);
            let (lo10, hi10) = window(i, WIDE, n);
            let others3 = (hi3 - lo3).saturating_sub(1).max(1);
            let words3 = cw[hi3] - cw[lo3];
            let (size, words) = block_size[&blocks[i]];
            let edge_i = if i < half { i } else { n - 1 - i };
            let shape = shapes[&blocks[i]];
            [
                if repeated[i] { 1.0 } else { 0.0 },
                edge_i as f64 / edge_span * 2.0,
                (size as f64).ln_1p() / 4.0,
                ratio(words, size).ln_1p() / 4.0,
                prose,
                ((cp[hi3] - cp[lo3]) as f64 - prose) / others3 as f64,
                ratio(cp[hi10] - cp[lo10], hi10 - lo10),
                ((words3 - o.words) as f64 / others3 as f64).ln_1p() / 4.0,
                short[i],
                third(dist[i]),
                match span {
                    Some((lo, hi)) if lo <= i && i <= hi => 1.0,
                    _ => 0.0,
                },
                if words3 > 0 {
                    ratio(cs[hi3] - cs[lo3], words3)
                } else {
                    0.0
                },
                (chars[i] as f64 * 20.0 / total_chars as f64).min(1.0),
                if i == 0 { 1.0 } else { 0.0 },
                titles[i],
                chrome_near[i],
                shape.0,
                shape.1,
            ]
        })
}

/// Each line's distance to the nearest prose line (n when there is none).
fn prose_distances(prose_idx: &[usize], n: usize) -> Vec<usize> {
    let mut out = vec![n; n];
    let mut prev: Option<usize> = None;
    let mut next = prose_idx.iter().peekable();
    for (i, d) in out.iter_mut().enumerate() {
        while let Some(&&p) = next.peek() {
            if p <= i {
                prev = Some(p);
                next.next();
            } else {
                break;
            }
        }
        let after = next.peek().map(|&&p| p - i);
        let before = prev.map(|p| i - p);
        *d = match (before, after) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) => a,
            (None, Some(b)) => b,
            (None, None) => n,
        };
    }
    out
}

/// `log1p(length) / 3` of the run of short lines (<= 4 words) each line is in (0 outside).
fn short_runs(own: &[&Own]) -> Vec<f64> {
    let mut out = vec![0.0; own.len()];
    let mut i = 0;
    while i < own.len() {
        let short = own[i].words <= 4;
        let start = i;
        while i < own.len() && (own[i].words <= 4) == short {
            i += 1;
        }
        if short {
            let v = third(i - start);
            out[start..i].iter_mut().for_each(|x| *x = v);
        }
    }
    out
}

/// `_title_runs`: `log1p(length) / 3` of the run of menu-shaped lines (one to six words, no
/// sentence end, at least half of them title-case) each line is in (0 outside).
fn title_runs(own: &[&Own]) -> Vec<f64> {
    let shaped: Vec<bool> = own
        .iter()
        .map(|o| (1..=6).contains(&o.words) && o.features[SENTENCE_COL] == 0.0 && o.features[TITLE_COL] >= 0.5)
        .collect();
    let mut out = vec![0.0; own.len()];
    let mut i = 0;
    while i < shaped.len() {
        let start = i;
        while i < shaped.len() && shaped[i] == shaped[start] {
            i += 1;
        }
        if shaped[start] {
            let v = third(i - start);
            out[start..i].iter_mut().for_each(|x| *x = v);
        }
    }
    out
}

/// `_block_shapes`: per block id (two lines or more; 0 for a lone line), scaled by
/// `log1p(lines) / 3`, the share of its lines that are labels (four words at most, no
/// sentence end) and the mean title-case share of its lines (summed in document order).
fn block_shapes(own: &[&Own], blocks: &[i64]) -> HashMap<i64, (f64, f64)> {
    let mut sums: HashMap<i64, (usize, usize, f64)> = HashMap::with_capacity_and_hasher(own.len(), Default::default());
    for (o, &b) in own.iter().zip(blocks) {
        let e = sums.entry(b).or_insert((0, 0, 0.0));
        e.0 += 1;
        e.1 += (o.words <= 4 && o.features[SENTENCE_COL] == 0.0) as usize;
        e.2 += o.features[TITLE_COL];
    }
    sums.into_iter()
        .map(|(b, (k, labels, titled))| {
            let shape = if k >= 2 {
                (labels as f64 / k as f64 * third(k), titled / k as f64 * third(k))
            } else {
                (0.0, 0.0)
            };
            (b, shape)
        })
        .collect()
}

/// `_near_means`: the mean of `values` over the up to three lines each side (itself left out),
/// summed left to right.
fn near_means(values: &[f64]) -> Vec<f64> {
    let n = values.len();
    (0..n)
        .map(|i| {
            let (lo, hi) = window(i, W, n);
            let mut total = 0.0f64;
            for (j, &v) in values.iter().enumerate().take(hi).skip(lo) {
                if j != i {
                    total += v;
                }
            }
            total / (hi - lo).saturating_sub(1).max(1) as f64
        })
        .collect()
}

/// `cue_rows`: (before_body, after_body) of each line.
pub fn cue_rows(own: &[&Own], chars: &[usize]) -> Vec<[f64; 2]> {
    let n = own.len();
    let prose_idx: Vec<usize> = (0..n).filter(|&i| own[i].prose).collect();
    match body_span(&prose_idx, chars) {
        None => vec![[0.0, 0.0]; n],
        Some((lo, hi)) => (0..n)
            .map(|i| {
                if i < lo {
                    [third(lo - i), 0.0]
                } else if i > hi {
                    [0.0, third(i - hi)]
                } else {
                    [0.0, 0.0]
                }
            })
            .collect(),
    }
}

/// `sum(map(mul, weights, row))` in Python 3.11: left to right from 0.
pub fn dot(weights: &[f64], row: impl IntoIterator<Item = f64>) -> f64 {
    let mut total = 0.0;
    for (w, x) in weights.iter().zip(row) {
        total += w * x;
    }
    total
}

/// `_best_run`: first and last index of the contiguous run with the largest sum (Kadane).
fn best_run(scores: &[f64]) -> (usize, usize) {
    let (mut best, mut best_lo, mut best_hi) = (scores[0], 0, 0);
    let (mut run, mut run_lo) = (0.0f64, 0);
    for (i, &s) in scores.iter().enumerate() {
        if run <= 0.0 {
            run = s;
            run_lo = i;
        } else {
            run += s;
        }
        if run > best {
            best = run;
            best_lo = run_lo;
            best_hi = i;
        }
    }
    (best_lo, best_hi)
}

/// `context_scores`: the second-stage score of each line from the first-stage scores.
pub fn context_scores(scores: &[f64], weights: &[f64]) -> Vec<f64> {
    let n = scores.len();
    if n == 0 {
        return Vec::new();
    }
    let clipped: Vec<f64> = scores.iter().map(|&s| s.clamp(-6.0, 6.0)).collect();
    let mut cum = Vec::with_capacity(n + 1);
    cum.push(0.0f64);
    let mut total = 0.0;
    for &s in &clipped {
        total += s;
        cum.push(total);
    }
    let best = clipped
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, |a, b| if b > a { b } else { a });
    let (lo, hi) = best_run(&clipped);
    let positive = clipped.iter().filter(|&&s| s > 0.0).count() as f64 / n as f64;
    (0..n)
        .map(|i| {
            let s = clipped[i];
            let (a1, b1) = window(i, 1, n);
            let pn = (cum[b1] - cum[a1] - s) / (b1 - a1).saturating_sub(1).max(1) as f64;
            let (a3, b3) = window(i, 3, n);
            let near = (cum[b3] - cum[a3]) / (b3 - a3) as f64;
            let (a10, b10) = window(i, 10, n);
            let wide = (cum[b10] - cum[a10]) / (b10 - a10) as f64 / 4.0;
            let inside = lo <= i && i <= hi;
            let outside = if i < lo {
                ((lo - i) as f64).ln_1p() / 3.0
            } else if i > hi {
                ((i - hi) as f64).ln_1p() / 3.0
            } else {
                0.0
            };
            let row = [
                1.0,
                s / 4.0,
                pn / 4.0,
                near / 4.0,
                wide,
                (s - best) / 4.0,
                (near - best) / 4.0,
                if inside { 1.0 } else { 0.0 },
                outside,
                positive,
            ];
            dot(weights, row)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    fn stops() -> Words {
        Words::new(["the", "on", "and", "it", "was", "with", "of", "a"].iter().map(|s| s.to_string()))
    }

    #[test]
    fn a_sentence_ends_and_a_menu_does_not() {
        let sw = stops();
        let prose = own("The cat sat on the mat and it was happy with the day.", &sw).unwrap();
        assert_eq!(1.0, prose.features[3]);
        assert_eq!(13, prose.words);
        let menu = own("Home | News | Sport", &sw).unwrap();
        assert_eq!((0.0, 1.0), (menu.features[3], menu.features[11]));
        assert_eq!(None, own("", &sw));
    }

    #[test]
    fn footer_date_bullet_and_numbered() {
        let sw = stops();
        assert_eq!(1.0, own("© 2024 All rights reserved", &sw).unwrap().features[10]);
        assert_eq!(1.0, own("Updated 12.03.2024", &sw).unwrap().features[13]);
        assert_eq!(1.0, own("• item", &sw).unwrap().features[12]);
        assert_eq!(1.0, own("3. step", &sw).unwrap().features[12]);
        assert_eq!(0.0, own("x. step", &sw).unwrap().features[12]);
    }

    #[test]
    fn the_gates_without_word_boundaries_never_hide_a_match() {
        let (footer, date) = (Regex::new(FOOTER).unwrap(), Regex::new(DATE).unwrap());
        for text in [
            "© 2024 Société Générale", "Privacy policyé", "éprivacy policy", "Datenschutzerklärung ©", "2019年",
            "éé 12.03.2024", "x2019 é", "12.03.2024é", "Дата 2020 г.", "Cookie-Einstellungen für Sie", "ab 1999",
        ] {
            assert_eq!(footer_match(text), footer.is_match(text), "{text}");
            assert_eq!(date_match(text), date.is_match(text), "{text}");
        }
    }

    #[test]
    fn the_footer_prefilter_never_hides_a_match() {
        let footer = Regex::new(FOOTER).unwrap();
        for text in [
            "Cookie settings",
            "coo\u{212A}ie",
            "\u{17F}ubscribe now",
            "(C) 2020",
            "LOGIN",
            "x © y",
        ] {
            assert!(may_be_footer(text) && footer.is_match(text), "{text}");
        }
        assert!(!may_be_footer("The cat sat on the mat."));
        // the only non-ASCII characters the case-insensitive regex takes for ASCII letters
        let letter = Regex::new("(?i)^[a-z]$").unwrap();
        let odd: Vec<char> = (0x80..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|c| letter.is_match(c.encode_utf8(&mut [0; 4])))
            .collect();
        assert_eq!(vec!['\u{17F}', '\u{212A}'], odd);
    }

    /// `has_menu_sep` as it was, over the line's characters.
    fn menu_sep_of_chars(chars: &[char]) -> bool {
        let n = chars.len();
        (0..n.saturating_sub(1)).any(|i| {
            is_regex_space(chars[i])
                && ((MENU_CHARS.contains(chars[i + 1]) && i + 2 < n && is_regex_space(chars[i + 2]))
                    || (MENU_END_CHARS.contains(chars[i + 1]) && i + 2 == n))
        })
    }

    proptest::proptest! {
        #[test]
        fn menu_separators_as_over_the_characters(text in "[a |•·»›/\u{a0}\u{2003}\t-]{0,8}") {
            let chars: Vec<char> = text.chars().collect();
            proptest::prop_assert_eq!(menu_sep_of_chars(&chars), has_menu_sep(&text));
        }
    }

    #[test]
    fn every_word_is_found_by_its_kind() {
        let words = stops();
        for w in CHROME {
            assert_eq!(CHROME_WORD, words.kinds(w) & CHROME_WORD, "{w}");
        }
        for w in ["the", "on", "and", "it", "was", "with", "of", "a"] {
            assert_eq!(STOP_WORD, words.kinds(w) & STOP_WORD, "{w}");
        }
        for w in ["", "cat", "th", "thee", "the\0", "a\0\0\0\0\0\0", "andandand"] {
            assert_eq!(0, words.kinds(w), "{w:?}");
        }
    }

    #[test]
    fn chrome_words_and_menu_runs() {
        let sw = stops();
        assert_eq!(1.0, own("Login | Warenkorb", &sw).unwrap().features[CHROME_COL]);
        assert_eq!(0.0, own("The cat sat on the mat.", &sw).unwrap().features[CHROME_COL]);
        let lines = [
            "Home",
            "About Us",
            "Contact",
            "The cat sat on the mat and it was happy.",
            "News",
        ];
        let owns: Vec<Own> = lines.iter().map(|t| own(t, &sw).unwrap()).collect();
        let refs: Vec<&Own> = owns.iter().collect();
        assert_eq!(vec![third(3), third(3), third(3), 0.0, third(1)], title_runs(&refs));
        assert_eq!(
            vec![1.0, 2.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0],
            near_means(&[0.0, 1.0, 1.0, 1.0])
        );
    }

    #[test]
    fn a_block_of_labels_is_menu_shaped_and_a_lone_line_is_not() {
        let sw = stops();
        let lines = ["About us", "Careers", "The cat sat on the mat and it was happy.", "Help"];
        let owns: Vec<Own> = lines.iter().map(|t| own(t, &sw).unwrap()).collect();
        let refs: Vec<&Own> = owns.iter().collect();
        let shapes = block_shapes(&refs, &[0, 0, 0, 1]);
        assert_eq!(2.0 / 3.0 * third(3), shapes[&0].0);
        assert_eq!((0.0, 0.0), shapes[&1]);
        assert!(shapes[&0].1 > 0.0);
    }

    #[test]
    fn distances_to_prose() {
        assert_eq!(vec![1, 0, 1, 2, 1, 0, 1], prose_distances(&[1, 5], 7));
        assert_eq!(vec![3, 3, 3], prose_distances(&[], 3));
    }

    #[test]
    fn best_run_is_kadane() {
        assert_eq!((2, 3), best_run(&[-1.0, -2.0, 3.0, 1.0, -5.0, 2.0]));
    }
}
