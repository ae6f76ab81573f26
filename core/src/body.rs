//! HEU010 on one document: scores, the two-state Viterbi, the head extension and the rounds
//! of `classify_lines` (`cleaner/lines/body.py`), with the same arithmetic.

use crate::features::{context_rows, context_scores, cue_rows, dot, own, Own, Words, CONTEXT_ROW, OWN, SECOND};
use crate::unicode::is_py_space;

/// Classification rounds at most (each drops lines or ends it), as `_MAX_ROUNDS` in body.py.
const MAX_ROUNDS: usize = 6;
/// A page where no run clears the bar keeps its best run: its best line is lifted this far over
/// it, and switches cost `FALLBACK_SWITCH` (`_FALLBACK_LIFT`, `_SWITCH`).
const FALLBACK_LIFT: f64 = 1.5;
const FALLBACK_SWITCH: f64 = 0.5;
/// Near-miss lines kept right above the body: how many at most, the lowest score, the fewest
/// words (`_HEAD_REACH`, `_HEAD_FLOOR`, `_HEAD_MIN_WORDS`).
const HEAD_REACH: usize = 2;
const HEAD_FLOOR: f64 = -1.5;
const HEAD_MIN_WORDS: usize = 4;

/// The classifier's data: weights from `lines/weights.json` and the stop words, as Python loads them.
#[derive(Debug, Clone)]
pub struct Model {
    pub line: Vec<f64>,
    pub context: Vec<f64>,
    pub cues: Vec<f64>,
    /// The stop words (and the chrome words with them: [`Words::new`]).
    pub stopwords: Words,
    /// The first stage's trees, when the model has them (`line` is then not read).
    pub forest: Option<Forest>,
}

/// The width of the row a forest reads: 1.0, the own features, the context row and the two cues
/// (`tree_rows` in body.py).
pub const TREE_ROW: usize = 1 + OWN + CONTEXT_ROW + 2;

/// One split or leaf of a tree (`cleaner/lines/trees.py`): a leaf has no feature.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// The column split on; `u32::MAX` at a leaf.
    feature: u32,
    missing_left: bool,
    threshold: f64,
    left: u32,
    right: u32,
}

/// A first stage of boosted regression trees (`cleaner.lines.trees.Forest`): the log-odds of a
/// row is `base` plus each tree's leaf, added in the order of the trees, as Python adds them.
#[derive(Debug, Clone)]
pub struct Forest {
    base: f64,
    nodes: Vec<Node>,
    value: Vec<f64>,
    roots: Vec<u32>,
}

impl Forest {
    /// The forest of the flat arrays of a weights file's `trees` (feature -1 at a leaf), checked:
    /// every array one entry per node, each split's children after it, each column in the row.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        base: f64,
        feature: &[i64],
        threshold: &[f64],
        missing_left: &[bool],
        left: &[i64],
        right: &[i64],
        value: &[f64],
        roots: &[i64],
    ) -> Result<Forest, CoreError> {
        let n = feature.len();
        if [threshold.len(), missing_left.len(), left.len(), right.len(), value.len()]
            .iter()
            .any(|&l| l != n)
            || roots.iter().any(|&r| r < 0 || r as usize >= n)
        {
            return Err(CoreError::BadInput("the trees' arrays do not fit together".into()));
        }
        let mut nodes = Vec::with_capacity(n);
        for i in 0..n {
            let node = if feature[i] < 0 {
                Node { feature: u32::MAX, missing_left: false, threshold: 0.0, left: 0, right: 0 }
            } else {
                let child = |c: i64| c > i as i64 && (c as usize) < n;
                if feature[i] as usize >= TREE_ROW || !child(left[i]) || !child(right[i]) {
                    return Err(CoreError::BadInput(format!("tree node {i} points outside the trees or the row")));
                }
                Node {
                    feature: feature[i] as u32,
                    missing_left: missing_left[i],
                    threshold: threshold[i],
                    left: left[i] as u32,
                    right: right[i] as u32,
                }
            };
            nodes.push(node);
        }
        Ok(Forest { base, nodes, value: value.to_vec(), roots: roots.iter().map(|&r| r as u32).collect() })
    }

    /// `forest_scores` of one row.
    pub fn score(&self, row: &[f64; TREE_ROW]) -> f64 {
        let mut total = self.base;
        for &root in &self.roots {
            let mut i = root as usize;
            loop {
                let node = &self.nodes[i];
                if node.feature == u32::MAX {
                    break;
                }
                let x = row[node.feature as usize];
                let left = x <= node.threshold || (x.is_nan() && node.missing_left);
                i = if left { node.left } else { node.right } as usize;
            }
            total += self.value[i];
        }
        total
    }
}

