//! Marks in, clean text and removals out (`cleaner/apply.py`), and the composition of two
//! passes' removals (`cleaner/compose.py`). Offsets are bytes of the text.

use crate::lines::{is_blank, Line};
use crate::unicode::{is_alnum, is_py_space};

/// A span a rule or heuristic wants removed (`Mark`); `owner` numbers the rule or heuristic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    pub owner: u32,
    pub whole_line: bool,
}

/// One removal (`Removal`, without its excerpt): `line` is 1-based, `lines` counts its non-blank lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removal {
    pub owner: u32,
    pub line: u32,
    pub start: usize,
    pub end: usize,
    pub lines: u32,
}

/// `replay`: the text without the (sorted, disjoint) removal spans.
pub fn replay(text: &str, removals: &[Removal]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for r in removals {
        out.push_str(&text[pos..r.start]);
        pos = r.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// The first line that starts at `x` or after (`bisect_left` of the line starts).
fn bisect_left(lines: &[Line], x: usize) -> usize {
    lines.partition_point(|l| l.start < x)
}

/// `apply_marks`: the removals the marks ask for, in text order (the clean text is their replay).
pub fn apply_marks(text: &str, lines: &[Line], marks: &[Mark]) -> Vec<Removal> {
    let n = lines.len();
    // owners: a mark's number (past the marks: the whole-line marks made for emptied lines,
    // whose rule is in `made`); Option<u32> keeps a line's cost at 8 bytes
    let mut made: Vec<u32> = Vec::new();
    let mut owners: Vec<Option<u32>> = vec![None; n];
    for (k, m) in marks.iter().enumerate() {
        if !m.whole_line {
            continue;
        }
        let mut i = bisect_left(lines, m.start);
        while i < n && lines[i].start <= m.end {
            if owners[i].is_none() && lines[i].end <= m.end {
                owners[i] = Some(k as u32);
            }
            i += 1;
        }
    }
    // inline marks of kept lines, merged (first mark wins)
    let mut spans: Vec<Vec<Mark>> = Vec::new();
    let mut span_line: Vec<usize> = Vec::new();
    let mut slot: rustc_hash::FxHashMap<usize, usize> = Default::default();
    for m in marks.iter().filter(|m| !m.whole_line) {
        let i = lines.partition_point(|l| l.start <= m.start);
        if i == 0 {
            continue;
        }
        let i = i - 1;
        if owners[i].is_some() {
            continue;
        }
        let (start, end) = (m.start.max(lines[i].start), m.end.min(lines[i].end));
        if end > start {
            let s = *slot.entry(i).or_insert_with(|| {
                spans.push(Vec::new());
                span_line.push(i);
                spans.len() - 1
            });
            spans[s].push(Mark { start, end, ..*m });
        }
    }
    for list in spans.iter_mut() {
        list.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut merged: Vec<Mark> = Vec::with_capacity(list.len());
        for m in list.iter() {
            match merged.last_mut() {
                Some(last) if m.start < last.end => {
                    if m.end > last.end {
                        last.end = m.end;
                    }
                }
                _ => merged.push(*m),
            }
        }
        *list = merged;
    }
    // the lines that keep their inline removals: `slot` without the emptied ones
    for (s, &i) in span_line.iter().enumerate() {
        let line = lines[i];
        if leaves_nothing(text, line, &spans[s]) {
            made.push(spans[s][0].owner);
            owners[i] = Some((marks.len() + made.len() - 1) as u32);
            slot.remove(&i);
        }
    }
    let empty: Vec<bool> = lines.iter().map(|l| is_blank(&text[l.start..l.end])).collect();
    let blank: Vec<bool> = (0..n).map(|i| empty[i] && owners[i].is_none()).collect();
    let kept: Vec<bool> = (0..n).map(|i| owners[i].is_none() && !blank[i]).collect();
    absorb_blanks(&mut owners, &blank, &kept);

    let mut removals = Vec::new();
    let size = text.len();
    let mut i = 0;
    while i < n {
        let Some(owner) = owners[i] else {
            if let Some(&s) = slot.get(&i) {
                for m in &spans[s] {
                    removals.push(Removal { owner: m.owner, line: i as u32 + 1, start: m.start, end: m.end, lines: 1 });
                }
            }
            i += 1;
            continue;
        };
        let rule_of = |owner: u32| match marks.get(owner as usize) {
            Some(m) => m.owner,
            None => made[owner as usize - marks.len()],
        };
        let rule = rule_of(owner);
        // a run of lines dropped by the same rule (a rule number is one rule and one reason)
        let mut j = i;
        while j + 1 < n && owners[j + 1].is_some_and(|o| o == owner || rule_of(o) == rule) {
            j += 1;
        }
        let start = lines[i].start;
        let end = (lines[j].end + 1).min(size);
        if i == j {
            removals.push(Removal { owner: rule, line: i as u32 + 1, start, end, lines: 1 });
        } else {
            let body: Vec<usize> = (i..=j).filter(|&k| !empty[k]).collect();
            let first = body.first().copied().unwrap_or(i);
            removals.push(Removal {
                owner: rule,
                line: first as u32 + 1,
                start,
                end,
                lines: (body.len() as u32).max(1),
            });
        }
        i = j + 1;
    }
    removals
}

/// True when removing `spans` from the line leaves no letter or digit (`_leaves_nothing`).
fn leaves_nothing(text: &str, line: Line, spans: &[Mark]) -> bool {
    let mut pos = line.start;
    for m in spans {
        if m.start > pos && text[pos..m.start].chars().any(is_alnum) {
            return false;
        }
        pos = pos.max(m.end);
    }
    !text[pos..line.end].chars().any(is_alnum)
}

/// `_absorb_blanks`: blank lines left around dropped lines go with a neighbouring removal.
fn absorb_blanks(owners: &mut [Option<u32>], blank: &[bool], kept: &[bool]) {
    let n = owners.len();
    let mut i = 0;
    while i < n {
        if kept[i] {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < n && !kept[j] {
            j += 1;
        }
        if let Some(dropped) = (i..j).find(|&k| owners[k].is_some()) {
            let mut spared_from = j;
            let mut spared_to = j;
            if i > 0 && j < n {
                if let Some(k) = (i..j).find(|&k| blank[k]) {
                    spared_from = k;
                    spared_to = k;
                    while spared_to < j && blank[spared_to] {
                        spared_to += 1;
                    }
                }
            }
            let mut last: Option<u32> = None;
            let fallback = owners[dropped];
            for k in i..j {
                if owners[k].is_some() {
                    last = owners[k];
                } else if blank[k] && !(spared_from..spared_to).contains(&k) {
                    owners[k] = last.or(fallback);
                }
            }
        }
        i = j;
    }
}

/// (source start, source end, output start) of each kept stretch of the source (`_kept_segments`).
fn kept_segments(size: usize, removals: &[Removal]) -> Vec<(usize, usize, usize)> {
    let mut segments = Vec::new();
    let (mut pos, mut out) = (0, 0);
    for r in removals {
        if r.start > pos {
            segments.push((pos, r.start, out));
            out += r.start - pos;
        }
        pos = pos.max(r.end);
    }
    if pos < size {
        segments.push((pos, size, out));
    }
    segments
}

/// `compose_removals`: one log in `source` offsets doing `first` (sorted) and then `second`
/// (removals of `first`'s output), sorted by start.
pub fn compose(source: &str, first: &[Removal], second: &[Removal]) -> Vec<Removal> {
    let segments = kept_segments(source.len(), first);
    let out_starts: Vec<usize> = segments.iter().map(|s| s.2).collect();
    let newlines: Vec<usize> = source.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect();
    let mut out: Vec<Removal> = first.to_vec();
    for r in second {
        let mut i = out_starts.partition_point(|&s| s <= r.start).saturating_sub(1);
        while i < segments.len() {
            let (src_start, src_end, out_start) = segments[i];
            let out_end = out_start + (src_end - src_start);
            if out_start >= r.end {
                break;
            }
            let (lo, hi) = (r.start.max(out_start), r.end.min(out_end));
            if hi > lo {
                let a = src_start + (lo - out_start);
                out.push(piece(source, &newlines, r.owner, a, a + (hi - lo)));
            }
            i += 1;
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

/// A removal of `source[start..end]` with its line number and line count (`_piece`).
fn piece(source: &str, newlines: &[usize], owner: u32, start: usize, end: usize) -> Removal {
    let body = &source[start..end];
    let lead = body.len() - body.trim_start_matches(is_py_space).len();
    let first_char = if lead < body.len() { start + lead } else { start };
    let line = newlines.partition_point(|&p| p < first_char) as u32 + 1;
    let count = body.split('\n').filter(|chunk| !is_blank(chunk)).count() as u32;
    Removal { owner, line, start, end, lines: count.max(1) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::split_lines;

    #[test]
    fn a_dropped_line_takes_the_extra_blank_lines_with_it() {
        let text = "keep\n\njunk\n\nkeep too\n";
        let lines = split_lines(text);
        let marks = [Mark { start: 6, end: 10, owner: 7, whole_line: true }];
        let removals = apply_marks(text, &lines, &marks);
        assert_eq!(replay(text, &removals), "keep\n\nkeep too\n");
        assert_eq!(removals[0].line, 3);
    }

    #[test]
    fn adjacent_lines_of_one_rule_are_one_removal() {
        let text = "Home\nNews\nbody text\nShare\nTweet\n";
        let lines = split_lines(text);
        let mark = |i: usize, owner: u32| Mark { start: lines[i].start, end: lines[i].end, owner, whole_line: true };
        let marks = [mark(0, 3), mark(1, 3), mark(3, 3), mark(4, 4)];
        let removals = apply_marks(text, &lines, &marks);
        let got: Vec<_> = removals.iter().map(|r| (r.owner, r.line, r.lines)).collect();
        assert_eq!(got, vec![(3, 1, 2), (3, 4, 1), (4, 5, 1)]);
        assert_eq!(replay(text, &removals), "body text\n");
    }

    #[test]
    fn composition_maps_the_second_pass_back() {
        let first = [Removal { owner: 0, line: 1, start: 0, end: 5, lines: 1 }];
        let second = [Removal { owner: 1, line: 1, start: 4, end: 9, lines: 1 }];
        let got = compose("junk keep drop", &first, &second);
        assert_eq!(got.iter().map(|r| (r.owner, r.start, r.end)).collect::<Vec<_>>(), vec![(0, 0, 5), (1, 9, 14)]);
    }
}
