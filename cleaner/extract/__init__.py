"""HTML to text: trafilatura plus our own block logic (blocks, growing, pruning, metadata).

May import ``lines`` (title keys, text normalisation) and ``errors``; knows nothing of rules."""
