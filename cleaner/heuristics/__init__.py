"""Content-extraction heuristics over lines: the text line classifier rules, comments, HTML-line cues, site bodies.

May import ``lines``, ``rules`` and ``document``."""
