//! Cheaper forms of a rule regex for the lines they stand for: its form with bounded runs of any
//! character unbounded, for lines too short to reach the bounds; the longest line a whole-line
//! pattern can match (a longer one is not searched); and a gate without word boundaries, for
//! non-ASCII lines.
//!
//! A bounded run (`.{0,200}\b(?:we use cookies|...)\b.{0,300}`) makes the regex crate count: its lazy DFA builds states for every place such a run
//! may end (new states for each new line), and on a non-ASCII line, where a Unicode `\b` stops
//! the DFA, its PikeVM carries a thread for each. On a line of at most N characters (and without
//! a newline, for a `.` that does not match one) `.{a,b}` with b >= N matches exactly the
//! substrings that `.{a,}` matches, with the same preferences: every run fits in the line. So
//! on such a line the pattern with its runs unbounded finds the same matches, more cheaply.

use regex::Regex;
use regex_syntax::hir::{Dot, Hir, HirKind, Look, Repetition};

use crate::forward::Forward;

/// The unbounded form of a pattern (`R`: a [`Regex`] to find matches, a [`Forward`] to ask
/// whether one exists) and the lines it stands for the pattern on.
#[derive(Debug)]
pub(crate) struct ShortForm<R = Regex> {
    regex: R,
    /// The smallest bound of a run: the longest line (in characters) the form stands for.
    max_chars: usize,
    /// A run's `.` does not match a newline: the form does not stand on a line with one.
    stops_at_newline: bool,
}

/// What the rewriting found: the smallest bound, and whether a run stops at a newline.
#[derive(Default)]
struct Runs {
    max_chars: Option<usize>,
    stops_at_newline: bool,
}

/// `hir` rebuilt: a node `visit` gives a replacement for is replaced, its ancestors are rebuilt
/// from their children; the rest is kept as it is (rebuilding a pattern's big alternations
/// costs more than compiling them). `None`: nothing was replaced.
fn rewrite<F: FnMut(&Hir) -> Option<Hir>>(hir: &Hir, visit: &mut F) -> Option<Hir> {
    if let Some(replaced) = visit(hir) {
        return Some(replaced);
    }
    match hir.kind() {
        HirKind::Repetition(rep) => rewrite(&rep.sub, visit).map(|sub| {
            Hir::repetition(Repetition {
                min: rep.min,
                max: rep.max,
                greedy: rep.greedy,
                sub: Box::new(sub),
            })
        }),
        HirKind::Capture(cap) => rewrite(&cap.sub, visit).map(|sub| {
            Hir::capture(regex_syntax::hir::Capture {
                index: cap.index,
                name: cap.name.clone(),
                sub: Box::new(sub),
            })
        }),
        HirKind::Concat(items) => rewrite_all(items, visit).map(Hir::concat),
        HirKind::Alternation(alts) => rewrite_all(alts, visit).map(Hir::alternation),
        _ => None,
    }
}

/// `items` with each rewritten, when one of them was (`None`: none was).
fn rewrite_all<F: FnMut(&Hir) -> Option<Hir>>(items: &[Hir], visit: &mut F) -> Option<Vec<Hir>> {
    let rewritten: Vec<Option<Hir>> = items.iter().map(|h| rewrite(h, &mut *visit)).collect();
    if rewritten.iter().all(Option::is_none) {
        return None;
    }
    Some(rewritten.into_iter().zip(items).map(|(new, old)| new.unwrap_or_else(|| old.clone())).collect())
}

/// `hir` with each bounded run of any character unbounded.
fn unbound(hir: &Hir, runs: &mut Runs) -> Hir {
    let rewritten = rewrite(hir, &mut |node: &Hir| {
        let HirKind::Repetition(rep) = node.kind() else {
            return None;
        };
        let (_, stops) = [(Dot::AnyCharExceptLF, true), (Dot::AnyChar, false)]
            .into_iter()
            .find(|(dot, _)| *rep.sub == Hir::dot(*dot))?;
        let max = rep.max? as usize;
        runs.max_chars = Some(runs.max_chars.map_or(max, |m| m.min(max)));
        runs.stops_at_newline |= stops;
        Some(Hir::repetition(Repetition {
            max: None,
            ..rep.clone()
        }))
    });
    rewritten.unwrap_or_else(|| hir.clone())
}

impl ShortForm<Regex> {
    /// The short-line form of `source` (the crate's syntax), or `None` when it has no bounded
    /// run of any character (or the form does not compile).
    #[cfg(test)]
    pub(crate) fn new(source: &str) -> Option<ShortForm> {
        ShortForm::of(&regex_syntax::parse(source).ok()?, |short| Regex::new(&short.to_string()).ok())
    }
}

