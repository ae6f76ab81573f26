"""Declarative rule packs: loading and validating YAML, the compiled matcher, shipped packs, rule examples.

May import ``lines``, ``apply`` and ``document``; the learned line counts live here because the
pipeline reads them as a rule input."""
