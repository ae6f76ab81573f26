//! A document's lines and the views of them that rules and heuristics see, as the Python
//! reference builds them (`cleaner/document.py` `split_lines`, `cleaner/lines/views.py`,
//! `normalize.py` `line_key`, `cjk.py` `feature_text`). Offsets are bytes of the text.

use std::borrow::Cow;

use rustc_hash::FxHashMap;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

use crate::unicode::{
    cjk_floor, push_casefold, is_cjk, is_hangul, is_kana, is_py_space, is_regex_space, is_unassigned, is_word,
};

/// One line of the text: `start..end` excludes the newline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub start: usize,
    pub end: usize,
}

/// The text split on `\n` (`split_lines`: the empty piece after a final newline is not a line).
pub fn split_lines(text: &str) -> Vec<Line> {
    // counted first: a document of millions of short lines gets one allocation of its size
    // (memchr: the newlines found a vector register at a time)
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    let mut start = 0;
    for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
        lines.push(Line { start, end: i });
        start = i + 1;
    }
    lines.push(Line { start, end: text.len() });
    if lines.len() > 1 && start == text.len() {
        lines.pop();
    }
    lines
}

/// `str.isspace()` of a whole string, or an empty one (`Line.blank`).
pub fn is_blank(text: &str) -> bool {
    if text.is_ascii() {
        return text.bytes().all(|b| matches!(b, b' ' | b'\t'..=b'\r' | 0x1c..=0x1f));
    }
    text.chars().all(is_py_space)
}

/// `str.strip()`.
pub fn py_strip(text: &str) -> &str {
    text.trim_matches(is_py_space)
}

/// `len(text.split())`.
pub fn count_words(text: &str) -> usize {
    text.split(is_py_space).filter(|w| !w.is_empty()).count()
}

/// One non-blank line as the rule engine and the heuristics see it (`LineView`): its rank
/// from the head is its position among the views, from the tail the views after it.
#[derive(Debug, Clone, Copy)]
pub struct View {
    /// Index of the line in the document's lines.
    pub index: usize,
    /// The stripped text: `start..end` of the document's text.
    pub start: usize,
    pub end: usize,
    pub words: u32,
    /// The number of its `line_key` in the [`Interner`] (equal keys, equal numbers).
    pub key: u32,
    /// The number of its stripped text in the [`Interner`].
    pub text: u32,
}

/// What is known of each distinct stripped line text of a document (its word count and key
/// number), kept between the passes over it; keys numbered as they first appear.
#[derive(Debug, Default)]
pub struct Interner {
    texts: FxHashMap<String, (u32, u32, u32)>,
    keys: FxHashMap<String, u32>,
}

impl Interner {
    /// The number of `key` (a new number for a key not seen before), and whether it is new.
    pub fn key_id(&mut self, key: String) -> (u32, bool) {
        let n = self.keys.len() as u32;
        match self.keys.entry(key) {
            std::collections::hash_map::Entry::Occupied(e) => (*e.get(), false),
            std::collections::hash_map::Entry::Vacant(e) => (*e.insert(n), true),
        }
    }

    /// (words, key number, text number) of a stripped line; `new_key` sees each new key once.
    pub fn line(&mut self, text: &str, new_key: &mut impl FnMut(u32, &str)) -> (u32, u32, u32) {
        if let Some(&got) = self.texts.get(text) {
            return got;
        }
        let (words, key) = words_and_key(text);
        let n = self.keys.len() as u32;
        let key_id = match self.keys.get(key.as_str()) {
            Some(&id) => id,
            None => {
                new_key(n, &key);
                self.keys.insert(key, n);
                n
            }
        };
        let got = (words as u32, key_id, self.texts.len() as u32);
        self.texts.insert(text.to_string(), got);
        got
    }

    /// Room for `lines` more texts and keys without rehashing.
    pub fn reserve(&mut self, lines: usize) {
        self.texts.reserve(lines);
        self.keys.reserve(lines);
    }

    /// How many distinct texts it holds (the next text number).
    pub fn texts(&self) -> usize {
        self.texts.len()
    }
}

/// The non-blank lines of `text` (`line_views`).
pub fn views(text: &str, lines: &[Line]) -> Vec<View> {
    views_cached(text, lines, &mut Interner::default(), &mut |_, _| {})
}

