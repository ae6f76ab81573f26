//! The plain-text heuristics other than HEU010, as `cleaner/heuristics/lines.py` and
//! `comments.py` define them: HEU001 repeated-headline, HEU002 head-chrome, HEU003
//! byline-names, HEU030 comment-thread. Each returns the views (positions) it removes.

use std::sync::OnceLock;

use regex::Regex;
use rustc_hash::FxHashSet;

use crate::lines::{py_strip, sentence_end, View};
use crate::unicode::{is_alpha, is_digit};

const HEAD: usize = 12; // non-blank lines that count as the head of a document

fn text<'a>(doc: &'a str, v: &View) -> &'a str {
    &doc[v.start..v.end]
}

/// HEU001: the later copy of a line repeated in the head, or right after the last kept line.
pub fn repeated_headline(free: &[&View]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut seen: FxHashSet<u32> = FxHashSet::default();
    let mut prev: Option<u32> = None;
    let mut rank = 0;
    for (k, v) in free.iter().enumerate() {
        let key = v.key;
        if prev == Some(key) || (rank < HEAD && v.words >= 2 && seen.contains(&key)) {
            out.push(k);
            continue;
        }
        if rank < HEAD {
            seen.insert(key);
        }
        prev = Some(key);
        rank += 1;
    }
    out
}

fn is_label(doc: &str, v: &View) -> bool {
    let t = text(doc, v);
    v.words <= 3 && !sentence_end(t) && t.chars().any(is_alpha)
}

/// HEU002: two or more short labels stacked above the first real line.
pub fn head_chrome(doc: &str, free: &[&View]) -> Vec<usize> {
    let mut run = Vec::new();
    for (k, v) in free.iter().take(HEAD).enumerate() {
        if is_label(doc, v) {
            run.push(k);
            continue;
        }
        return if run.len() >= 2 { run } else { Vec::new() };
    }
    Vec::new() // no real line in the head
}

const NAME: &str = r"\p{Lu}[\p{L}'’.\-]+(?:\s+(?:\p{Lu}[\p{L}'’.\-]+|de|van|von|der|da|di|al|bin|le|la)){1,3}";

struct Byline {
    full: Regex,
    split: Regex,
    by_prefix: Regex,
}

fn byline() -> &'static Byline {
    static RE: OnceLock<Byline> = OnceLock::new();
    RE.get_or_init(|| Byline {
        full: Regex::new(&format!(
            r"\A(?:(?:(?i:by|von|par|por|door)\s+)?(?P<names>{NAME}(?:\s*,\s*{NAME})*(?:,?\s+(?:and|&|und|et|y|e)\s+{NAME})?))\z"
        ))
        .expect("byline pattern"),
        split: Regex::new(r"\s*(?:,|\band\b|&|\bund\b|\bet\b)\s*").expect("name split"),
        by_prefix: Regex::new(r"(?i)\A(?:by|von|par|por|door)\s+").expect("by prefix"),
    })
}

/// `byline_names`: the names of a byline that is only a list of people.
pub fn byline_names(line: &str) -> Option<Vec<String>> {
    let re = byline();
    let line = py_strip(line);
    let caps = re.full.captures(line)?;
    let names: Vec<String> = re
        .split
        .split(caps.name("names")?.as_str())
        .map(py_strip)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    if names.len() < 2 && !re.by_prefix.is_match(line) {
        return None;
    }
    Some(names)
}

/// HEU003: the first of the first six free lines that is only names, and the author it gives.
pub fn byline_line(doc: &str, free: &[&View]) -> Option<(usize, String)> {
    free.iter()
        .take(HEAD / 2)
        .enumerate()
        .find_map(|(k, v)| byline_names(text(doc, v)).map(|names| (k, names.join("; "))))
}

// -- HEU030 comment-thread ------------------------------------------------------------------

