//! A document's removals as the JSON array its record carries (`Removal.as_dict` of each, as
//! `orjson.dumps` writes them: no spaces, keys in order, non-ASCII as is, `"`, `\` and control
//! characters escaped), written in one go without a Python object per removal.

use crate::unicode::is_py_space;

/// The removals of one document as columns: code-point offsets into its source text (what the
/// record says) and the same offsets in bytes (where the excerpts are read).
#[derive(Clone, Copy)]
pub struct Columns<'a> {
    pub owners: &'a [u32],
    pub lines: &'a [u32],
    pub counts: &'a [u32],
    pub starts: &'a [u64],
    pub ends: &'a [u64],
    pub byte_starts: &'a [u64],
    pub byte_ends: &'a [u64],
}

impl Columns<'_> {
    /// Whether the columns fit `source` and `names`: equal lengths, known owners, and byte spans
    /// in order on character boundaries (so writing them cannot fail).
    pub fn fit(&self, source: &str, names: usize) -> bool {
        let n = self.owners.len();
        [self.lines, self.counts].iter().all(|c| c.len() == n)
            && [self.starts, self.ends, self.byte_starts, self.byte_ends].iter().all(|c| c.len() == n)
            && self.owners.iter().all(|&o| (o as usize) < names)
            && self.starts.iter().zip(self.ends).all(|(s, e)| s <= e)
            && self.byte_starts.iter().zip(self.byte_ends).all(|(&s, &e)| {
                s <= e && source.is_char_boundary(s as usize) && source.is_char_boundary(e as usize)
            })
    }
}

const EXCERPT: usize = 100;

/// Append `text` as a JSON string (runs that need no escape copied whole).
pub fn push_json_str(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escaped: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => {
                out.extend_from_slice(&bytes[run..i]);
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(b >> 4) as usize]);
                out.push(HEX[(b & 15) as usize]);
                run = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[run..i]);
        out.extend_from_slice(escaped);
        run = i + 1;
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Append `n` in decimal.
fn push_number(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// `apply.excerpt`: the removed text on one line, words joined by one space, at most 100
/// characters (`flat`: a buffer to reuse; only the first 101 characters are ever looked at).
pub fn push_excerpt(out: &mut Vec<u8>, removed: &str, flat: &mut String) {
    flat.clear();
    let mut n = 0;
    'words: for w in removed.split(is_py_space).filter(|w| !w.is_empty()) {
        if n > 0 {
            flat.push(' ');
            n += 1;
        }
        for c in w.chars() {
            if n > EXCERPT {
                break 'words;
            }
            flat.push(c);
            n += 1;
        }
    }
    if n > EXCERPT {
        let cut = flat.char_indices().nth(EXCERPT - 1).map_or(flat.len(), |(b, _)| b);
        flat.truncate(cut);
        flat.push('\u{2026}');
    }
    push_json_str(out, flat);
}

