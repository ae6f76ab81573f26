//! Which rule patterns the crate can vouch for at load time, so that Python need not compile them.
//!
//! The pack loader checks every pattern when a pack loads: Python's `regex` must compile it,
//! and it must not match the empty string. Compiling thousands of patterns with Python's
//! `regex` costs about 0.2 ms each, and the core matches most rules itself. So the loader asks
//! [`vouch_pattern`] first: it says yes only for a pattern written in syntax that both engines
//! read alike and that Python's `regex` is known to compile (literals, `.`, the Perl and general
//! category classes, plain bracketed classes, groups, alternation, single repetitions, and the
//! anchors `^ $ \A \Z \b \B`), and whose every match is at least one character long (the
//! crate's own parse says so). Anything else (lookaround, back-references, brace escapes, nested
//! classes, global or unusual flags, a repeated repetition, a pattern that may match nothing)
//! gets no, and the loader compiles and checks it with Python exactly as before.

use regex_syntax::ast::{
    self, AssertionKind, Ast, ClassSet, ClassSetItem, ClassUnicodeKind, Flag, FlagsItemKind, GroupKind, HexLiteralKind,
    LiteralKind, RepetitionKind, RepetitionRange, SpecialLiteralKind,
};
use regex_syntax::hir::translate::TranslatorBuilder;

use crate::rules::translate;

/// Groups nested deeper than this are left to Python (whose parser recurses per level).
const MAX_DEPTH: usize = 32;
/// Repetition counts above this are left to Python.
const MAX_COUNT: u32 = 1000;
/// Unicode general categories (`\pL`, `\p{Lu}`): named alike in both engines.
const CATEGORIES: [&str; 37] = [
    "L", "M", "N", "P", "S", "Z", "C", "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd",
    "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn",
];

/// True when `source` (a rule pattern in Python's syntax, as the loader anchored it) surely
/// compiles with Python's `regex` and can never match the empty string; false: ask Python.
pub fn vouch_pattern(source: &str) -> bool {
    let Some(translated) = translate(source) else {
        return false;
    };
    let Ok(tree) = ast::parse::Parser::new().parse(&translated) else {
        return false;
    };
    if !plain(&tree, 0) {
        return false;
    }
    let Ok(hir) = TranslatorBuilder::new().build().translate(&translated, &tree) else {
        return false;
    };
    matches!(hir.properties().minimum_len(), Some(n) if n > 0)
}

/// Whether every node of `tree` is syntax that Python's `regex` compiles and reads as the crate does.
fn plain(tree: &Ast, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match tree {
        Ast::Empty(_) | Ast::Dot(_) | Ast::ClassPerl(_) => true,
        Ast::Flags(_) => false,
        Ast::Literal(lit) => plain_literal(lit),
        Ast::Assertion(a) => matches!(
            a.kind,
            AssertionKind::StartLine
                | AssertionKind::EndLine
                | AssertionKind::StartText
                | AssertionKind::EndText
                | AssertionKind::WordBoundary
                | AssertionKind::NotWordBoundary
        ),
        Ast::ClassUnicode(class) => plain_unicode(class),
        Ast::ClassBracketed(class) => match &class.kind {
            ClassSet::Item(item) => plain_item(item),
            ClassSet::BinaryOp(_) => false,
        },
        Ast::Repetition(rep) => {
            let counts = match &rep.op.kind {
                RepetitionKind::Range(RepetitionRange::Exactly(n) | RepetitionRange::AtLeast(n)) => *n <= MAX_COUNT,
                RepetitionKind::Range(RepetitionRange::Bounded(m, n)) => m <= n && *n <= MAX_COUNT,
                _ => true,
            };
            // Python refuses a repeated repetition ("multiple repeat"); a repeated anchor is left to it
            let operand = !matches!(
                *rep.ast,
                Ast::Repetition(_) | Ast::Assertion(_) | Ast::Empty(_) | Ast::Flags(_)
            );
            counts && operand && plain(&rep.ast, depth + 1)
        }
        Ast::Group(group) => {
            let kind = match &group.kind {
                GroupKind::CaptureIndex(_) => true,
                GroupKind::CaptureName { name, .. } => python_identifier(&name.name),
                GroupKind::NonCapturing(flags) => flags.items.iter().all(|item| {
                    matches!(
                        item.kind,
                        FlagsItemKind::Negation
                            | FlagsItemKind::Flag(Flag::CaseInsensitive | Flag::MultiLine | Flag::DotMatchesNewLine)
                    )
                }),
            };
            kind && plain(&group.ast, depth + 1)
        }
        Ast::Alternation(alt) => alt.asts.iter().all(|a| plain(a, depth + 1)),
        Ast::Concat(cat) => cat.asts.iter().all(|a| plain(a, depth + 1)),
    }
}

