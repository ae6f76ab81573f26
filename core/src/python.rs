//! The one file that knows about Python: `cleaner._core`.
//!
//! Data crosses once per document; the GIL is released while the core works, and a panic
//! comes back as `CoreError` (the Python side turns it into a per-document reject).

use rustc_hash::FxHashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

use crate::body::{Forest, Lines, Model};
use crate::features::Words;
use crate::clean::{char_offsets, Action, Heuristics, Outcome, RuleInfo, TextCleaner};
use crate::provenance::Columns;
use crate::rules::{Matcher, RuleSpec, Scope};
use pyo3::types::PyBytes;

create_exception!(
    _core,
    CoreError,
    PyException,
    "The compiled core could not handle a document."
);

/// A forest's flat arrays: base, feature, threshold, missing_left, left, right, value, roots.
type PyTrees = (f64, Vec<i64>, Vec<f64>, Vec<bool>, Vec<i64>, Vec<i64>, Vec<f64>, Vec<i64>);

/// HEU010's weights and stop words, loaded once by the Python side.
#[pyclass(frozen, module = "cleaner._core")]
struct LineModel {
    model: Model,
}

#[pymethods]
impl LineModel {
    /// `trees`: the first stage's trees as `cleaner.lines.trees.forest_arrays` gives them (base,
    /// feature, threshold, missing_left, left, right, value, roots), or None for the line weights.
    #[new]
    #[pyo3(signature = (line, context, cues, stopwords, trees=None))]
    fn new(
        line: Vec<f64>,
        context: Vec<f64>,
        cues: Vec<f64>,
        stopwords: FxHashSet<String>,
        trees: Option<PyTrees>,
    ) -> PyResult<Self> {
        let forest = match trees {
            Some((base, feature, threshold, missing_left, left, right, value, roots)) => Some(unwrap(Ok(
                Forest::new(base, &feature, &threshold, &missing_left, &left, &right, &value, &roots),
            ))?),
            None => None,
        };
        Ok(LineModel {
            model: Model {
                line,
                context,
                cues,
                stopwords: Words::new(stopwords),
                forest,
            },
        })
    }

    /// The log-odds of each line of one document, as `score_lines` (for the differential test).
    fn scores(&self, py: Python<'_>, texts: Vec<String>, blocks: Vec<i64>) -> PyResult<Vec<f64>> {
        let model = &self.model;
        let result = py.detach(|| {
            catch_unwind(AssertUnwindSafe(|| {
                let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
                model.scores(&refs, &blocks)
            }))
        });
        unwrap(result)
    }

    /// Keep (True) or drop (False) for each line of one document (`classify_lines`), and whether
    /// the last round kept every line it was given (the kept lines are then a fixed point).
    #[pyo3(signature = (texts, blocks, keys, extra, bias, switch))]
    #[allow(clippy::too_many_arguments)]
    fn classify(
        &self,
        py: Python<'_>,
        texts: Vec<String>,
        blocks: Vec<i64>,
        keys: Vec<i64>,
        extra: Option<Vec<f64>>,
        bias: f64,
        switch: f64,
    ) -> PyResult<(Vec<bool>, bool)> {
        let model = &self.model;
        let result = py.detach(|| {
            catch_unwind(AssertUnwindSafe(|| {
                let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
                let lines = Lines {
                    texts: &refs,
                    blocks: &blocks,
                    keys: &keys,
                    extra: extra.as_deref(),
                };
                model.classify_settled(lines, bias, switch)
            }))
        });
        unwrap(result)
    }
}

/// The rule engine's matcher: the scanned rules, compiled once (`cleaner.rules.engine`).
#[pyclass(frozen, module = "cleaner._core")]
struct RuleMatcher {
    matcher: Matcher,
}

/// One scanned rule: pattern, `unless` pattern, case-insensitive, scope, required literal sets.
type PyRuleSpec = (String, Option<String>, bool, String, Option<Vec<Vec<String>>>);

