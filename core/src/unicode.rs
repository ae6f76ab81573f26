//! Character classes as the Python reference sees them (tables generated from Python and its
//! `regex` module by `core/gen_tables.py`), so that the core counts words, digits and cases
//! exactly as `cleaner/lines/features.py` does.

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

/// The `regex` module's `\w`.
pub fn is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    in_ranges(tables::WORD, c)
}

/// `table`'s answer for each ASCII character (looked up, not searched: these two classes are
/// asked of every character of every line).
fn ascii_of(table: &'static [(u32, u32)], cell: &'static std::sync::OnceLock<[bool; 128]>) -> &'static [bool; 128] {
    cell.get_or_init(|| std::array::from_fn(|b| in_ranges(table, b as u8 as char)))
}

/// The `regex` module's `\s`.
pub fn is_regex_space(c: char) -> bool {
    static ASCII: std::sync::OnceLock<[bool; 128]> = std::sync::OnceLock::new();
    if c.is_ascii() {
        return ascii_of(tables::SPACE, &ASCII)[c as usize];
    }
    in_ranges(tables::SPACE, c)
}

/// `str.isspace` of one character (what `str.split()` splits on).
pub fn is_py_space(c: char) -> bool {
    static ASCII: std::sync::OnceLock<[bool; 128]> = std::sync::OnceLock::new();
    if c.is_ascii() {
        return ascii_of(tables::PYSPACE, &ASCII)[c as usize];
    }
    in_ranges(tables::PYSPACE, c)
}

/// `str.isdigit` of one character.
pub fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    in_ranges(tables::DIGIT, c)
}

/// `str.isupper` of one character.
pub fn is_upper(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_uppercase();
    }
    in_ranges(tables::UPPER, c)
}

/// `str.islower` of one character.
pub fn is_lower(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_lowercase();
    }
    in_ranges(tables::LOWER, c)
}

/// `str.isalpha` of one character.
pub fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    in_ranges(tables::ALPHA, c)
}

/// `str.isalnum` of one character.
pub fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    in_ranges(tables::ALNUM, c)
}

/// A Han, Katakana or Hiragana character (the `regex` module's scripts).
pub fn is_cjk(c: char) -> bool {
    !c.is_ascii() && in_ranges(tables::CJK, c)
}

/// A Katakana or Hiragana character (the `regex` module's scripts).
pub fn is_kana(c: char) -> bool {
    !c.is_ascii() && in_ranges(tables::KANA, c)
}

/// A Hangul character (the `regex` module's script).
pub fn is_hangul(c: char) -> bool {
    !c.is_ascii() && in_ranges(tables::HANGUL, c)
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
    !c.is_ascii() && in_ranges(tables::UNASSIGNED, c)
}

/// Whether any character of each block of 256 code points has a case folding (most scripts
/// have none: CJK, Thai, Arabic... skip the search of the table).
fn folding_pages() -> &'static [bool] {
    static PAGES: std::sync::OnceLock<Vec<bool>> = std::sync::OnceLock::new();
    PAGES.get_or_init(|| {
        let mut pages = vec![false; (char::MAX as usize >> 8) + 1];
        for &(c, _) in tables::CASEFOLD {
            pages[c as usize >> 8] = true;
        }
        pages
    })
}

/// Append `str.casefold` of `c` to `out` (casefold maps each character on its own).
pub fn push_casefold(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if !folding_pages()[c as usize >> 8] {
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
    fn classes_follow_python() {
        assert!(is_word('é') && is_word('_') && is_word('5') && !is_word('-'));
        assert!(is_digit('٣') && !is_digit('x'));
        assert!(is_upper('É') && !is_upper('é') && is_lower('é'));
        assert!(is_py_space('\u{1c}') && !is_regex_space('x'));
        assert_eq!("strasse", casefold("Straße"));
        assert_eq!("σσ", casefold("Σς"));
    }
}