/// One document's lines for the classifier.
#[derive(Debug, Clone, Copy)]
pub struct Lines<'a> {
    /// The feature texts (stripped, non-empty).
    pub texts: &'a [&'a str],
    /// The blank-line block of each line.
    pub blocks: &'a [i64],
    /// Equal numbers for lines with equal `line_key`.
    pub keys: &'a [i64],
    /// A bias added to each line's score (`line_bias`), if any.
    pub extra: Option<&'a [f64]>,
}

/// Why a document cannot be classified by the core.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoreError {
    /// The arrays do not have one entry per line, or the weights are of the wrong length.
    BadInput(String),
    /// A line is empty (the Python reference takes stripped, non-empty lines).
    EmptyLine(usize),
}

impl std::fmt::Display for CoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CoreError::BadInput(what) => write!(f, "bad input: {what}"),
            CoreError::EmptyLine(i) => write!(f, "line {i} is empty"),
        }
    }
}

/// `smooth_decisions`: the keep/drop labelling maximising kept log-odds minus `switch` per change.
pub fn smooth_decisions(scores: &[f64], bias: f64, switch: f64) -> Vec<bool> {
    let Some(&first) = scores.first() else {
        return Vec::new();
    };
    let (mut drop, mut keep) = (0.0f64, first + bias);
    let mut back: Vec<(u8, u8)> = Vec::with_capacity(scores.len());
    back.push((0, 1));
    for &s in &scores[1..] {
        let (drop_to_keep, keep_to_keep) = (drop - switch, keep);
        let (keep_to_drop, drop_to_drop) = (keep - switch, drop);
        let (nd, bd) = if drop_to_drop >= keep_to_drop {
            (drop_to_drop, 0)
        } else {
            (keep_to_drop, 1)
        };
        let (nk, bk) = if keep_to_keep >= drop_to_keep {
            (keep_to_keep, 1)
        } else {
            (drop_to_keep, 0)
        };
        drop = nd;
        keep = nk + s + bias;
        back.push((bd, bk));
    }
    let mut state = u8::from(keep > drop);
    let mut out = vec![false; scores.len()];
    for i in (0..scores.len()).rev() {
        out[i] = state == 1;
        state = if state == 0 { back[i].0 } else { back[i].1 };
    }
    out
}

/// `len(text.split())`.
fn count_words(text: &str) -> usize {
    text.split(is_py_space).filter(|w| !w.is_empty()).count()
}

/// `extend_head`: keep up to `HEAD_REACH` near-miss lines right above the body (headline, standfirst).
fn extend_head(texts: &[&str], scores: &[f64], keep: &mut [bool]) {
    let Some(top) = keep.iter().position(|&k| k) else {
        return;
    };
    for i in (top.saturating_sub(HEAD_REACH)..top).rev() {
        if scores[i] < HEAD_FLOOR || count_words(texts[i]) < HEAD_MIN_WORDS {
            break;
        }
        keep[i] = true;
    }
}

