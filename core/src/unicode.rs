//! Character classes as the Python reference sees them (tables generated from Python and its
//! `regex` module by `core/gen_tables.py`), so that the core counts words, digits and cases
//! exactly as `cleaner/lines/features.py` does.

use std::sync::OnceLock;

use crate::tables;

fn in_ranges(table: &[(u32, u32)], c: char) -> bool {
    let c = c as u32;
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// The classes of the Basic Multilingual Plane, one bit each (see [`bmp_classes`]).
const WORD: u16 = 1;
const SPACE: u16 = 1 << 1;
const PYSPACE: u16 = 1 << 2;
const DIGIT: u16 = 1 << 3;
const UPPER: u16 = 1 << 4;
const LOWER: u16 = 1 << 5;
const ALPHA: u16 = 1 << 6;
const ALNUM: u16 = 1 << 7;
const CJK: u16 = 1 << 8;
const KANA: u16 = 1 << 9;
const HANGUL: u16 = 1 << 10;
const UNASSIGNED: u16 = 1 << 11;
const FOLDS: u16 = 1 << 12;

/// Each class table with its bit.
const CLASSES: [(&[(u32, u32)], u16); 12] = [
    (tables::WORD, WORD),
    (tables::SPACE, SPACE),
    (tables::PYSPACE, PYSPACE),
    (tables::DIGIT, DIGIT),
    (tables::UPPER, UPPER),
    (tables::LOWER, LOWER),
    (tables::ALPHA, ALPHA),
    (tables::ALNUM, ALNUM),
    (tables::CJK, CJK),
    (tables::KANA, KANA),
    (tables::HANGUL, HANGUL),
    (tables::UNASSIGNED, UNASSIGNED),
];

/// The classes of every code point below U+10000, as bits (a line of Cyrillic, Greek or CJK
/// asks several classes of each character: one load each instead of a binary search of a
/// table of hundreds of ranges). Made once from the same tables, 128 KiB.
fn bmp_classes() -> &'static [u16; 0x10000] {
    static BITS: OnceLock<Box<[u16; 0x10000]>> = OnceLock::new();
    BITS.get_or_init(|| {
        let mut bits: Box<[u16; 0x10000]> = vec![0u16; 0x10000].into_boxed_slice().try_into().expect("0x10000 entries");
        for (table, bit) in CLASSES {
            for &(lo, hi) in table.iter().filter(|&&(lo, _)| lo <= 0xFFFF) {
                bits[lo as usize..=hi.min(0xFFFF) as usize].iter_mut().for_each(|b| *b |= bit);
            }
        }
        for &(c, _) in tables::CASEFOLD.iter().filter(|&&(c, _)| c <= 0xFFFF) {
            bits[c as usize] |= FOLDS;
        }
        bits
    })
}

/// Whether `c` is in the class of `bit` (`table`: the class's ranges).
#[inline]
fn is_class(c: char, bit: u16, table: &[(u32, u32)]) -> bool {
    match bmp_classes().get(c as usize) {
        Some(&bits) => bits & bit != 0,
        None => in_ranges(table, c),
    }
}

/// The `regex` module's `\w`.
#[inline]
pub fn is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    is_class(c, WORD, tables::WORD)
}

/// The `regex` module's `\s`.
#[inline]
pub fn is_regex_space(c: char) -> bool {
    is_class(c, SPACE, tables::SPACE)
}

/// `str.isspace` of one character (what `str.split()` splits on).
#[inline]
pub fn is_py_space(c: char) -> bool {
    if c.is_ascii() {
        // \t \n \v \f \r, U+001C..U+001F and the space, as the table has them
        return matches!(c, '\t'..='\r' | '\u{1c}'..=' ');
    }
    is_class(c, PYSPACE, tables::PYSPACE)
}

/// `str.isdigit` of one character.
#[inline]
pub fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    is_class(c, DIGIT, tables::DIGIT)
}

/// `str.isupper` of one character.
#[inline]
pub fn is_upper(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_uppercase();
    }
    is_class(c, UPPER, tables::UPPER)
}

