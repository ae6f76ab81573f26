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

try:
    from .._core import CoreError, LineModel
except ImportError:  # a source checkout without the built extension: the reference runs
    CoreError = LineModel = None


@lru_cache(maxsize=8)
def line_model(line: tuple[float, ...], context: tuple[float, ...], cues: tuple[float, ...]):
    """The core's classifier with these weights (one per weights and cues; ``None`` without the core)."""
    if LineModel is None:
        return None
    return LineModel(list(line), list(context), list(cues), set(STOPWORDS))


def classify_document(model, texts: list[tuple[str, int]], keys: list[str], extra: list[float] | None,
                      bias: float, switch: float) -> list[bool] | None:
    """Keep or drop for each (feature text, block id) line, from the core in one call.

    ``None`` when the core cannot take the text (a lone surrogate is not UTF-8): the caller
    runs the reference. A failure of the core rejects the document (``core_failed``).
    """
    ids: dict[str, int] = {}
    key_ids = [ids.setdefault(k, len(ids)) for k in keys]
    try:
        return model.classify([t for t, _ in texts], [b for _, b in texts], key_ids, extra, bias, switch)
    except UnicodeEncodeError:
        return None
    except CoreError as exc:
        raise DocumentError("core_failed", str(exc)) from None
