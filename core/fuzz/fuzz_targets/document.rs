//! One document of arbitrary bytes through the core: the HEU010 classifier and the rule matcher
//! on its lines, then the whole plain-text path (`TextCleaner::clean`: rules with each action,
//! the heuristics, HEU010, the passes). Nothing may panic; every line gets one decision, every
//! span lies in its line, and a cleaned document's removals are sorted, disjoint, on character
//! boundaries of the source, and replay it to the clean text.
//!
//!     cd core/fuzz && cargo +nightly fuzz run document -- -max_total_time=120 -max_len=65536
#![no_main]

use std::sync::OnceLock;

use _core::apply::replay;
use _core::body::{Lines, Model};
use _core::clean::{Action, Heuristics, Outcome, RuleInfo, TextCleaner};
use _core::features::{Words, CONTEXT_ROW, OWN, SECOND};
use _core::rules::{Matcher, RuleSpec, Scope};
use libfuzzer_sys::fuzz_target;

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| Model {
        line: (0..1 + OWN + CONTEXT_ROW).map(|i| (i as f64 - 16.0) / 10.0).collect(),
        context: (0..SECOND).map(|i| i as f64 / 5.0 - 0.5).collect(),
        cues: vec![-0.1, -0.3],
        stopwords: Words::new(["the", "und", "le", "и", "的"].iter().map(|s| s.to_string())),
        forest: None,
    })
}

/// The rules: (pattern, scope, literal sets, action).
const RULES: [(&str, Scope, Option<&[&str]>, &str); 7] = [
    (r"(?:advertisement|anzeige)", Scope::Line, Some(&["advertisement", "anzeige"]), "drop_line"),
    (r"(?:sign up\b.*)", Scope::Prefix, Some(&["sign up"]), "strip_span"),
    (r"(?:(?<=[.!?])\s*- copyright \d{4}.*)\Z", Scope::Suffix, Some(&["copyright"]), "strip_span"),
    (r"\w+/reuters", Scope::Span, Some(&["reuters"]), "strip_span"),
    (r"(?:\d{1,2}\.\d{1,2}\.\d{4})", Scope::Line, None, "drop_line"),
    (r"(?:leave a reply)", Scope::Line, Some(&["leave a reply"]), "drop_to_end"),
    (r"(?:related stories)", Scope::Line, Some(&["related stories"]), "drop_section"),
];

fn specs() -> Vec<RuleSpec> {
    RULES
        .iter()
        .map(|&(pattern, scope, literals, _)| RuleSpec {
            pattern: pattern.to_string(),
            unless: None,
            case_insensitive: true,
            scope: Some(scope),
            literals: literals.map(|set| vec![set.iter().map(|s| s.to_string()).collect()]),
        })
        .collect()
}

fn info(owner: u32, action: &str) -> RuleInfo {
    RuleInfo {
        owner,
        action: Action::from_name(action).expect("a known action"),
        min_position: None,
        max_words: Some(12),
        min_words: None,
        within_head: None,
        within_tail: None,
        section_max_lines: 6,
        section_max_words: 16,
    }
}

fn matcher() -> &'static Matcher {
    static MATCHER: OnceLock<Matcher> = OnceLock::new();
    MATCHER.get_or_init(|| Matcher::new(&specs()))
}

/// Owners: the scanned rules 0..7, the whole-line literal rule 7, the heuristics 8..13.
const OWNERS: usize = 13;

fn cleaner() -> &'static TextCleaner {
    static CLEANER: OnceLock<TextCleaner> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let scanned = RULES.iter().enumerate().map(|(n, r)| info(n as u32, r.3)).collect();
        let exact = vec![(vec!["menu".to_string(), "skip to content".to_string()], info(7, "drop_line"), None, true)];
        let heuristics = Heuristics {
            repeated_headline: Some(8),
            head_chrome: Some(9),
            byline: Some(10),
            comment_thread: Some(11),
            body: Some(12),
        };
        TextCleaner::new(Matcher::new(&specs()), scanned, exact, heuristics, false, Some(model().clone()), 0.4, 1.0, 0.5)
            .expect("the fuzz rules build")
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines: Vec<&str> = text.split('\n').map(str::trim).filter(|l| !l.is_empty()).collect();
    let blocks: Vec<i64> = (0..lines.len() as i64).map(|i| i / 4).collect();
    let keys: Vec<i64> = lines.iter().map(|l| (l.len() % 7) as i64).collect();
    let (keep, _) = model()
        .classify_settled(Lines { texts: &lines, blocks: &blocks, keys: &keys, extra: None }, 0.1, 0.5)
        .expect("stripped, non-empty lines are valid input");
    assert_eq!(lines.len(), keep.len());
    let found = matcher().find(&lines);
    for ((&line, &start), &end) in found.line.iter().zip(&found.start).zip(&found.end) {
        let chars = lines[line as usize].chars().count() as i64;
        assert!(start == -1 || (0 <= start && start <= end && end <= chars));
    }
    // the whole document, as Python hands it over (a str: no lone surrogates, so valid UTF-8)
    let active = [true; OWNERS];
    if let Ok(Outcome::Cleaned { text: clean, removals, .. }) = cleaner().clean(&text, &active, data.len() % 2 == 0) {
        let mut pos = 0;
        for r in &removals {
            assert!(pos <= r.start && r.start < r.end && r.end <= text.len(), "sorted, disjoint, inside");
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            assert!((r.owner as usize) < OWNERS);
            pos = r.end;
        }
        assert_eq!(replay(&text, &removals), clean);
    }
});