#[pymethods]
impl RuleMatcher {
    #[new]
    fn new(rules: Vec<PyRuleSpec>) -> PyResult<Self> {
        let specs: Vec<RuleSpec> = rules.into_iter().map(spec).collect();
        let matcher = unwrap(catch_unwind(AssertUnwindSafe(|| {
            Ok::<_, crate::body::CoreError>(Matcher::new(&specs))
        })))?;
        Ok(RuleMatcher { matcher })
    }

    /// For each rule, whether the core matches it (False: Python's `regex` runs it).
    fn in_core(&self) -> PyResult<Vec<bool>> {
        unwrap(catch_unwind(AssertUnwindSafe(|| {
            Ok::<_, crate::body::CoreError>(self.matcher.in_core())
        })))
    }

    /// The spans of one document's lines: (line, rule, start, end) arrays; start -1: Python tries it.
    #[allow(clippy::type_complexity)]
    fn find(&self, py: Python<'_>, texts: Vec<String>) -> PyResult<(Vec<u32>, Vec<u32>, Vec<i64>, Vec<i64>)> {
        let matcher = &self.matcher;
        let result = py.detach(|| {
            catch_unwind(AssertUnwindSafe(|| {
                let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
                let found = matcher.find(&refs);
                Ok::<_, crate::body::CoreError>((found.line, found.rule, found.start, found.end))
            }))
        });
        unwrap(result)
    }
}

/// A rule's owner number, action and line conditions: (owner, action, min_position, max_words,
/// min_words, within_head, within_tail, section_max_lines, section_max_words).
type PyRuleInfo = (u32, String, Option<f64>, Option<usize>, Option<usize>, Option<usize>, Option<usize>, usize, usize);

fn rule_info(info: PyRuleInfo) -> PyResult<RuleInfo> {
    let (owner, action, min_position, max_words, min_words, within_head, within_tail, lines, words) = info;
    let action = Action::from_name(&action).ok_or_else(|| CoreError::new_err(format!("unknown action {action}")))?;
    Ok(RuleInfo {
        owner,
        action,
        min_position,
        max_words,
        min_words,
        within_head,
        within_tail,
        section_max_lines: lines,
        section_max_words: words,
    })
}

fn spec(rule: PyRuleSpec) -> RuleSpec {
    let (pattern, unless, case_insensitive, scope, literals) = rule;
    RuleSpec {
        pattern,
        unless,
        case_insensitive,
        scope: Scope::from_name(&scope),
        literals,
    }
}

/// One cleaned document as flat values: (outcome, owner, author, text, removals); outcome 0:
/// cleaned, 1: dropped by rule `owner`, 2: left to Python; the removals as packed native-endian
/// columns (owners, lines, counts: u32; starts, ends: u64 code points; the same starts and ends
/// in bytes, u64, for `removals_json` to read the excerpts at).
type PyCleaned<'py> = (u8, i64, Option<String>, Option<String>, Option<[Bound<'py, PyBytes>; 7]>);

fn packed<T: Copy, const N: usize>(values: &[T], bytes: impl Fn(T) -> [u8; N]) -> Vec<u8> {
    values.iter().flat_map(|&v| bytes(v)).collect()
}

fn unpacked<T, const N: usize>(data: &[u8], from: impl Fn([u8; N]) -> T) -> Vec<T> {
    data.chunks_exact(N).map(|c| from(c.try_into().expect("chunks of N"))).collect()
}

/// The owner numbers of HEU001, HEU002, HEU003, HEU030 and HEU010 (None: switched off).
type PyHeuristics = (Option<u32>, Option<u32>, Option<u32>, Option<u32>, Option<u32>);

/// Plain-text documents cleaned whole in the core: rules, heuristics, classifier, passes.
#[pyclass(frozen, module = "cleaner._core")]
struct TextCore {
    cleaner: TextCleaner,
}