/// [`views`], with the word counts and keys of the texts `interner` has seen; `new_key` sees each new key.
pub fn views_cached(text: &str, lines: &[Line], interner: &mut Interner, new_key: &mut impl FnMut(u32, &str)) -> Vec<View> {
    let mut out: Vec<View> = Vec::with_capacity(lines.len());
    if interner.texts() == 0 {
        // a document's first pass: sized once for its lines (growing rehashed every text)
        interner.reserve(lines.len());
    }
    for (index, line) in lines.iter().enumerate() {
        let raw = &text[line.start..line.end];
        if is_blank(raw) {
            continue;
        }
        let stripped = py_strip(raw);
        let start = line.start + (stripped.as_ptr() as usize - raw.as_ptr() as usize);
        let (words, key, text_id) = interner.line(stripped, new_key);
        out.push(View { index, start, end: start + stripped.len(), words, key, text: text_id });
    }
    out
}

/// The word count and the `line_key` of a stripped line (an ASCII line's words joined and lower-cased).
fn words_and_key(text: &str) -> (usize, String) {
    if text.is_ascii() && !text.bytes().any(|b| (0x1c..=0x1f).contains(&b)) {
        let mut key = String::with_capacity(text.len());
        let mut words = 0;
        for w in text.split(|c: char| c.is_ascii_whitespace() || c == '\u{b}').filter(|w| !w.is_empty()) {
            if words > 0 {
                key.push(' ');
            }
            words += 1;
            for b in w.bytes() {
                key.push(b.to_ascii_lowercase() as char);
            }
        }
        return (words, key);
    }
    (count_words(text), line_key(text))
}

/// The folding of `normalize._FOLD`: typographic quotes, dashes and odd spaces.
fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' => "'",
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{ab}' | '\u{bb}' => "\"",
        '\u{2010}'..='\u{2015}' | '\u{2212}' => "-",
        '\u{a0}' | '\u{2009}' | '\u{200a}' | '\u{202f}' => " ",
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' => "",
        _ => return None,
    })
}

/// `fold_text`: NFKC, the typographic folds, whitespace collapsed.
pub fn fold_text(text: &str) -> String {
    collapse_spaces(&nfkc_folded(text), |w, out| out.push_str(w))
}

/// Whether each character of the Basic Multilingual Plane is left as it is by NFKC (a starter
/// that is NFKC, in any context: its combining class is 0 and its quick check "yes", as the
/// normalization crate's tables say) and by the folds: a bit each, 8 KiB, made once.
fn inert_chars() -> &'static [u64] {
    static BITS: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    BITS.get_or_init(|| {
        let mut bits = vec![0u64; 0x10000 / 64];
        for c in (0x80..0x10000u32).filter_map(char::from_u32) {
            let inert = unicode_normalization::char::canonical_combining_class(c) == 0
                && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes
                && fold_char(c).is_none();
            if inert {
                bits[c as usize / 64] |= 1 << (c as usize % 64);
            }
        }
        bits
    })
}

/// NFKC and the typographic folds of `text` (its whitespace as it is).
fn nfkc_folded(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    // each character ASCII or inert: the quick check says "yes" and nothing folds (the answer
    // of the checks below, one lookup a character)
    let inert = inert_chars();
    let is_inert = |c: char| inert.get(c as usize / 64).is_some_and(|b| b & (1 << (c as usize % 64)) != 0);
    if text.chars().all(|c| c.is_ascii() || is_inert(c)) {
        return Cow::Borrowed(text);
    }
    // already NFKC (the quick check says so for sure): the folds alone, or nothing to do
    let normal = is_nfkc_quick(text.chars()) == IsNormalized::Yes;
    if normal && !text.chars().any(|c| fold_char(c).is_some()) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    if normal {
        // the runs between folded characters copied whole
        let mut at = 0;
        for (i, c) in text.char_indices() {
            if let Some(to) = fold_char(c) {
                out.push_str(&text[at..i]);
                out.push_str(to);
                at = i + c.len_utf8();
            }
        }
        out.push_str(&text[at..]);
        return Cow::Owned(out);
    }
    let mut push = |c: char| match fold_char(c) {
        Some(to) => out.push_str(to),
        None => out.push(c),
    };
    if text.chars().any(is_unassigned) {
        // Python's NFKC (its Unicode version) keeps a character it does not know as it is: a
        // starter nothing composes with, so the pieces between such characters normalise
        // apart (the crate's newer tables could give it a decomposition)
        for (k, piece) in text.split(is_unassigned).enumerate() {
            if k > 0 {
                let at = piece.as_ptr() as usize - text.as_ptr() as usize;
                push(text[..at].chars().next_back().expect("a separator before the piece"));
            }
            piece.nfkc().for_each(&mut push);
        }
    } else {
        text.nfkc().for_each(push);
    }
    Cow::Owned(out)
}

