//! The byte checks of one JSONL line (`cleaner/sources/jsonline.py`), before it is read.

use memchr::{memchr, memchr_iter};

/// `may_hold_controls`: whether a string read from the JSON line `raw` may hold a control
/// character that `finish_text` drops (C0 but tab, newline and carriage return, DEL, C1), as
/// an escape (`\b`, `\f`, `\u0000`-`\u001f`, `\u007f`, `\u0080`-`\u009f`) or raw (DEL, C1; a raw
/// C0 is not JSON). False: none can. An escaped backslash before such letters counts too (a
/// false alarm costs only the check of the decoded text).
pub fn may_hold_controls(raw: &[u8]) -> bool {
    if memchr(0x7f, raw).is_some() {
        return true;
    }
    let c1 = |i: usize| raw.get(i + 1).is_some_and(|b| (0x80..=0x9f).contains(b));
    if memchr_iter(0xc2, raw).any(c1) {
        return true;
    }
    memchr_iter(b'\\', raw).any(|i| control_escape(&raw[i + 1..]))
}

/// Whether `after` (what follows a backslash) starts a control character's escape.
fn control_escape(after: &[u8]) -> bool {
    match after {
        [b'b' | b'f', ..] => true,
        [b'u', b'0', b'0', b'0' | b'1' | b'8' | b'9', d, ..] => d.is_ascii_hexdigit(),
        [b'u', b'0', b'0', b'7', b'f' | b'F', ..] => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_in_any_form_are_seen() {
        for line in [
            &br#"{"t": "a\u0007"}"#[..],
            br#"{"t": "\b"}"#,
            br#"{"t": "x\f"}"#,
            br#"{"t": "\u001F"}"#,
            br#"{"t": "\u007f \u007F"}"#,
            br#"{"t": "\u0085"}"#,
            br#"{"t": "\u009f"}"#,
            b"{\"t\": \"\x7f\"}",
            b"{\"t\": \"\xc2\x85\"}",
            b"\xc2\x9f",
        ] {
            assert!(may_hold_controls(line), "{}", String::from_utf8_lossy(line));
        }
    }

    #[test]
    fn tabs_newlines_and_look_alikes_are_not_controls() {
        for line in [
            &br#"{"t": "caf\u00e9\t\r\n \u00a0 \u0070 \u007e \u0020"}"#[..],
            "{\"t\": \"\u{a9} \u{a0} \u{e9}\"}".as_bytes(),
            br#"{"t": "\u00"}"#,
            br#"{"t": "\u001"}"#,
            br#"\"#,
            b"\xc2",
            b"",
        ] {
            assert!(!may_hold_controls(line), "{}", String::from_utf8_lossy(line));
        }
    }
}
