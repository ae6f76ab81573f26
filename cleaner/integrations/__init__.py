"""Cleaner inside other pipelines: a datatrove step and a Hugging Face ``datasets.map`` function.

Each module imports its library only when used, so the base install needs none of them:
``pip install 'boilerclean[datatrove]'`` or ``'boilerclean[datasets]'``. Both keep the
provenance of every removal in the document's metadata, with the same keys as the records
of ``cleaner run`` (``cleaner_version``, ``rules_fingerprint``, ``chars_in``,
``chars_removed``, ``removed``). May import ``pipeline``, ``settings`` and ``sinks``.
(Dolma's tag-only attributes are a mode of ``cleaner run``: :mod:`cleaner.sinks.attributes`.)
"""
