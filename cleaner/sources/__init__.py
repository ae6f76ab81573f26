"""Where documents come from: listing inputs, reading and decoding them, WARC records, site keys.

Owns everything up to a decoded document and its provenance (path, offset, record id). It may import
``errors`` and ``document`` only: the rest of the package reads through it, never the other way."""