/// `str.islower` of one character.
#[inline]
pub fn is_lower(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_lowercase();
    }
    is_class(c, LOWER, tables::LOWER)
}

/// `str.isalpha` of one character.
#[inline]
pub fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    is_class(c, ALPHA, tables::ALPHA)
}

/// `str.isalnum` of one character.
#[inline]
pub fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    is_class(c, ALNUM, tables::ALNUM)
}

/// A Han, Katakana or Hiragana character (the `regex` module's scripts).
pub fn is_cjk(c: char) -> bool {
    !c.is_ascii() && is_class(c, CJK, tables::CJK)
}

/// A Katakana or Hiragana character (the `regex` module's scripts).
pub fn is_kana(c: char) -> bool {
    !c.is_ascii() && is_class(c, KANA, tables::KANA)
}

/// A Hangul character (the `regex` module's script).
pub fn is_hangul(c: char) -> bool {
    !c.is_ascii() && is_class(c, HANGUL, tables::HANGUL)
}

/// The lowest code point that can be Han, Katakana or Hiragana (`cjk._MAYBE_CJK`'s floor:
/// the lowest such character, or U+2E80 when there is none below it).
pub fn cjk_floor() -> char {
    let lowest = tables::CJK.first().map_or(0x2E80, |&(lo, _)| lo.min(0x2E80));
    char::from_u32(lowest).unwrap_or('\u{2e80}')
}

/// Unassigned in Python's Unicode (`unicodedata.category(c) == "Cn"`): its NFKC leaves such a
/// character as it is, where the normalization crate's newer tables may decompose it.
pub fn is_unassigned(c: char) -> bool {
    !c.is_ascii() && is_class(c, UNASSIGNED, tables::UNASSIGNED)
}

/// Append `str.casefold` of `c` to `out` (casefold maps each character on its own).
#[inline]
pub fn push_casefold(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else {
        push_casefold_wide(c, out);
    }
}

/// [`push_casefold`] of a non-ASCII character.
fn push_casefold_wide(c: char, out: &mut String) {
    // most characters have no folding (CJK, Thai, Arabic, lower case): no search for them
    if bmp_classes().get(c as usize).is_some_and(|&bits| bits & FOLDS == 0) {
        out.push(c);
        return;
    }
    match tables::CASEFOLD.binary_search_by_key(&(c as u32), |&(k, _)| k) {
        Ok(i) => out.push_str(tables::CASEFOLD[i].1),
        Err(_) => out.push(c),
    }
}

/// `str.casefold` of `text`.
pub fn casefold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_casefold(c, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_spaces_are_the_tables() {
        for c in (0..128u8).map(char::from) {
            assert_eq!(in_ranges(tables::PYSPACE, c), is_py_space(c), "{c:?}");
        }
    }

    #[test]
    fn classes_follow_python() {
        assert!(is_word('é') && is_word('_') && is_word('5') && !is_word('-'));
        assert!(is_digit('٣') && !is_digit('x'));
        assert!(is_upper('É') && !is_upper('é') && is_lower('é'));
        assert!(is_py_space('\u{1c}') && !is_regex_space('x'));
        assert_eq!("strasse", casefold("Straße"));
        assert_eq!("σσ", casefold("Σς"));
    }

    #[test]
    fn the_plane_table_answers_as_the_ranges_do() {
        for c in (0..=0xFFFFu32).filter_map(char::from_u32) {
            let bits = bmp_classes()[c as usize];
            for (table, bit) in CLASSES {
                assert_eq!(in_ranges(table, c), bits & bit != 0, "{:#x} {bit}", c as u32);
            }
            let folds = tables::CASEFOLD.binary_search_by_key(&(c as u32), |&(k, _)| k).is_ok();
            assert_eq!(folds, bits & FOLDS != 0, "{:#x}", c as u32);
        }
        // past the plane: the ranges themselves
        assert!(is_word('\u{20000}') && is_upper('\u{1D400}') && !is_py_space('\u{1F600}'));
        assert_eq!("\u{10428}", casefold("\u{10400}"));
    }
}
