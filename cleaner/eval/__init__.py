"""Measuring quality: scoring against gold texts and line labels, the bench sets, the anchor tools.

May import ``pipeline`` and ``settings``; never imported by the cleaning path."""
