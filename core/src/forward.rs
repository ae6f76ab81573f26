//! A regex for yes/no questions, built forward only.
//!
//! The `regex` crate's `Regex::new` builds, for every pattern, a forward and a reverse NFA, a
//! one-pass DFA where it can and literal prefilters: what finding a match's start and end takes.
//! A rule that asks only whether a line matches (a whole-line rule, an `unless`, a gate) needs
//! none of the reverse machinery: [`Forward`] compiles one forward NFA without capture states
//! and searches it as the crate does a yes/no question: with its lazy DFA, and where the lazy
//! DFA gives up (a Unicode `\b` on a non-ASCII line, a cache cleared too often) with its bounded
//! backtracker when the line fits the backtracker's memory bound, else its PikeVM. (The crate's
//! meta regex takes the backtracker only up to 128 bytes; the backtracker is bounded, so linear,
//! at any length it accepts, and it took a quarter less time than the PikeVM on the bench text.) The same engines as
//! `Regex::is_match`, so the same answers, in linear time, at about half the cost to build (it
//! is paid by every worker process, at the first line a rule meets).

use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::Arc;

use regex_automata::hybrid::dfa::{Cache as DfaCache, DFA};
use regex_automata::nfa::thompson::backtrack::{BoundedBacktracker, Cache as BacktrackCache};
use regex_automata::nfa::thompson::pikevm::{Cache as PikeCache, PikeVM};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::{Anchored, Input};
use regex_syntax::hir::{Hir, Look};

/// The NFA size limit of `regex::Regex::new` (`RegexBuilder::size_limit`'s default): a pattern
/// past it is refused here as there.
const NFA_SIZE_LIMIT: usize = 10 * (1 << 20);
/// The lazy DFA's cache of `regex::Regex::new` (`RegexBuilder::dfa_size_limit`'s default).
const DFA_CACHE_CAPACITY: usize = 2 * (1 << 20);

type CacheFn = Box<dyn Fn() -> Caches + Send + Sync + UnwindSafe + RefUnwindSafe>;

struct Caches {
    dfa: DfaCache,
    backtrack: BacktrackCache,
    pikevm: PikeCache,
}

struct Engines {
    dfa: DFA,
    backtrack: BoundedBacktracker,
    pikevm: PikeVM,
    /// The pattern starts with `\A`: searched anchored (an unanchored lazy DFA would read to
    /// the end of every line it cannot match).
    anchored: bool,
    caches: Pool<Caches, CacheFn>,
}

/// A compiled pattern that answers whether it matches a text (cheap to clone).
#[derive(Clone)]
pub(crate) struct Forward(Arc<Engines>);

impl std::fmt::Debug for Forward {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Forward")
    }
}

impl Forward {
    /// `pattern` (the crate's syntax) compiled, or `None` where `regex::Regex::new` fails.
    pub(crate) fn new(pattern: &str) -> Option<Forward> {
        Forward::from_hir(&regex_syntax::parse(pattern).ok()?)
    }

    /// A pattern parsed with `regex_syntax::parse` (the syntax `regex::Regex::new` reads).
    pub(crate) fn from_hir(hir: &Hir) -> Option<Forward> {
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .which_captures(WhichCaptures::None)
                    .nfa_size_limit(Some(NFA_SIZE_LIMIT)),
            )
            .build_from_hir(hir)
            .ok()?;
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .unicode_word_boundary(true)
                    .cache_capacity(DFA_CACHE_CAPACITY)
                    .skip_cache_capacity_check(false)
                    .minimum_cache_clear_count(Some(3))
                    .minimum_bytes_per_state(Some(10)),
            )
            .build_from_nfa(nfa.clone())
            .ok()?;
        let backtrack = BoundedBacktracker::new_from_nfa(nfa.clone()).ok()?;
        let pikevm = PikeVM::new_from_nfa(nfa).ok()?;
        let (d, b, p) = (dfa.clone(), backtrack.clone(), pikevm.clone());
        let create: CacheFn = Box::new(move || Caches {
            dfa: d.create_cache(),
            backtrack: b.create_cache(),
            pikevm: p.create_cache(),
        });
        Some(Forward(Arc::new(Engines {
            dfa,
            backtrack,
            pikevm,
            anchored: hir.properties().look_set_prefix().contains(Look::Start),
            caches: Pool::new(create),
        })))
    }

    /// Whether the pattern matches somewhere in `text` (`Regex::is_match`).
    pub(crate) fn is_match(&self, text: &str) -> bool {
        let engines = &*self.0;
        let anchored = if engines.anchored { Anchored::Yes } else { Anchored::No };
        let input = Input::new(text).anchored(anchored).earliest(true);
        let mut caches: PoolGuard<'_, Caches, CacheFn> = engines.caches.get();
        if let Ok(found) = engines.dfa.try_search_fwd(&mut caches.dfa, &input) {
            return found.is_some();
        }
        if text.len() < engines.backtrack.max_haystack_len() {
            if let Ok(found) = engines.backtrack.try_is_match(&mut caches.backtrack, input.clone()) {
                return found;
            }
        }
        engines.pikevm.is_match(&mut caches.pikevm, input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use regex::Regex;

    const PATTERNS: [&str; 6] = [
        r"(?i)\A(?:.{0,12}\b(?:we use cookies|accept (?:all )?cookies|cookies? ok)\b.{0,16})\z",
        r"(?i)\A(?:(?:©|\(c\))\s*(?:19|20)\d{2}\b.{0,30}|.{0,24}\b(?:all rights reserved|все права защищены)\b.{0,20})\z",
        r"(?i)(?:photo|bild)\s*:\s*.{1,14}?\b",
        r"\p{Lu}[\p{L}.'’-]+(?:\s+\p{Lu}[\p{L}.'’-]+){0,3}\s*\z",
        r"(?i)\A(?:(?:download|get)\s+(?:the|our)\s+(?:[\w&'’-]+\s+){0,3}(?:app|apps)\b.{0,50})\z",
        r"\b(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|(?:19|20)\d{2})\b",
    ];

    #[test]
    fn what_the_crate_refuses_is_refused() {
        assert!(Forward::new("(a").is_none() && Forward::new(r"\p{Nope}").is_none());
        assert!(Forward::new(r"(?i)\A(?:x)\z").is_some());
    }

    #[test]
    fn a_long_non_ascii_line_with_word_boundaries_is_answered() {
        // the lazy DFA gives up at the first non-ASCII byte; the PikeVM answers
        let f = Forward::new(PATTERNS[1]).unwrap();
        let long = format!("{} все права защищены", "é".repeat(10));
        assert!(f.is_match(&long) && !f.is_match(&"é ".repeat(200)));
    }

    fn text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "we use cookies", "ACCEPT ALL COOKIES", "cookie ok", "all rights reserved", "ВСЕ ПРАВА ЗАЩИЩЕНЫ",
            "© 2024", "(c) 1999", "Photo: ", "Download the", " our ", "app", "Ünal Öztürk", "Reuters",
            "12/03/2021", "2021-03-12", "é", "日本", "\n", " ", ".", "a", "_", "1", "K", "ſ",
        ]);
        prop::collection::vec(pieces, 0..10).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn it_answers_as_the_crate_does(line in text()) {
            for pattern in PATTERNS {
                let regex = Regex::new(pattern).unwrap();
                let forward = Forward::new(pattern).unwrap();
                prop_assert_eq!(regex.is_match(&line), forward.is_match(&line), "{}", pattern);
            }
        }
    }
}
