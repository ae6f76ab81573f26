"""HEU010 on the compiled core (``cleaner._core``, Rust in ``core/``): one call per document.

The core computes the same features, scores and decisions as :mod:`cleaner.lines.features`
and :mod:`cleaner.lines.body`, which stay as the reference (``tests/core/test_differential.py``
holds one against the other). The weights and stop words are data handed to the core here,
so retraining (``cleaner/lines/train.py``) needs no Rust change.
"""

from __future__ import annotations

from functools import lru_cache

from ..errors import DocumentError
from .stopwords import STOPWORDS
from .trees import Forest, forest_arrays

try:
    from .._core import CoreError, LineModel
except ImportError:  # a source checkout without the built extension: the reference runs
    CoreError = LineModel = None


@lru_cache(maxsize=8)
def line_model(line: tuple[float, ...], context: tuple[float, ...], cues: tuple[float, ...],
               forest: Forest | None = None):
    """The core's classifier with these weights (one per weights, cues and loaded forest; ``None``
    without the core). With a ``forest`` its trees are the first stage and ``line`` is not read."""
    if LineModel is None:
        return None
    return LineModel(list(line), list(context), list(cues), set(STOPWORDS),
                     forest_arrays(forest) if forest is not None else None)


# The key of the core's settled answers in a document's memo (classify_document).
_SETTLED = object()


def classify_document(model, texts: list[tuple[str, int]], keys: list[str], extra: list[float] | None,
                      bias: float, switch: float, memo: dict | None = None) -> list[bool] | None:
    """Keep or drop for each (feature text, block id) line, from the core in one call.

    ``None`` when the core cannot take the text (a lone surrogate is not UTF-8): the caller
    runs the reference. A failure of the core rejects the document (``core_failed``).

    ``memo`` (optional, one per document): when the core's last round kept every line it was
    given, those lines, given again exactly (texts, block and key patterns, biases), are all
    kept; a later cleaning pass of the document usually hands over just them, and is answered
    here without the core.
    """
    ids: dict[str, int] = {}
    key_ids = [ids.setdefault(k, len(ids)) for k in keys]
    blocks = [b for _, b in texts]
    table = None
    if memo is not None:
        table = memo.get(_SETTLED)
        if table is None:
            table = memo[_SETTLED] = set()
        if table and _settled_key(model, bias, switch, texts, blocks, key_ids, extra) in table:
            return [True] * len(texts)
    try:
        keep, settled = model.classify([t for t, _ in texts], blocks, key_ids, extra, bias, switch)
    except UnicodeEncodeError:
        return None
    except CoreError as exc:
        raise DocumentError("core_failed", str(exc)) from None
    if table is not None and settled:
        kept = [i for i, k in enumerate(keep) if k]
        table.add(_settled_key(model, bias, switch, [texts[i] for i in kept], [blocks[i] for i in kept],
                               [key_ids[i] for i in kept], [extra[i] for i in kept] if extra else extra))
    return keep


def _settled_key(model, bias: float, switch: float, texts: list[tuple[str, int]], blocks: list[int],
                 key_ids: list[int], extra: list[float] | None) -> tuple:
    """What the core's answer depends on: the texts, the patterns of the block and key ids
    (numbered by first appearance), the biases and the model."""
    block_ids: dict[int, int] = {}
    same_keys: dict[int, int] = {}
    return (model, bias, switch, tuple([t for t, _ in texts]),
            tuple([block_ids.setdefault(b, len(block_ids)) for b in blocks]),
            tuple([same_keys.setdefault(k, len(same_keys)) for k in key_ids]),
            tuple(extra) if extra else None)
