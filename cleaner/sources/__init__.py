"""Where documents come from: listing inputs, reading and decoding them, WARC records, site keys.

Owns everything up to a decoded document and its provenance (path, offset, record id). It may import
``errors`` and ``document`` only: the rest of the package reads through it, never the other way."""

from .._compat import room_getattr

__getattr__ = room_getattr('sources')  # the old cleaner.sources module's names, deprecated
