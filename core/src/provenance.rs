//! A document's removals as the JSON array its record carries (`Removal.as_dict` of each, as
//! `orjson.dumps` writes them: no spaces, keys in order, non-ASCII as is, `"`, `\` and control
//! characters escaped), written in one go without a Python object per removal.

use crate::unicode::is_py_space;

/// The removals of one document as columns: code-point offsets into its source text.
pub struct Columns<'a> {
    pub owners: &'a [u32],
    pub lines: &'a [u32],
    pub counts: &'a [u32],
    pub starts: &'a [u64],
    pub ends: &'a [u64],
}

const EXCERPT: usize = 100;

/// Where JSON is written: a `String`, or a byte count (to size a buffer before writing it).
pub trait Sink {
    fn push(&mut self, c: char);
    fn push_str(&mut self, s: &str);
}

impl Sink for String {
    fn push(&mut self, c: char) {
        String::push(self, c);
    }
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s);
    }
}

/// Counts the bytes that would be written.
#[derive(Default)]
pub struct Count(pub usize);

impl Sink for Count {
    fn push(&mut self, c: char) {
        self.0 += c.len_utf8();
    }
    fn push_str(&mut self, s: &str) {
        self.0 += s.len();
    }
}

/// Writes into a buffer of the size [`Count`] gave.
pub struct Fill<'a> {
    pub buf: &'a mut [u8],
    pub at: usize,
}

impl Sink for Fill<'_> {
    fn push(&mut self, c: char) {
        let n = c.len_utf8();
        c.encode_utf8(&mut self.buf[self.at..self.at + n]);
        self.at += n;
    }
    fn push_str(&mut self, s: &str) {
        self.buf[self.at..self.at + s.len()].copy_from_slice(s.as_bytes());
        self.at += s.len();
    }
}

/// Append `text` as a JSON string.
pub fn push_json_str(out: &mut impl Sink, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `apply.excerpt`: the removed text on one line, words joined by one space, at most 100 characters.
pub fn push_excerpt(out: &mut impl Sink, removed: &str) {
    let mut flat = String::with_capacity(removed.len().min(4 * EXCERPT));
    let mut n = 0;
    let mut long = false;
    for w in removed.split(is_py_space).filter(|w| !w.is_empty()) {
        if n > 0 {
            flat.push(' ');
            n += 1;
        }
        for c in w.chars() {
            flat.push(c);
            n += 1;
        }
        if n > EXCERPT {
            long = true;
            break;
        }
    }
    if long {
        let cut: String = flat.chars().take(EXCERPT - 1).collect();
        push_json_str(out, &(cut + "\u{2026}"));
    } else {
        push_json_str(out, &flat);
    }
}

/// The byte offset of each code-point offset (ascending or not) of `text`.
fn byte_offsets(text: &str, offsets: impl Iterator<Item = u64>) -> Vec<usize> {
    if text.is_ascii() {
        return offsets.map(|o| (o as usize).min(text.len())).collect();
    }
    let bounds: Vec<usize> = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect();
    offsets.map(|o| bounds[(o as usize).min(bounds.len() - 1)]).collect()
}

/// The JSON array of the removals (`names[owner]`: the rule id and reason, JSON-escaped with
/// their quotes); `compact`: no character count and no excerpt.
pub fn removals_json(source: &str, columns: &Columns<'_>, names: &[(String, String)], compact: bool) -> String {
    let mut out = String::new();
    Removed::new(source, columns).write(&mut out, names, compact);
    out
}

/// The removals of one document ready to be written (their byte offsets found once).
pub struct Removed<'a> {
    source: &'a str,
    columns: &'a Columns<'a>,
    bstart: Vec<usize>,
    bend: Vec<usize>,
}

impl<'a> Removed<'a> {
    pub fn new(source: &'a str, columns: &'a Columns<'a>) -> Self {
        let bstart = byte_offsets(source, columns.starts.iter().copied());
        let bend = byte_offsets(source, columns.ends.iter().copied());
        Removed { source, columns, bstart, bend }
    }

    /// Write the JSON array (see [`removals_json`]).
    pub fn write(&self, out: &mut impl Sink, names: &[(String, String)], compact: bool) {
        let (source, columns, bstart, bend) = (self.source, self.columns, &self.bstart, &self.bend);
        let n = columns.owners.len();
        write_array(out, source, columns, bstart, bend, n, names, compact);
    }
}

#[allow(clippy::too_many_arguments)]
fn write_array(
    out: &mut impl Sink,
    source: &str,
    columns: &Columns<'_>,
    bstart: &[usize],
    bend: &[usize],
    n: usize,
    names: &[(String, String)],
    compact: bool,
) {
    out.push('[');
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        let (rule, reason) = &names[columns.owners[i] as usize];
        out.push_str("{\"rule\":");
        out.push_str(rule);
        out.push_str(",\"reason\":");
        out.push_str(reason);
        out.push_str(",\"line\":");
        out.push_str(&columns.lines[i].to_string());
        if columns.counts[i] > 1 {
            out.push_str(",\"lines\":");
            out.push_str(&columns.counts[i].to_string());
        }
        out.push_str(",\"start\":");
        out.push_str(&columns.starts[i].to_string());
        out.push_str(",\"end\":");
        out.push_str(&columns.ends[i].to_string());
        if !compact {
            out.push_str(",\"chars\":");
            out.push_str(&(columns.ends[i] - columns.starts[i]).to_string());
            out.push_str(",\"excerpt\":");
            push_excerpt(out, &source[bstart[i]..bend[i].max(bstart[i])]);
        }
        out.push('}');
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_written_as_orjson_writes_it() {
        let mut s = String::new();
        push_json_str(&mut s, "a\u{0}\"\\\u{1b}\u{2028}é/");
        let mut count = Count::default();
        push_json_str(&mut count, "a\u{0}\"\\\u{1b}\u{2028}é/");
        assert_eq!(count.0, s.len());
        assert_eq!(s, "\"a\\u0000\\\"\\\\\\u001b\u{2028}é/\"");
    }

    #[test]
    fn excerpts_are_flat_and_short() {
        let mut s = String::new();
        push_excerpt(&mut s, "  two\n\twords ");
        assert_eq!(s, "\"two words\"");
        let mut long = String::new();
        push_excerpt(&mut long, &"é".repeat(150));
        assert_eq!(long.chars().count(), 2 + 100);
        assert!(long.ends_with("\u{2026}\""));
    }

    #[test]
    fn removals_have_their_keys_in_order() {
        let names = vec![("\"R1\"".to_string(), "\"why\"".to_string())];
        let cols = Columns { owners: &[0, 0], lines: &[1, 2], counts: &[1, 3], starts: &[0, 3], ends: &[3, 8] };
        let got = removals_json("ab\nc\nd\ne\n", &cols, &names, false);
        assert_eq!(
            got,
            "[{\"rule\":\"R1\",\"reason\":\"why\",\"line\":1,\"start\":0,\"end\":3,\"chars\":3,\"excerpt\":\"ab\"},\
             {\"rule\":\"R1\",\"reason\":\"why\",\"line\":2,\"lines\":3,\"start\":3,\"end\":8,\"chars\":5,\"excerpt\":\"c d e\"}]"
        );
        let compact = removals_json("ab\nc\nd\ne\n", &cols, &names, true);
        assert!(compact.starts_with("[{\"rule\":\"R1\",\"reason\":\"why\",\"line\":1,\"start\":0,\"end\":3}"));
    }
}
