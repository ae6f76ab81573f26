//! The literals every match of a pattern contains, read from its syntax tree (the crate's HIR):
//! the matcher's prefilter for a rule the pack loader found none for.
//!
//! The loader's reading (`cleaner/lines/prefilter.py`) gives up on a literal of letters that
//! have case outside ASCII (`(?i)все права защищены`), so a rule with one such alternative was
//! tried on every line. Here a literal is a run of character sets, each the characters the
//! compiled regex accepts at that place (its case variants), and a run becomes the strings of
//! its most selective window of few variants (`вс`, `вС`, `Вс`, `ВС`). The sets are written as
//! the matcher scans a line: ASCII letters lower-cased (its automaton is ASCII case-insensitive)
//! and the characters it folds to ASCII letters before the scan (`FOLDS_TO_ASCII`) folded.
//! Like the loader's literals, these only over-approximate: a line with none of a set's literals
//! cannot match.

use regex_syntax::hir::{Class, Hir, HirKind};

/// The characters of a class that still count as one place of a literal (`[Kk\u{212A}]`).
const MAX_CLASS: usize = 4;
/// The strings a literal run may expand to (the product of its places' sizes).
const MAX_VARIANTS: usize = 16;

/// How the matcher scans a line: `fold(c)` is what `c` is in the scanned text.
pub(crate) type Fold = fn(char) -> char;

/// Sets of literals one of each of which every match of `source` contains (`None`: none found,
/// or the pattern does not parse). `fold` maps a character as the scan sees it.
pub(crate) fn required_sets(source: &str, fold: Fold) -> Option<Vec<Vec<String>>> {
    let hir = regex_syntax::parse(source).ok()?;
    let sets: Vec<Vec<String>> = required(&hir, fold).into_iter().map(|s| s.literals).collect();
    (!sets.is_empty()).then_some(sets)
}

/// One set of literals (a match contains one of them) and how selective its weakest one is.
#[derive(Debug, Clone)]
struct Set {
    literals: Vec<String>,
    weight: usize,
}

impl Set {
    fn new(mut literals: Vec<String>) -> Option<Set> {
        literals.sort();
        literals.dedup();
        let weight = literals.iter().map(|l| weight(l)).min()?;
        // one ASCII character matches nearly every line: not worth a lookup (but "©")
        (weight >= 2).then_some(Set { literals, weight })
    }
}

/// A literal's selectivity: its characters, a non-ASCII one counting three.
fn weight(literal: &str) -> usize {
    literal.chars().map(|c| if c.is_ascii() { 1 } else { 3 }).sum()
}

/// The most selective of `sets`: the strongest weakest literal, then the fewest literals.
fn best(sets: Vec<Set>) -> Option<Set> {
    sets.into_iter()
        .max_by(|a, b| a.weight.cmp(&b.weight).then(b.literals.len().cmp(&a.literals.len())))
}

/// The sets every match of `hir` satisfies (empty: no requirement found).
fn required(hir: &Hir, fold: Fold) -> Vec<Set> {
    match hir.kind() {
        HirKind::Literal(_) | HirKind::Class(_) => sequence(std::slice::from_ref(hir), fold),
        HirKind::Empty | HirKind::Look(_) => Vec::new(),
        HirKind::Repetition(rep) if rep.min >= 1 => required(&rep.sub, fold),
        HirKind::Repetition(_) => Vec::new(),
        HirKind::Capture(cap) => required(&cap.sub, fold),
        HirKind::Concat(items) => sequence(items, fold),
        HirKind::Alternation(alts) => {
            let mut union = Vec::new();
            for alt in alts {
                match best(required(alt, fold)) {
                    Some(set) => union.extend(set.literals),
                    None => return Vec::new(),
                }
            }
            Set::new(union).into_iter().collect()
        }
    }
}

