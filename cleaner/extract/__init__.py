"""HTML to text: trafilatura plus our own block logic (blocks, growing, pruning, metadata).

May import ``lines`` (title keys, text normalisation) and ``errors``; knows nothing of rules."""

from .._compat import room_getattr

__getattr__ = room_getattr('extract')  # the old cleaner.extract module's names, deprecated
