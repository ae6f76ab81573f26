"""Learning from a corpus: mining repeated lines per site and writing them as a rule pack.

May import ``sources``, ``extract``, ``lines``, ``rules`` and ``settings``, and ``pipeline`` for
the documents as cleaning reads them (:func:`cleaner.pipeline.source_document`)."""

from .._compat import room_getattr

__getattr__ = room_getattr('learn')  # the old cleaner.learn module's names, deprecated
