"""The evaluation room: how cleaner is measured, never how it cleans.

It owns the gold sets and what is derived from them (line labels of the benchmark text
dumps, :mod:`cleaner.eval.linelabels`), the held-out split by site, the reference systems
scored beside cleaner, and the reports ``cleaner eval`` prints. Nothing in the cleaning path
imports from here; the benchmark data itself stays outside the repository and is read from
disk (``../shared/bench``) at evaluation time.
"""
