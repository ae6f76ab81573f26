//! The one file that knows about Python: `cleaner._core`.
//!
//! Data crosses once per document; the GIL is released while the core works, and a panic
//! comes back as `CoreError` (the Python side turns it into a per-document reject).

use rustc_hash::FxHashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

use crate::body::{Lines, Model};
use crate::rules::{Matcher, RuleSpec, Scope};

create_exception!(
    _core,
    CoreError,
    PyException,
    "The compiled core could not handle a document."
);

/// HEU010's weights and stop words, loaded once by the Python side.
#[pyclass(frozen, module = "cleaner._core")]
struct LineModel {
    model: Model,
}

#[pymethods]
impl LineModel {
    #[new]
    fn new(line: Vec<f64>, context: Vec<f64>, cues: Vec<f64>, stopwords: FxHashSet<String>) -> Self {
        LineModel {
            model: Model {
                line,
                context,
                cues,
                stopwords,
            },
        }
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
        let specs: Vec<RuleSpec> = rules
            .into_iter()
            .map(|(pattern, unless, case_insensitive, scope, literals)| RuleSpec {
                pattern,
                unless,
                case_insensitive,
                scope: Scope::from_name(&scope),
                literals,
            })
            .collect();
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

/// The core's answer, its error or its panic, as Python sees them.
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
    Ok(())
}
