"""Measuring quality: scoring against gold texts and line labels, the bench sets, the anchor tools.

It owns the gold sets and what is derived from them (line labels of the benchmark text
dumps, :mod:`cleaner.eval.linelabels`), the held-out split by site, the reference systems
scored beside cleaner, and the reports ``cleaner eval`` prints. May import ``pipeline`` and
``settings``; never imported by the cleaning path. The benchmark data itself stays outside
the repository and is read from disk (``../shared/bench``) at evaluation time."""