/// The JSON array of the removals (`names[owner]`: the rule id and reason, JSON-escaped with
/// their quotes); `compact`: no character count and no excerpt. The columns must
/// [fit](Columns::fit) `source` and `names`.
pub fn removals_json(source: &str, columns: &Columns<'_>, names: &[(String, String)], compact: bool) -> Vec<u8> {
    let n = columns.owners.len();
    let mut out = Vec::with_capacity(2 + n * if compact { 64 } else { 200 });
    let mut flat = String::new();
    out.push(b'[');
    for i in 0..n {
        if i > 0 {
            out.push(b',');
        }
        let (rule, reason) = &names[columns.owners[i] as usize];
        out.extend_from_slice(b"{\"rule\":");
        out.extend_from_slice(rule.as_bytes());
        out.extend_from_slice(b",\"reason\":");
        out.extend_from_slice(reason.as_bytes());
        out.extend_from_slice(b",\"line\":");
        push_number(&mut out, columns.lines[i].into());
        if columns.counts[i] > 1 {
            out.extend_from_slice(b",\"lines\":");
            push_number(&mut out, columns.counts[i].into());
        }
        out.extend_from_slice(b",\"start\":");
        push_number(&mut out, columns.starts[i]);
        out.extend_from_slice(b",\"end\":");
        push_number(&mut out, columns.ends[i]);
        if !compact {
            out.extend_from_slice(b",\"chars\":");
            push_number(&mut out, columns.ends[i] - columns.starts[i]);
            out.extend_from_slice(b",\"excerpt\":");
            let span = &source[columns.byte_starts[i] as usize..columns.byte_ends[i] as usize];
            push_excerpt(&mut out, span, &mut flat);
        }
        out.push(b'}');
    }
    out.push(b']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_str(text: &str) -> String {
        let mut out = Vec::new();
        push_json_str(&mut out, text);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn json_is_written_as_orjson_writes_it() {
        assert_eq!(json_str("a\u{0}\"\\\u{1b}\u{2028}é/"), "\"a\\u0000\\\"\\\\\\u001b\u{2028}é/\"");
        assert_eq!(json_str("\u{8}\u{c}\n\r\t\u{1f}\u{7f}x"), "\"\\b\\f\\n\\r\\t\\u001f\u{7f}x\"");
        assert_eq!(json_str(""), "\"\"");
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0u64, 7, 10, 99, 1234567890, u64::MAX] {
            let mut out = Vec::new();
            push_number(&mut out, n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }

    fn excerpt(text: &str) -> String {
        let mut out = Vec::new();
        push_excerpt(&mut out, text, &mut String::new());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn excerpts_are_flat_and_short() {
        assert_eq!(excerpt("  two\n\twords "), "\"two words\"");
        let long = excerpt(&"é".repeat(150));
        assert_eq!(long.chars().count(), 2 + 100);
        assert!(long.ends_with("\u{2026}\""));
        // exactly 100 characters stay whole; 101 are cut to 99 and an ellipsis
        assert_eq!(excerpt(&"a".repeat(100)), format!("\"{}\"", "a".repeat(100)));
        assert_eq!(excerpt(&format!("{} b", "a".repeat(99))), format!("\"{}\u{2026}\"", "a".repeat(99)));
        assert_eq!(excerpt(&format!("{} b", "a".repeat(98))), format!("\"{} b\"", "a".repeat(98)));
    }

    #[test]
    fn removals_have_their_keys_in_order() {
        let names = vec![("\"R1\"".to_string(), "\"why\"".to_string())];
        let source = "ab\nc\nd\ne\n";
        let cols = Columns {
            owners: &[0, 0],
            lines: &[1, 2],
            counts: &[1, 3],
            starts: &[0, 3],
            ends: &[3, 8],
            byte_starts: &[0, 3],
            byte_ends: &[3, 8],
        };
        assert!(cols.fit(source, names.len()));
        let got = String::from_utf8(removals_json(source, &cols, &names, false)).unwrap();
        assert_eq!(
            got,
            "[{\"rule\":\"R1\",\"reason\":\"why\",\"line\":1,\"start\":0,\"end\":3,\"chars\":3,\"excerpt\":\"ab\"},\
             {\"rule\":\"R1\",\"reason\":\"why\",\"line\":2,\"lines\":3,\"start\":3,\"end\":8,\"chars\":5,\"excerpt\":\"c d e\"}]"
        );
        let compact = String::from_utf8(removals_json(source, &cols, &names, true)).unwrap();
        assert!(compact.starts_with("[{\"rule\":\"R1\",\"reason\":\"why\",\"line\":1,\"start\":0,\"end\":3}"));
    }

    #[test]
    fn columns_off_the_text_do_not_fit() {
        let source = "é\n";
        let good = Columns { owners: &[0], lines: &[1], counts: &[1], starts: &[0], ends: &[1], byte_starts: &[0], byte_ends: &[2] };
        assert!(good.fit(source, 1));
        let inside = Columns { byte_ends: &[1], ..good };
        assert!(!inside.fit(source, 1));
        let past = Columns { byte_ends: &[9], ..good };
        assert!(!past.fit(source, 1));
        let owner = Columns { owners: &[1], ..good };
        assert!(!owner.fit(source, 1));
        let short = Columns { lines: &[], ..good };
        assert!(!short.fit(source, 1));
    }
}