const MONTH: &str = concat!(
    r"(?:jan(?:uary|vier|uar|eiro)?|feb(?:ruary|ruar|rero)?|févr(?:ier)?|fev(?:ereiro)?|",
    r"mar(?:ch|s|zo|ço)?|märz|apr(?:il|ile)?|avr(?:il)?|abr(?:il)?|may|mai|mayo|maio|",
    r"maggio|june?|juin|juni|junio|giugno|junho|july?|juil(?:let)?|juli|julio|luglio|julho|",
    r"aug(?:ust)?|août|agosto|sep(?:t(?:ember)?)?|sept(?:embre)?|septiembre|settembre|",
    r"setembro|oct(?:ober|obre)?|okt(?:ober)?|octubre|ottobre|outubro|nov(?:ember|embre|iembre)?|",
    r"dec(?:ember)?|déc(?:embre)?|dez(?:ember|embro)?|dic(?:iembre|embre)?)\.?"
);
const WEEKDAY: &str = concat!(
    r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?|montag|dienstag|mittwoch|",
    r"donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
);
const TIME: &str = r"\d{1,2}[:.h]\d{2}(?:\s*[ap]\.?\s?m\.?)?(?:\s*uhr)?";
const VERB: &str = r"(?:said|says|wrote|sagt|schrieb|a écrit|dit|dice|escribió|scrive|disse|diz)";
const AT: &str = r"(?:\s+(?:at|um|à|a las|alle|às|@)\s+|\s*[,|@\-–—]\s*|\s+)";

struct Comments {
    says: Regex,
    dated: Regex,
    stamp: Regex,
    byline: Regex,
    forum: Regex,
}

fn comments() -> &'static Comments {
    static RE: OnceLock<Comments> = OnceLock::new();
    RE.get_or_init(|| {
        let date = format!(
            r"(?:(?:{WEEKDAY},?\s+)?(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\.?\s+(?:de\s+)?{MONTH}\s+(?:de\s+)?\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}})|\d+\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago)"
        );
        let full = |p: &str| {
            regex::RegexBuilder::new(&format!(r"(?i)\A(?:{p})\z"))
                .size_limit(1 << 26)
                .build()
                .expect("comment pattern")
        };
        Comments {
            says: full(r"(?P<name>\S.{0,48}?)\s+(?:says|sagt|dit|dice|diz|zegt)\s*:"),
            dated: full(&format!(
                r"(?P<name>\S.{{0,48}}?)\s+(?:on|am|le|el|il|op|[\-–—|])\s+{date}(?:{AT}{TIME})?\s*{VERB}\s*:?"
            )),
            stamp: full(&format!(r"(?:(?:on|am|le|el|il)\s+)?{date}{AT}{TIME}")),
            byline: Regex::new(r"(?i)\A(?:by|von|par|por|door)\s").expect("byline"),
            forum: full(
                r"(?:last post|latest|replies|thread starter|started by|joined|posts|reply #\d+|messages)\s*:?\s*.{0,60}",
            ),
        }
    })
}

const MIN_SAID: usize = 2;
const MIN_STAMPED: usize = 3;
const STAMPED_POSITION: f64 = 0.25;
const MAX_GAP: usize = 40;
const MIN_POSITION: f64 = 0.1;
const MIN_PROSE_BEFORE: usize = 60;
const VERB_LAST: &str = "dsetbóz\u{17f}";

fn is_name(doc: &str, v: &View) -> bool {
    let t = text(doc, v);
    (1..=5).contains(&v.words)
        && t.chars().count() <= 50
        && !sentence_end(t)
        && !comments().byline.is_match(t)
        && !t.chars().next().is_some_and(is_digit)
}

fn is_sentence(doc: &str, v: &View) -> bool {
    v.words >= 4 && sentence_end(text(doc, v))
}