/// `folded`'s words joined by one space (each word, or character, written by `push`):
/// `" ".join(split())`, or with the regex module's `\s+` as one space, then stripped, when it
/// holds U+001C..U+001F.
fn collapse_spaces(folded: &str, push: impl Fn(&str, &mut String)) -> String {
    let mut out = String::with_capacity(folded.len());
    if folded.bytes().any(|b| (0x1c..=0x1f).contains(&b)) {
        let mut in_space = false;
        for c in folded.chars() {
            if is_regex_space(c) {
                if !in_space {
                    out.push(' ');
                }
                in_space = true;
            } else {
                push(c.encode_utf8(&mut [0; 4]), &mut out);
                in_space = false;
            }
        }
        return py_strip(&out).to_string();
    }
    for w in folded.split(is_py_space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        push(w, &mut out);
    }
    out
}

/// `str.casefold` of `word`, appended to `out` (an ASCII word lower-cased whole).
fn push_casefold_str(word: &str, out: &mut String) {
    if word.is_ascii() {
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
    } else {
        word.chars().for_each(|c| push_casefold(c, out));
    }
}

/// `line_key`: the matching key of a line, folded and case-folded (`str.casefold` maps each
/// character on its own, and no space to or from one: it is applied as the words are joined).
pub fn line_key(text: &str) -> String {
    collapse_spaces(&nfkc_folded(text), push_casefold_str)
}

/// `SENTENCE_END.search`: final punctuation, then closing quotes or brackets, at the end.
pub fn sentence_end(text: &str) -> bool {
    let rest = text.trim_end_matches(['\'', '"', '\u{201d}', '\u{2019}', ')']);
    matches!(rest.chars().next_back(), Some('.' | '!' | '?' | ':' | ';' | '\u{2026}'))
}

const PROSE_END: [&str; 9] = [".", "!", "?", ".\"", ".'", ".\u{201d}", "!\u{201d}", "?\u{201d}", ".)"];

/// `looks_like_prose`: a sentence of running text, not a link or a label.
pub fn looks_like_prose(words: usize, text: &str) -> bool {
    words > 25 || (words >= 10 && PROSE_END.iter().any(|e| text.ends_with(e)))
}

const FUNCTION_HAN: &str = "的了是在和也就都而及与着或之于把被让给从对这那我你他她它们有不个为所以但";

fn is_katakana_block(c: char) -> bool {
    ('\u{30a0}'..='\u{30ff}').contains(&c)
}

fn is_hiragana_block(c: char) -> bool {
    ('\u{3041}'..='\u{309f}').contains(&c)
}

/// `cjk._words`: one run of kana and han as pseudo-words (`kana`: the line is Japanese).
fn push_cjk_words(run: &[char], kana: bool, out: &mut Vec<String>) {
    let mut chunk = String::new();
    let mut chunk_len = 0;
    let mut chunk_last = ' ';
    for &ch in run {
        let katakana = is_katakana_block(ch);
        if chunk_len > 0 && katakana != is_katakana_block(chunk_last) {
            out.push(std::mem::take(&mut chunk));
            chunk_len = 0;
        }
        if is_hiragana_block(ch) || (!kana && FUNCTION_HAN.contains(ch)) {
            if chunk_len > 0 {
                out.push(std::mem::take(&mut chunk));
                chunk_len = 0;
            }
            out.push(ch.to_string());
            continue;
        }
        chunk.push(ch);
        chunk_len += 1;
        chunk_last = ch;
        if chunk_len == 2 && !katakana {
            out.push(std::mem::take(&mut chunk));
            chunk_len = 0;
        }
    }
    if chunk_len > 0 {
        out.push(chunk);
    }
}