impl Model {
    /// `first_scores` then `context_scores` of one round's lines.
    fn score(&self, texts: &[&str], own: &[&Own], blocks: &[i64]) -> Vec<f64> {
        let chars: Vec<usize> = texts.iter().map(|t| t.chars().count()).collect();
        if let Some(forest) = &self.forest {
            let first: Vec<f64> = own
                .iter()
                .zip(context_rows(own, &chars, blocks))
                .zip(cue_rows(own, &chars))
                .map(|((o, near), cues)| {
                    let mut row = [0.0; TREE_ROW];
                    row[0] = 1.0;
                    row[1..1 + OWN].copy_from_slice(&o.features);
                    row[1 + OWN..1 + OWN + CONTEXT_ROW].copy_from_slice(&near);
                    row[TREE_ROW - 2] = self.cues[0] * cues[0];
                    row[TREE_ROW - 1] = self.cues[1] * cues[1];
                    forest.score(&row)
                })
                .collect();
            return context_scores(&first, &self.context);
        }
        let mut first: Vec<f64> = own
            .iter()
            .zip(context_rows(own, &chars, blocks))
            .map(|(o, near)| dot(&self.line, std::iter::once(1.0).chain(o.features).chain(near)))
            .collect();
        if self.cues.iter().any(|&w| w != 0.0) {
            for (s, row) in first.iter_mut().zip(cue_rows(own, &chars)) {
                *s += dot(&self.cues, row);
            }
        }
        context_scores(&first, &self.context)
    }

    /// `score_lines`: the log-odds of each line (one round, every line), for the differential test.
    pub fn scores(&self, texts: &[&str], blocks: &[i64]) -> Result<Vec<f64>, CoreError> {
        if blocks.len() != texts.len() {
            return Err(CoreError::BadInput("one block per line".into()));
        }
        let owns = texts
            .iter()
            .enumerate()
            .map(|(i, t)| own(t, &self.stopwords).ok_or(CoreError::EmptyLine(i)))
            .collect::<Result<Vec<Own>, CoreError>>()?;
        let own: Vec<&Own> = owns.iter().collect();
        Ok(self.score(texts, &own, blocks))
    }

    /// `_decide`: one round's keep/drop of each line.
    fn decide(
        &self,
        texts: &[&str],
        own: &[&Own],
        blocks: &[i64],
        extra: Option<&[f64]>,
        bias: f64,
        switch: f64,
    ) -> Vec<bool> {
        let mut scores = self.score(texts, own, blocks);
        if let Some(extra) = extra.filter(|e| !e.is_empty()) {
            scores.iter_mut().zip(extra).for_each(|(s, e)| *s += e);
        }
        let mut keep = smooth_decisions(&scores, bias, switch);
        if !keep.iter().any(|&k| k) && !scores.is_empty() {
            let best = scores
                .iter()
                .copied()
                .fold(f64::NEG_INFINITY, |a, b| if b > a { b } else { a });
            keep = smooth_decisions(&scores, FALLBACK_LIFT - best, FALLBACK_SWITCH);
        }
        extend_head(texts, &scores, &mut keep);
        keep
    }

    /// `classify_lines`: keep (true) or drop (false) for each line, after the rounds.
    pub fn classify(&self, lines: Lines<'_>, bias: f64, switch: f64) -> Result<Vec<bool>, CoreError> {
        self.classify_settled(lines, bias, switch).map(|(keep, _)| keep)
    }

    /// [`Model::classify`], and whether its last round kept every line it was given (false: the
    /// rounds ran out). When true, the kept lines, given again as they are (same texts, block and
    /// key patterns, biases), are all kept: their classification is that last round again.
    pub fn classify_settled(&self, lines: Lines<'_>, bias: f64, switch: f64) -> Result<(Vec<bool>, bool), CoreError> {
        let n = lines.texts.len();
        if lines.blocks.len() != n || lines.keys.len() != n || lines.extra.is_some_and(|e| e.len() != n) {
            return Err(CoreError::BadInput("one block, key and bias per line".into()));
        }
        if self.line.len() != 1 + OWN + CONTEXT_ROW || self.context.len() != SECOND || self.cues.len() != 2 {
            return Err(CoreError::BadInput("weights of the wrong length".into()));
        }
        let owns = lines
            .texts
            .iter()
            .enumerate()
            .map(|(i, t)| self.own(t).ok_or(CoreError::EmptyLine(i)))
            .collect::<Result<Vec<Own>, CoreError>>()?;
        let owns: Vec<&Own> = owns.iter().collect();
        self.classify_owns(lines, &owns, bias, switch)
    }