#[pymethods]
impl TextCore {
    #[new]
    #[pyo3(signature = (scanned, infos, exact, heuristics, include_comments, model, bias, quiet_bias, switch))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        scanned: Vec<PyRuleSpec>,
        infos: Vec<PyRuleInfo>,
        exact: Vec<(Vec<String>, PyRuleInfo, Option<String>, bool)>,
        heuristics: PyHeuristics,
        include_comments: bool,
        model: Option<PyRef<'_, LineModel>>,
        bias: f64,
        quiet_bias: f64,
        switch: f64,
    ) -> PyResult<Self> {
        if scanned.len() != infos.len() {
            return Err(CoreError::new_err("one info per scanned rule"));
        }
        let specs: Vec<RuleSpec> = scanned.into_iter().map(spec).collect();
        let infos = infos.into_iter().map(rule_info).collect::<PyResult<Vec<_>>>()?;
        let exact = exact
            .into_iter()
            .map(|(keys, info, unless, ci)| Ok((keys, rule_info(info)?, unless, ci)))
            .collect::<PyResult<Vec<_>>>()?;
        let (repeated_headline, head_chrome, byline, comment_thread, body) = heuristics;
        let heuristics = Heuristics { repeated_headline, head_chrome, byline, comment_thread, body };
        let model = model.map(|m| m.model.clone());
        let cleaner = unwrap(catch_unwind(AssertUnwindSafe(|| {
            TextCleaner::new(Matcher::new(&specs), infos, exact, heuristics, include_comments, model, bias, quiet_bias, switch)
        })))?;
        Ok(TextCore { cleaner })
    }

    /// Clean one plain-text document (`active[owner]`: the rule applies to it).
    fn clean<'py>(&self, py: Python<'py>, text: &str, active: Vec<bool>, discussion: bool) -> PyResult<PyCleaned<'py>> {
        let cleaner = &self.cleaner;
        let result = py.detach(|| {
            catch_unwind(AssertUnwindSafe(|| {
                let outcome = cleaner.clean(text, &active, discussion)?;
                Ok::<_, crate::body::CoreError>(match outcome {
                    Outcome::Cleaned { text: clean, removals, author } => {
                        let owners: Vec<u32> = removals.iter().map(|r| r.owner).collect();
                        let lines: Vec<u32> = removals.iter().map(|r| r.line).collect();
                        let counts: Vec<u32> = removals.iter().map(|r| r.lines).collect();
                        let starts = char_offsets(text, removals.iter().map(|r| r.start));
                        let ends = char_offsets(text, removals.iter().map(|r| r.end));
                        let byte_starts: Vec<u64> = removals.iter().map(|r| r.start as u64).collect();
                        let byte_ends: Vec<u64> = removals.iter().map(|r| r.end as u64).collect();
                        let columns = [
                            packed(&owners, u32::to_ne_bytes),
                            packed(&lines, u32::to_ne_bytes),
                            packed(&counts, u32::to_ne_bytes),
                            packed(&starts, u64::to_ne_bytes),
                            packed(&ends, u64::to_ne_bytes),
                            packed(&byte_starts, u64::to_ne_bytes),
                            packed(&byte_ends, u64::to_ne_bytes),
                        ];
                        (0, -1, author, Some(clean), Some(columns))
                    }
                    Outcome::Dropped { owner, author } => (1, owner as i64, author, None, None),
                    Outcome::LeftToPython => (2, -1, None, None, None),
                })
            }))
        });
        let (kind, owner, author, clean, columns) = unwrap(result)?;
        Ok((kind, owner, author, clean, columns.map(|c| c.map(|bytes| PyBytes::new(py, &bytes)))))
    }
}

/// The rule id and reason of each owner number, as JSON strings: made once per rule set (a
/// list of thousands of rules converted per document cost more than writing its removals).
#[pyclass(frozen, module = "cleaner._core")]
struct RemovalNames {
    names: Vec<(String, String)>,
}