fn plain_literal(lit: &ast::Literal) -> bool {
    match &lit.kind {
        LiteralKind::Verbatim | LiteralKind::Meta | LiteralKind::Superfluous => true,
        // \xhh, \uhhhh, \Uhhhhhhhh; never \x{...} (Python reads "\x{" as a bad escape) nor octal
        LiteralKind::HexFixed(HexLiteralKind::X | HexLiteralKind::UnicodeShort | HexLiteralKind::UnicodeLong) => true,
        LiteralKind::Special(kind) => !matches!(kind, SpecialLiteralKind::Space),
        LiteralKind::HexBrace(_) | LiteralKind::Octal => false,
    }
}

fn plain_unicode(class: &ast::ClassUnicode) -> bool {
    match &class.kind {
        ClassUnicodeKind::OneLetter(ch) => CATEGORIES.iter().any(|c| c.len() == 1 && c.starts_with(*ch)),
        ClassUnicodeKind::Named(name) => CATEGORIES.contains(&name.as_str()),
        ClassUnicodeKind::NamedValue { .. } => false,
    }
}

/// A bracketed class's items: literals, ranges of literals, Perl and category classes (no nested class).
fn plain_item(item: &ClassSetItem) -> bool {
    match item {
        ClassSetItem::Literal(lit) => plain_literal(lit),
        ClassSetItem::Range(range) => plain_literal(&range.start) && plain_literal(&range.end),
        ClassSetItem::Perl(_) => true,
        ClassSetItem::Unicode(class) => plain_unicode(class),
        ClassSetItem::Union(union) => union.items.iter().all(plain_item),
        ClassSetItem::Empty(_) | ClassSetItem::Ascii(_) | ClassSetItem::Bracketed(_) => false,
    }
}

fn python_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vouches_for_plain_patterns_that_cannot_match_empty() {
        for p in [
            r"(?:sign up now\b.*)",
            r"(?:(?:photo|image)\s*:\s*\S.{0,80})\s*\Z",
            r"(?:[-\u2010–—]\s*reuters)\s*\Z",
            r"(?:\p{Lu}\w+ \d{1,3}(?:,\d{3})*)",
            r"(?:^(?P<head>share)(?i:\s+this)?$)",
        ] {
            assert!(vouch_pattern(p), "{p}");
        }
    }

    #[test]
    fn leaves_to_python_what_it_cannot_vouch_for() {
        for p in [
            r"(?:x?)",           // matches the empty string
            r"(?:\b)",           // only an anchor
            r"(?:(?<=\.)\s*x)",  // lookbehind
            r"(?:(a)\1)",        // back-reference
            r"(?:\x{41}b)",      // Python: bad escape
            r"(?:a**)",          // Python: multiple repeat
            r"(?:x{3}{2})",      // Python: multiple repeat
            r"(?:\b*x)",         // a repeated anchor
            r"(?:[a[b]]c)",      // a nested class (Python: a literal "[")
            r"(?:[[:alpha:]]+)", // a POSIX class
            r"(?i)(?:abc)",      // a global flag
            r"(?:(?x) a b)",     // verbose mode
            r"(?:\p{Greek}+)",   // a script name: named differently in places
            r"(?:\z)",           // Python's regex has no \z
            r"(?:x{1001})",      // a count past the cap
            r"(?:a{)",           // the crate refuses it (Python: a literal)
            r"(?:[\w&&\d]+)",    // a class operation
            r"(?:(?P<a.b>x))",   // not a Python group name
        ] {
            assert!(!vouch_pattern(p), "{p}");
        }
    }
}