/// The sets of a sequence: each run of literal characters, and what each other item requires.
fn sequence(items: &[Hir], fold: Fold) -> Vec<Set> {
    let mut sets = Vec::new();
    let mut run: Vec<Vec<char>> = Vec::new();
    for item in items {
        if let HirKind::Literal(lit) = item.kind() {
            match std::str::from_utf8(&lit.0) {
                Ok(text) => run.extend(text.chars().map(|c| vec![fold(c)])),
                Err(_) => flush(&mut run, &mut sets),
            }
            continue;
        }
        match (place(item, fold), item.kind()) {
            (Some(chars), _) => run.push(chars),
            (None, HirKind::Class(_)) => flush(&mut run, &mut sets), // a class of many: no literal
            (None, _) => {
                flush(&mut run, &mut sets);
                sets.extend(required(item, fold));
            }
        }
    }
    flush(&mut run, &mut sets);
    sets
}

/// The characters (as scanned) a class matches, when they are few.
fn place(hir: &Hir, fold: Fold) -> Option<Vec<char>> {
    let HirKind::Class(Class::Unicode(class)) = hir.kind() else {
        return None;
    };
    let mut chars = Vec::new();
    for range in class.ranges() {
        if (range.end() as u32 - range.start() as u32) as usize >= MAX_CLASS {
            return None;
        }
        chars.extend(range.start()..=range.end());
        if chars.len() > MAX_CLASS {
            return None;
        }
    }
    for c in chars.iter_mut() {
        *c = fold(*c);
    }
    chars.sort_unstable();
    chars.dedup();
    (!chars.is_empty()).then_some(chars)
}

/// End a literal run: the strings of its most selective window of at most `MAX_VARIANTS`.
fn flush(run: &mut Vec<Vec<char>>, sets: &mut Vec<Set>) {
    let mut best_window: Option<(usize, usize, usize)> = None; // (weight, start, end)
    for start in 0..run.len() {
        let (mut variants, mut w, mut end) = (1usize, 0usize, start);
        while end < run.len() && variants * run[end].len() <= MAX_VARIANTS {
            variants *= run[end].len();
            w += if run[end].iter().all(char::is_ascii) { 1 } else { 3 };
            end += 1;
        }
        if best_window.is_none_or(|(bw, _, _)| w > bw) {
            best_window = Some((w, start, end));
        }
    }
    if let Some((_, start, end)) = best_window {
        let mut strings = vec![String::new()];
        for chars in &run[start..end] {
            strings = strings
                .iter()
                .flat_map(|s| chars.iter().map(move |&c| format!("{s}{c}")))
                .collect();
        }
        if let Some(set) = Set::new(strings) {
            sets.push(set);
        }
    }
    run.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lower(c: char) -> char {
        c.to_ascii_lowercase()
    }

    fn sets(source: &str) -> Option<Vec<Vec<String>>> {
        required_sets(source, lower)
    }

    #[test]
    fn a_literal_of_letters_with_case_becomes_its_case_variants() {
        // the crate's case-insensitive в is also ᲀ (U+1C80): three variants of it, three of с
        let got = sets("(?i)все").unwrap();
        assert_eq!(vec![vec!["ВС", "Вс", "Вᲃ", "вС", "вс", "вᲃ", "ᲀС", "ᲀс", "ᲀᲃ"]], got);
        assert_eq!(
            Some(vec![vec!["copyright".to_string()]]),
            sets(r"(?i)\Acopyright\s*\d+")
        );
    }

    #[test]
    fn alternatives_join_and_a_sequence_keeps_each_requirement() {
        let got = sets(r"(?i)(?:copyright|©|\(c\))\s+(?:19|20)\d\d").unwrap();
        assert_eq!(vec![vec!["(c)", "copyright", "©"], vec!["19", "20"]], got);
        // one alternative without a literal: the alternation requires nothing
        assert_eq!(None, sets(r"(?i)(?:copyright|\d+)\s"));
        assert_eq!(None, sets(r".{0,80}x?"));
    }

    #[test]
    fn an_optional_part_requires_nothing() {
        assert_eq!(Some(vec![vec!["ab".to_string()]]), sets("(?:xyz)?ab"));
        assert_eq!(Some(vec![vec!["xyz".to_string()]]), sets("(?:xyz)+a"));
    }
}