#[pymethods]
impl RemovalNames {
    #[new]
    fn new(names: Vec<(String, String)>) -> Self {
        RemovalNames { names }
    }

    fn __len__(&self) -> usize {
        self.names.len()
    }
}

/// A line as HEU010's features read it (`cleaner.lines.cjk.feature_text`), for the
/// differential tests: the line itself when the core leaves it unchanged.
#[pyfunction]
fn feature_text(text: &str) -> String {
    crate::lines::feature_text(text).unwrap_or_else(|| text.to_owned())
}

/// The JSON array of one document's removals (packed columns as `TextCore.clean` gives them;
/// `names[owner]`: the rule id and reason as JSON strings); `compact`: without excerpts.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn removals_json<'py>(
    py: Python<'py>,
    source: &str,
    owners: &[u8],
    lines: &[u8],
    counts: &[u8],
    starts: &[u8],
    ends: &[u8],
    byte_starts: &[u8],
    byte_ends: &[u8],
    names: PyRef<'py, RemovalNames>,
    compact: bool,
) -> PyResult<Bound<'py, PyBytes>> {
    let names = &names.names;
    let result = py.detach(|| {
        catch_unwind(AssertUnwindSafe(|| {
            let owners = unpacked(owners, u32::from_ne_bytes);
            let lines = unpacked(lines, u32::from_ne_bytes);
            let counts = unpacked(counts, u32::from_ne_bytes);
            let starts = unpacked(starts, u64::from_ne_bytes);
            let ends = unpacked(ends, u64::from_ne_bytes);
            let byte_starts = unpacked(byte_starts, u64::from_ne_bytes);
            let byte_ends = unpacked(byte_ends, u64::from_ne_bytes);
            let columns = Columns {
                owners: &owners,
                lines: &lines,
                counts: &counts,
                starts: &starts,
                ends: &ends,
                byte_starts: &byte_starts,
                byte_ends: &byte_ends,
            };
            if !columns.fit(source, names.len()) {
                return Err(crate::body::CoreError::BadInput("removal columns of unequal length or out of range".into()));
            }
            Ok(crate::provenance::removals_json(source, &columns, names, compact))
        }))
    });
    Ok(PyBytes::new(py, &unwrap(result)?))
}

/// Whether a string read from the JSON line `raw` may hold a control character
/// (`cleaner.sources.jsonline.may_hold_controls`; false: none can).
#[pyfunction]
fn may_hold_controls(raw: &[u8]) -> bool {
    catch_unwind(|| crate::jsonline::may_hold_controls(raw)).unwrap_or(true)
}

/// The core's answer, its error or its panic, as Python sees them.
/// Whether the crate vouches that Python's `regex` compiles `pattern` and that it cannot match
/// the empty string (`crate::vouch`); False: the pack loader checks it with Python.
#[pyfunction]
fn vouch_pattern(pattern: &str) -> bool {
    catch_unwind(|| crate::vouch::vouch_pattern(pattern)).unwrap_or(false)
}

fn unwrap<T>(result: std::thread::Result<Result<T, crate::body::CoreError>>) -> PyResult<T> {
    match result {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(CoreError::new_err(err.to_string())),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            Err(CoreError::new_err(format!("panic in the core: {what}")))
        }
    }
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", crate::VERSION)?;
    m.add("TABLES", crate::TABLES)?;
    m.add("CoreError", m.py().get_type::<CoreError>())?;
    m.add_class::<LineModel>()?;
    m.add_class::<RuleMatcher>()?;
    m.add_class::<TextCore>()?;
    m.add_class::<RemovalNames>()?;
    m.add_function(wrap_pyfunction!(removals_json, m)?)?;
    m.add_function(wrap_pyfunction!(may_hold_controls, m)?)?;
    m.add_function(wrap_pyfunction!(feature_text, m)?)?;
    m.add_function(wrap_pyfunction!(vouch_pattern, m)?)?;
    Ok(())
}