    /// The own features of one stripped line (`None`: it is empty).
    pub fn own(&self, text: &str) -> Option<Own> {
        own(text, &self.stopwords)
    }

    /// [`Model::classify_settled`] with each line's own features given (`owns[i]` of `texts[i]`),
    /// for a caller that keeps them from one call to the next.
    pub fn classify_owns(&self, lines: Lines<'_>, owns: &[&Own], bias: f64, switch: f64) -> Result<(Vec<bool>, bool), CoreError> {
        let n = lines.texts.len();
        if lines.blocks.len() != n || lines.keys.len() != n || owns.len() != n || lines.extra.is_some_and(|e| e.len() != n) {
            return Err(CoreError::BadInput("one block, key, own row and bias per line".into()));
        }
        if self.line.len() != 1 + OWN + CONTEXT_ROW || self.context.len() != SECOND || self.cues.len() != 2 {
            return Err(CoreError::BadInput("weights of the wrong length".into()));
        }
        let mut alive: Vec<usize> = (0..n).collect();
        let mut settled = false;
        for _ in 0..MAX_ROUNDS {
            alive = alive
                .iter()
                .enumerate()
                .filter(|&(j, &i)| j == 0 || lines.keys[i] != lines.keys[alive[j - 1]])
                .map(|(_, &i)| i)
                .collect();
            let texts: Vec<&str> = alive.iter().map(|&i| lines.texts[i]).collect();
            let own: Vec<&Own> = alive.iter().map(|&i| owns[i]).collect();
            let blocks: Vec<i64> = alive.iter().map(|&i| lines.blocks[i]).collect();
            let extra: Option<Vec<f64>> = lines.extra.map(|e| alive.iter().map(|&i| e[i]).collect());
            let keep = self.decide(&texts, &own, &blocks, extra.as_deref(), bias, switch);
            if keep.iter().all(|&k| k) {
                settled = true;
                break;
            }
            alive = alive.iter().zip(&keep).filter(|&(_, &k)| k).map(|(&i, _)| i).collect();
        }
        let mut out = vec![false; n];
        alive.iter().for_each(|&i| out[i] = true);
        Ok((out, settled))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viterbi_bridges_a_short_dip() {
        assert_eq!(vec![true, true, true], smooth_decisions(&[2.0, -0.3, 2.0], 0.0, 0.5));
        assert_eq!(vec![false, false, true], smooth_decisions(&[-2.0, -2.0, 3.0], 0.0, 0.5));
        assert!(smooth_decisions(&[], 0.0, 0.5).is_empty());
    }

    /// Two trees on column 1: the first splits at 0.25 (NaN goes left), the second at 0.5 (NaN right).
    fn two_trees() -> Forest {
        Forest::new(
            0.5,
            &[1, -1, -1, 1, -1, -1],
            &[0.25, 0.0, 0.0, 0.5, 0.0, 0.0],
            &[true, false, false, false, false, false],
            &[1, 0, 0, 4, 0, 0],
            &[2, 0, 0, 5, 0, 0],
            &[0.0, -1.0, 2.0, 0.0, 0.125, -0.25],
            &[0, 3],
        )
        .unwrap()
    }

    fn row(x: f64) -> [f64; TREE_ROW] {
        let mut r = [0.0; TREE_ROW];
        r[0] = 1.0;
        r[1] = x;
        r
    }

    #[test]
    fn trees_go_left_at_the_threshold_and_add_in_order() {
        let f = two_trees();
        assert_eq!(0.5 - 1.0 + 0.125, f.score(&row(0.25))); // equal to a threshold: left
        assert_eq!(0.5 + 2.0 + 0.125, f.score(&row(0.3)));
        assert_eq!(0.5 + 2.0 - 0.25, f.score(&row(0.6)));
        assert_eq!(0.5 - 1.0 - 0.25, f.score(&row(f64::NAN))); // missing: left in one tree, right in the other
    }

    #[test]
    fn trees_that_do_not_fit_together_are_refused() {
        let bad_child = Forest::new(0.0, &[1, -1], &[0.0, 0.0], &[false; 2], &[1, 0], &[5, 0], &[0.0; 2], &[0]);
        assert!(matches!(bad_child, Err(CoreError::BadInput(_))));
        let loop_back = Forest::new(0.0, &[1, -1], &[0.0, 0.0], &[false; 2], &[0, 0], &[1, 0], &[0.0; 2], &[0]);
        assert!(loop_back.is_err());
        let outside_row = Forest::new(0.0, &[TREE_ROW as i64, -1, -1], &[0.0; 3], &[false; 3], &[1, 0, 0], &[2, 0, 0], &[0.0; 3], &[0]);
        assert!(outside_row.is_err());
        let short = Forest::new(0.0, &[-1, -1], &[0.0], &[false; 2], &[0, 0], &[0, 0], &[0.0; 2], &[0]);
        assert!(short.is_err());
    }

    #[test]
    fn words_split_like_python() {
        assert_eq!(3, count_words(" a\u{1c}b \u{3000}c "));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn model() -> Model {
        Model {
            line: (0..1 + OWN + CONTEXT_ROW).map(|i| (i as f64 - 16.0) / 10.0).collect(),
            context: (0..10).map(|i| i as f64 / 5.0).collect(),
            cues: vec![-0.1, -0.3],
            stopwords: Words::new(["the", "und", "le", "и"].iter().map(|s| s.to_string())),
            forest: None,
        }
    }

    proptest! {
        // random and adversarial Unicode (combining marks, RTL, NUL, controls, astral planes):
        // every line gets a decision, every score is finite, nothing panics
        #[test]
        fn any_lines_get_one_decision_each(lines in prop::collection::vec("\\PC{1,40}|[\\x00-\\x1f\\u{300}-\\u{36f}\\u{590}-\\u{6ff}\\u{1F600}]{1,8}", 0..60)) {
            let lines: Vec<String> = lines.into_iter().filter(|l| !l.is_empty()).collect();
            let texts: Vec<&str> = lines.iter().map(String::as_str).collect();
            let blocks: Vec<i64> = (0..texts.len() as i64).map(|i| i / 3).collect();
            let keys: Vec<i64> = texts.iter().map(|t| t.len() as i64 % 5).collect();
            let m = model();
            let keep = m.classify(Lines { texts: &texts, blocks: &blocks, keys: &keys, extra: None }, 0.15, 0.5).unwrap();
            prop_assert_eq!(texts.len(), keep.len());
            prop_assert!(m.scores(&texts, &blocks).unwrap().iter().all(|s| s.is_finite()));
            // a settled answer is a fixed point: its kept lines, given again, are all kept
            let lines_in = Lines { texts: &texts, blocks: &blocks, keys: &keys, extra: None };
            let (keep, settled) = m.classify_settled(lines_in, 0.15, 0.5).unwrap();
            if settled {
                let kept: Vec<usize> = (0..texts.len()).filter(|&i| keep[i]).collect();
                let t2: Vec<&str> = kept.iter().map(|&i| texts[i]).collect();
                let b2: Vec<i64> = kept.iter().map(|&i| blocks[i]).collect();
                let k2: Vec<i64> = kept.iter().map(|&i| keys[i]).collect();
                let again = m.classify(Lines { texts: &t2, blocks: &b2, keys: &k2, extra: None }, 0.15, 0.5).unwrap();
                prop_assert!(again.iter().all(|&k| k));
            }
        }
    }
}