fn cjk_punct(c: char) -> Option<char> {
    Some(match c {
        '\u{3002}' | '\u{ff0e}' => '.',
        '\u{ff01}' => '!',
        '\u{ff1f}' => '?',
        '\u{3001}' | '\u{ff0c}' => ',',
        '\u{ff1a}' => ':',
        '\u{ff1b}' => ';',
        '\u{300c}' | '\u{300d}' | '\u{300e}' | '\u{300f}' => '"',
        '\u{ff08}' => '(',
        '\u{ff09}' => ')',
        _ => return None,
    })
}

/// `cjk._PARTICLE`'s particles, in its order (a longer one before its prefix).
const PARTICLES: [&str; 20] = [
    "에서", "으로", "에게", "까지", "부터", "처럼", "보다", "은", "는", "이", "가", "을", "를", "의", "에", "도", "로",
    "와", "과", "만",
];

/// `cjk._PARTICLE.sub(r" \1", text)`: a particle glued to the end of a word of two Hangul
/// syllables or more is cut off (`None`: nothing was cut).
fn cut_korean_particles(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut cut = false;
    let mut i = 0;
    'at: while i < chars.len() {
        if i >= 2 && is_hangul(chars[i - 1]) && is_hangul(chars[i - 2]) {
            for particle in PARTICLES {
                let len = particle.chars().count();
                let fits = chars.len() >= i + len && particle.chars().zip(&chars[i..]).all(|(a, &b)| a == b);
                if fits && chars.get(i + len).is_none_or(|&c| !is_word(c)) {
                    out.push(' ');
                    out.push_str(particle);
                    cut = true;
                    i += len;
                    continue 'at;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    cut.then_some(out)
}

/// A character of a Chinese or Japanese run (`cjk._CJK`).
fn in_cjk_run(c: char) -> bool {
    is_cjk(c) || c == '\u{30fc}' || c == '\u{3005}'
}

/// `cjk._CJK_GAP.sub(" | ", text)` when the line has two such gaps or more and no sentence
/// punctuation (`None`: it is not a list of items): spaces between two CJK characters.
fn mark_cjk_items(text: &str) -> Option<String> {
    if text.contains(['\u{3002}', '\u{ff01}', '\u{ff1f}', '\u{ff0c}', '\u{3001}', '\u{ff1b}']) {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    let is_gap = |c: char| c == ' ' || c == '\u{3000}';
    // the gaps: maximal runs of spaces with a CJK character on each side
    let mut gaps: Vec<(usize, usize)> = Vec::new();
    let mut i = 1;
    while i < chars.len() {
        if is_gap(chars[i]) && in_cjk_run(chars[i - 1]) {
            let j = (i..chars.len()).find(|&j| !is_gap(chars[j])).unwrap_or(chars.len());
            if j < chars.len() && in_cjk_run(chars[j]) {
                gaps.push((i, j));
            }
            i = j;
        } else {
            i += 1;
        }
    }
    if gaps.len() < ITEMS_MIN_GAPS {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 2 * gaps.len());
    let mut at = 0;
    for (a, b) in gaps {
        out.extend(&chars[at..a]);
        out.push_str(" | ");
        at = b;
    }
    out.extend(&chars[at..]);
    Some(out)
}

/// `cjk._ITEMS_MIN_GAPS`: three items or more.
const ITEMS_MIN_GAPS: usize = 2;

/// `feature_text`: Chinese and Japanese runs cut into words, particles cut off Korean words
/// (`None`: the line is unchanged).
pub fn feature_text(text: &str) -> Option<String> {
    if text.is_ascii() {
        return None;
    }
    let floor = cjk_floor();
    if !text.chars().any(|c| c >= floor) {
        return None;
    }
    if !text.chars().any(is_cjk) {
        return if text.chars().any(is_hangul) {
            cut_korean_particles(text)
        } else {
            None
        };
    }
    let items = mark_cjk_items(text);
    let text = items.as_deref().unwrap_or(text);
    let kana = text.chars().any(is_kana);
    let in_run = in_cjk_run;
    let mut spaced = String::with_capacity(text.len() * 2);
    let chars: Vec<char> = text.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if in_run(chars[i]) {
            let j = (i..chars.len()).find(|&j| !in_run(chars[j])).unwrap_or(chars.len());
            words.clear();
            push_cjk_words(&chars[i..j], kana, &mut words);
            spaced.push(' ');
            spaced.push_str(&words.join(" "));
            spaced.push(' ');
            i = j;
        } else {
            spaced.push(cjk_punct(chars[i]).unwrap_or(chars[i]));
            i += 1;
        }
    }
    // " ".join(split()), then no space before a lone punctuation mark
    let mut out = String::with_capacity(spaced.len());
    for (n, w) in spaced.split(is_py_space).filter(|w| !w.is_empty()).enumerate() {
        let lone_punct = w.chars().count() == 1 && matches!(w, "." | "!" | "?" | "," | ":" | ";" | ")" | "\"");
        if n > 0 && !lone_punct {
            out.push(' ');
        }
        out.push_str(w);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_views_follow_python() {
        let text = "  Title  \n\nBody line here.\n";
        let lines = split_lines(text);
        assert_eq!(lines, vec![Line { start: 0, end: 9 }, Line { start: 10, end: 10 }, Line { start: 11, end: 26 }]);
        let v = views(text, &lines);
        assert_eq!(v.len(), 2);
        assert_eq!(&text[v[0].start..v[0].end], "Title");
        assert_eq!((v[1].words, v[1].key), (3, 1));
        assert_eq!(split_lines(""), vec![Line { start: 0, end: 0 }]);
        assert_eq!(split_lines("\n\na"), vec![Line { start: 0, end: 0 }, Line { start: 1, end: 1 }, Line { start: 2, end: 3 }]);
        assert_eq!(split_lines("a\n"), vec![Line { start: 0, end: 1 }]);
    }

    #[test]
    fn keys_fold_like_line_key() {
        assert_eq!(line_key("  100\u{2019}s of   Premium titles. "), "100's of premium titles.");
        assert_eq!(line_key("Stra\u{df}e \u{2014} Ｆｕｌｌ"), "strasse - full");
    }

    mod fuzz {
        use super::super::*;
        use crate::unicode::casefold;
        use proptest::prelude::*;

        /// NFKC always (the unassigned pieces apart), then the folds.
        fn nfkc_then_fold(text: &str) -> String {
            let mut out = String::new();
            let mut push = |c: char| match fold_char(c) {
                Some(to) => out.push_str(to),
                None => out.push(c),
            };
            for (k, piece) in text.split(is_unassigned).enumerate() {
                if k > 0 {
                    let at = piece.as_ptr() as usize - text.as_ptr() as usize;
                    push(text[..at].chars().next_back().unwrap());
                }
                piece.nfkc().for_each(&mut push);
            }
            out
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn keys_are_the_casefold_of_the_folded_text(
                text in "[a-zA-Z \u{a0}\u{1c}\u{2019}\u{201c}\u{2014}\u{200b}\u{df}\u{130}\u{3a3}\u{3c2}\u{ff26}\u{fb01}\u{301}\u{e9}e\u{2460}\u{378}\u{1f600}\u{ac00}\u{1100}\u{1161}]{0,24}"
            ) {
                prop_assert_eq!(nfkc_folded(&text).into_owned(), nfkc_then_fold(&text));
                prop_assert_eq!(line_key(&text), casefold(&fold_text(&text)));
            }
        }
    }

    #[test]
    fn cjk_lines_are_cut_into_words() {
        assert_eq!(feature_text("これはペンです。").as_deref(), Some("こ れ は ペン で す."));
        assert_eq!(feature_text("関連記事").as_deref(), Some("関連 記事"));
        assert_eq!(feature_text("Plain text stays."), None);
        assert_eq!(
            feature_text("\u{6642}\u{653f} \u{5730}\u{65b9} \u{6cd5}\u{6cbb} \u{9ad8}\u{5c64}").as_deref(),
            Some("\u{6642}\u{653f} | \u{5730}\u{65b9} | \u{6cd5}\u{6cbb} | \u{9ad8}\u{5c64}")
        );
        assert_eq!(
            feature_text("대중들의 반응은 비난으로 이어졌다.").as_deref(),
            Some("대중들 의 반응 은 비난 으로 이어졌다.")
        );
        assert_eq!(feature_text("로그인"), None);
        // two runs: a name or a breadcrumb, not a list
        assert_eq!(
            feature_text("\u{65b0}\u{534e}\u{7f51} \u{6b63}\u{6587}").as_deref(),
            Some("\u{65b0}\u{534e} \u{7f51} \u{6b63}\u{6587}")
        );
    }
}