impl<R> ShortForm<R> {
    /// The short-line form of a parsed pattern, compiled by `build`, or `None` when it has no
    /// bounded run of any character (or the form does not compile).
    pub(crate) fn of(hir: &Hir, build: impl FnOnce(&Hir) -> Option<R>) -> Option<ShortForm<R>> {
        let mut runs = Runs::default();
        let short = unbound(hir, &mut runs);
        let max_chars = runs.max_chars?;
        Some(ShortForm {
            regex: build(&short)?,
            max_chars,
            stops_at_newline: runs.stops_at_newline,
        })
    }

    /// The unbounded form, when it stands for the pattern on `text`.
    pub(crate) fn on(&self, text: &str) -> Option<&R> {
        let max = self.max_chars;
        let fits = text.len() <= max || (text.len() <= 4 * max && text.chars().count() <= max);
        (fits && !(self.stops_at_newline && text.contains('\n'))).then_some(&self.regex)
    }
}

/// A Unicode word-boundary assertion (`\b`, `\B`, `\b{start}`...).
fn is_unicode_word_look(look: Look) -> bool {
    matches!(
        look,
        Look::WordUnicode
            | Look::WordUnicodeNegate
            | Look::WordStartUnicode
            | Look::WordEndUnicode
            | Look::WordStartHalfUnicode
            | Look::WordEndHalfUnicode
    )
}

/// `hir` without its Unicode word-boundary assertions (`None`: it has none).
fn without_word_looks(hir: &Hir) -> Option<Hir> {
    rewrite(hir, &mut |node: &Hir| match node.kind() {
        HirKind::Look(look) if is_unicode_word_look(*look) => Some(Hir::empty()),
        _ => None,
    })
}

/// A necessary condition of a pattern with Unicode word boundaries, for non-ASCII lines: the
/// pattern without them and with its bounded runs of any character unbounded matches wherever
/// the pattern does. The crate's lazy DFA gives up on a non-ASCII line at a Unicode `\b` (and
/// its PikeVM takes over); the gate has none, so the DFA runs it, and a line it does not match
/// is not searched (most lines a rule's literals let through, for a rule with short literals).
#[derive(Debug)]
pub(crate) struct Gate {
    regex: Forward,
}

impl Gate {
    /// The gate of `source` (the crate's syntax), or `None` when it has no Unicode word boundary.
    #[cfg(test)]
    pub(crate) fn new(source: &str) -> Option<Gate> {
        Gate::of(&regex_syntax::parse(source).ok()?)
    }

    /// The gate of a parsed pattern, or `None` when it has no Unicode word boundary.
    pub(crate) fn of(hir: &Hir) -> Option<Gate> {
        Some(Gate {
            regex: Forward::from_hir(&gate_of(hir)?)?,
        })
    }

    /// False when the pattern cannot match `text` (a non-ASCII text the gate does not match).
    pub(crate) fn may_match(&self, text: &str) -> bool {
        text.is_ascii() || self.regex.is_match(text)
    }
}

/// A parsed pattern without its Unicode word boundaries and with its bounded runs of any
/// character unbounded (`None`: it has no Unicode word boundary).
fn gate_of(hir: &Hir) -> Option<Hir> {
    Some(unbound(&without_word_looks(hir)?, &mut Runs::default()))
}

/// The most characters any match of `hir` spans (`None`: no bound).
fn most_chars(hir: &Hir) -> Option<usize> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(0),
        HirKind::Literal(lit) => std::str::from_utf8(&lit.0).ok().map(|s| s.chars().count()),
        HirKind::Class(regex_syntax::hir::Class::Unicode(_)) => Some(1),
        HirKind::Class(_) => None,
        HirKind::Repetition(rep) => most_chars(&rep.sub)?.checked_mul(rep.max? as usize),
        HirKind::Capture(cap) => most_chars(&cap.sub),
        HirKind::Concat(items) => items
            .iter()
            .try_fold(0usize, |total, h| total.checked_add(most_chars(h)?)),
        HirKind::Alternation(alts) => alts.iter().try_fold(0usize, |most, h| Some(most.max(most_chars(h)?))),
    }
}

/// The longest text (in characters) that a parsed whole-line pattern can match, when it is bounded.
pub(crate) fn longest_match(hir: &Hir) -> Option<usize> {
    most_chars(hir)
}

