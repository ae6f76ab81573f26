//! The compiled core of `cleaner`: plain Rust, no Python (the binding is `python.rs`).

#[cfg(feature = "python")]
mod python;

/// The crate version; the Python package checks that it matches its own.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
