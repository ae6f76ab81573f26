//! One document of arbitrary bytes through the core's line path: the HEU010 classifier and the
//! rule matcher. Nothing may panic; every line gets one decision, every span lies in its line.
//!
//!     cd core/fuzz && cargo +nightly fuzz run document -- -max_total_time=120 -max_len=65536
#![no_main]

use std::sync::OnceLock;

use _core::body::{Lines, Model};
use _core::features::{CONTEXT_ROW, OWN, SECOND};
use _core::rules::{Matcher, RuleSpec, Scope};
use libfuzzer_sys::fuzz_target;

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| Model {
        line: (0..1 + OWN + CONTEXT_ROW).map(|i| (i as f64 - 16.0) / 10.0).collect(),
        context: (0..SECOND).map(|i| i as f64 / 5.0 - 0.5).collect(),
        cues: vec![-0.1, -0.3],
        stopwords: ["the", "und", "le", "и", "的"].iter().map(|s| s.to_string()).collect(),
    })
}

fn matcher() -> &'static Matcher {
    static MATCHER: OnceLock<Matcher> = OnceLock::new();
    let spec = |pattern: &str, scope, literals: Option<Vec<Vec<&str>>>| RuleSpec {
        pattern: pattern.to_string(),
        unless: None,
        case_insensitive: true,
        scope: Some(scope),
        literals: literals.map(|sets| sets.into_iter().map(|s| s.into_iter().map(String::from).collect()).collect()),
    };
    MATCHER.get_or_init(|| {
        Matcher::new(&[
            spec(r"(?:advertisement|anzeige)", Scope::Line, Some(vec![vec!["advertisement", "anzeige"]])),
            spec(r"(?:sign up\b.*)", Scope::Prefix, Some(vec![vec!["sign up"]])),
            spec(r"(?:(?<=[.!?])\s*- copyright \d{4}.*)\Z", Scope::Suffix, Some(vec![vec!["copyright"]])),
            spec(r"\w+/reuters", Scope::Span, Some(vec![vec!["reuters"]])),
            spec(r"(?:\d{1,2}\.\d{1,2}\.\d{4})", Scope::Line, None),
        ])
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
});