/// Whether `text` has more than `max` characters.
pub(crate) fn longer_than(text: &str, max: usize) -> bool {
    text.len() > max && text.chars().count() > max
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const COOKIES: &str = r"(?i)\A(?:(?:.{0,12}\b(?:we use cookies|accept (?:all )?cookies|cookies? ok)\b.{0,16}))\z";
    const RIGHTS: &str = r"(?i)\A(?:(?:©|\(c\))\s*(?:19|20)\d{2}\b.{0,30}|.{0,24}\b(?:all rights reserved|все права защищены)\b.{0,20}|(?s:.){0,40}x y)\z";
    const SPAN: &str = r"(?i)(?:photo|bild)\s*:\s*.{1,14}?\b|\((?:.{0,9})\)|.{0,6}cookies?";

    #[test]
    fn runs_are_unbounded_up_to_the_smallest_bound() {
        let form = ShortForm::new(COOKIES).unwrap();
        assert_eq!((form.max_chars, form.stops_at_newline), (12, true));
        assert_eq!(ShortForm::new(RIGHTS).unwrap().max_chars, 20);
        assert!(ShortForm::new(r"(?s)\A.{0,5}x\z").is_some_and(|f| !f.stops_at_newline));
        for none in [r"(?i)\A(?:cookies)\z", r"\A(?:.*x)\z", r"\w{0,9}x", r"[^x]{0,9}"] {
            assert!(ShortForm::new(none).is_none(), "{none}");
        }
        let form = ShortForm::new(COOKIES).unwrap();
        assert!(form.on("we use cookies").is_none()); // 14 characters: the bounds may count
        assert!(form.on("éé cookie ok").is_some() && form.on("a\nb").is_none());
    }

    fn longest(source: &str) -> Option<usize> {
        longest_match(&regex_syntax::parse(source).unwrap())
    }

    #[test]
    fn the_longest_match_of_a_whole_line_pattern() {
        assert_eq!(Some(12 + 18 + 16), longest(COOKIES)); // "accept all cookies"
        assert_eq!(None, longest(RIGHTS)); // its \s*
        assert_eq!(Some(2), longest(r"\A(?:é|[a-z]{2})\z"));
        assert_eq!(None, longest(r"\A(?:a.*)\z"));
        assert!(longer_than("ééé", 2) && !longer_than("ééé", 3) && !longer_than("abc", 3));
    }

    #[test]
    fn the_gate_drops_word_boundaries_and_bounds() {
        let gate = Gate::new(COOKIES).unwrap();
        let source = gate_of(&regex_syntax::parse(COOKIES).unwrap()).unwrap().to_string();
        assert!(!source.contains(r"\b") && !source.contains("{0,"));
        assert!(Gate::new(r"\A(?:.{0,9}x)\z").is_none() && Gate::new(r"(?-u:\b)x").is_none());
        // the pattern would not match (a word character before "we"): the gate does not tell
        assert!(gate.may_match("éwe use cookies") && !Regex::new(COOKIES).unwrap().is_match("éwe use cookies"));
        assert!(!gate.may_match("éé nous utilisons des cookies") && gate.may_match("plain ASCII"));
    }

    fn text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "we use cookies",
            "ACCEPT ALL COOKIES",
            "cookie ok",
            "all rights reserved",
            "ВСЕ ПРАВА ЗАЩИЩЕНЫ",
            "© 2024",
            "(c) 1999",
            "Photo: ",
            "x y",
            "é",
            "日本",
            "\n",
            " ",
            ".",
            "(",
            ")",
            "a",
            "_",
            "1",
        ]);
        prop::collection::vec(pieces, 0..8).prop_map(|v| v.concat())
    }

    fn spans(re: &Regex, text: &str) -> Vec<(usize, usize)> {
        re.find_iter(text).map(|m| (m.start(), m.end())).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn the_short_form_finds_what_the_pattern_finds(line in text()) {
            for source in [COOKIES, RIGHTS, SPAN] {
                let whole = Regex::new(source).unwrap();
                let form = ShortForm::new(source).unwrap();
                if let Some(short) = form.on(&line) {
                    prop_assert_eq!(spans(&whole, &line), spans(short, &line), "{}", source);
                }
                if longest(source).is_some_and(|most| source != SPAN && longer_than(&line, most)) {
                    prop_assert!(!whole.is_match(&line));
                }
                if !Gate::new(source).unwrap().may_match(&line) {
                    prop_assert!(!whole.is_match(&line));
                }
            }
        }
    }
}