fn has_decimal(t: &str) -> bool {
    // the regex module's \d: Unicode decimal digits (a superset test is enough: the patterns decide)
    t.chars().any(|c| c.is_ascii_digit() || (!c.is_ascii() && is_digit(c)))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Header {
    Said,
    Stamp,
    Bare,
}

fn comment_headers(doc: &str, views: &[View]) -> Vec<(usize, Header)> {
    let re = comments();
    let mut starts = Vec::new();
    let last = views.len().saturating_sub(1);
    for (k, v) in views.iter().enumerate() {
        if v.words > 16 {
            continue;
        }
        let t = text(doc, v);
        let digit = has_decimal(t);
        let end = t.chars().next_back().unwrap_or(' ');
        // `end.lower() in VERB_LAST`: a one-character lower case in it (no longer one is a part of it)
        let mut lower = end.to_lowercase();
        let verb_last = matches!((lower.next(), lower.next()), (Some(c), None) if VERB_LAST.contains(c));
        if (end == ':' && re.says.is_match(t)) || (digit && (end == ':' || verb_last) && re.dated.is_match(t)) {
            starts.push((k, Header::Said));
        } else if digit && 0 < k && k < last && re.stamp.is_match(t) && is_name(doc, &views[k - 1]) {
            let kind = if is_sentence(doc, &views[k + 1]) { Header::Stamp } else { Header::Bare };
            starts.push((k - 1, kind));
        }
    }
    starts
}

fn forum_line(doc: &str, v: &View) -> bool {
    if v.words > 12 {
        return false;
    }
    let t = text(doc, v);
    let first = t.chars().next().unwrap_or(' ');
    if first.is_ascii() && !"lrtjpms".contains(first.to_ascii_lowercase()) {
        return false;
    }
    comments().forum.is_match(t)
}

fn thread_start(doc: &str, views: &[View]) -> Option<usize> {
    let starts = comment_headers(doc, views);
    let mut forum: Option<bool> = None;
    let mut i = 0;
    while i < starts.len() {
        let mut j = i;
        while j + 1 < starts.len() && starts[j + 1].0 - starts[j].0 <= MAX_GAP {
            j += 1;
        }
        let run = &starts[i..=j];
        let count = |h: Header| run.iter().filter(|(_, kind)| *kind == h).count();
        let first = run[0].0;
        if count(Header::Said) >= MIN_SAID {
            return Some(first);
        }
        if count(Header::Stamp) >= MIN_STAMPED && first as f64 >= STAMPED_POSITION * views.len() as f64 {
            let is_forum = *forum.get_or_insert_with(|| views.iter().any(|v| forum_line(doc, v)));
            if !is_forum {
                return Some(first);
            }
        }
        i = j + 1;
    }
    None
}

/// HEU030: the position (in `views`) where a comment thread after the article starts.
pub fn comment_thread(doc: &str, views: &[View]) -> Option<usize> {
    if views.len() < 8 {
        return None;
    }
    let first = thread_start(doc, views)?;
    if (first as f64) < MIN_POSITION * views.len() as f64 {
        return None;
    }
    let prose: usize = views[..first]
        .iter()
        .filter(|v| v.words >= 12 || is_sentence(doc, v))
        .map(|v| v.words as usize)
        .sum();
    if prose < MIN_PROSE_BEFORE {
        return None;
    }
    Some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_are_lists_of_names() {
        assert_eq!(
            byline_names("Dmitry Antonov, Tom Balmforth and Simon Lewis"),
            Some(vec!["Dmitry Antonov".to_string(), "Tom Balmforth".to_string(), "Simon Lewis".to_string()])
        );
        assert_eq!(byline_names("Russia Says US Failing On Ukraine"), None);
    }

    #[test]
    fn comment_headers_are_recognised() {
        let re = comments();
        assert!(re.says.is_match("John Smith says:"));
        assert!(re.dated.is_match("John on March 3, 2019 at 6:34 am said:"));
        assert!(re.stamp.is_match("2 days ago at 07:47 am"));
        assert!(re.forum.is_match("Replies: 12"));
    }
}
