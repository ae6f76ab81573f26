"""The compiled core of cleaner (Rust, ``core/``): private, used through :mod:`cleaner.lines.compiled`."""

__version__: str
"""The crate version: the package's version (built by ``pip install .``)."""
TABLES: str
"""The Python, Unicode and regex versions its character classes were generated from."""

class CoreError(Exception):
    """The core could not handle a document (bad input, or a panic caught at the boundary)."""

class LineModel:
    """HEU010's weights (FEATURES, CONTEXT and CUES order) and stop words."""

    def __init__(self, line: list[float], context: list[float], cues: list[float], stopwords: set[str]) -> None: ...
    def scores(self, texts: list[str], blocks: list[int]) -> list[float]:
        """``score_lines`` of the (feature text, block id) lines: one round, every line."""
    def classify(self, texts: list[str], blocks: list[int], keys: list[int], extra: list[float] | None,
                 bias: float, switch: float) -> tuple[list[bool], bool]:
        """``classify_lines`` of one document: keep or drop per line (``keys``: equal for equal line keys),
        and whether the last round kept every line it was given (the kept lines are a fixed point)."""

class RuleMatcher:
    """The rule engine's scanned rules: (pattern, unless, case-insensitive, scope, required literal sets) each;
    a rule is tried on a line holding one literal of each of its sets (None: on every line)."""

    def __init__(self, rules: list[tuple[str, str | None, bool, str, list[list[str]] | None]]) -> None: ...
    def in_core(self) -> list[bool]:
        """Per rule: True when the core matches it, False when Python's ``regex`` must."""
    def find(self, texts: list[str]) -> tuple[list[int], list[int], list[int], list[int]]:
        """(line, rule, start, end) of every match in the stripped lines, in line then rule order;
        start -1: a line the prefilter lets through for a rule Python runs."""

def vouch_pattern(pattern: str) -> bool:
    """True when Python's ``regex`` surely compiles ``pattern`` (a rule pattern as the pack loader
    anchored it) and it cannot match the empty string; False: check it with Python."""

def may_hold_controls(raw: bytes) -> bool:
    """Whether a string read from the JSON line ``raw`` may hold a control character
    (``cleaner.sources.jsonline.may_hold_controls``); False: none can."""

class RemovalNames:
    """The rule id and reason of each owner number, as JSON strings (made once per rule set)."""

    def __init__(self, names: list[tuple[str, str]]) -> None: ...
    def __len__(self) -> int: ...

def removals_json(source: str, owners: bytes, lines: bytes, counts: bytes, starts: bytes, ends: bytes,
                  byte_starts: bytes, byte_ends: bytes, names: RemovalNames, compact: bool) -> bytes:
    """The JSON array of one document's removals from the packed columns ``TextCore.clean`` gives."""
