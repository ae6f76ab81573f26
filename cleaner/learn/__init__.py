"""Learning from a corpus: mining repeated lines per site and writing them as a rule pack.

May import ``sources``, ``extract``, ``lines``, ``rules`` and ``settings``."""
