"""A function for Hugging Face ``datasets.Dataset.map(batched=True)``.

>>> from datasets import Dataset, disable_progress_bars
>>> disable_progress_bars()
>>> from cleaner.integrations.hf import clean_batch
>>> ds = Dataset.from_dict({"text": ["Sign up now for unlimited free access to\\nThe minister resigned."]})
>>> ds.map(clean_batch, batched=True)[0]["text"]
'The minister resigned.'

Every row comes back (``map`` keeps the row count): the clean ``text``, and new columns
``cleaner_rejected`` (the reject reason, or ``""``: a None column would be typed null by a
first batch with no reject, and datasets could not then write a reason) and ``cleaner_removed`` (the removals as
JSON, which replays the source to the output). Drop rejects afterwards with
``ds.filter(lambda r: not r["cleaner_rejected"])``. :class:`CleanBatch` takes a
:class:`cleaner.Config` and the column names.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import DocumentError
from ..settings import Config


class CleanBatch:
    """A batched ``map`` function cleaning ``text_column`` (HTML with ``html=True``).

    It pickles and hashes by its settings (``datasets`` fingerprints it for its cache, and
    ``num_proc`` sends it to other processes); the rules are compiled once per process.
    """

    def __init__(self, config: Config | None = None, *, text_column: str = "text",
                 html: bool = False, url_column: str | None = "url"):
        self.config = config or Config()
        self.text_column, self.html, self.url_column = text_column, html, url_column
        self._cleaner = None

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_cleaner": None}

    def __call__(self, batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        if self._cleaner is None:
            from ..pipeline import Cleaner

            self._cleaner = Cleaner(self.config)
        clean = self._cleaner.clean_html if self.html else self._cleaner.clean_text
        urls = batch.get(self.url_column) if self.url_column else None
        out_text, rejected, removed = [], [], []
        for i, value in enumerate(batch[self.text_column]):
            url = urls[i] if urls is not None and isinstance(urls[i], str) else None
            try:
                if value is None:
                    raise DocumentError("missing_field", f"'{self.text_column}' is None")
                result = clean(value, url=url)
            except DocumentError as exc:
                out_text.append("")
                rejected.append(exc.reason)
                removed.append("[]")
                continue
            out_text.append(result.text)
            rejected.append(result.rejected or "")
            removed.append(json.dumps([r.as_dict() for r in result.removals], ensure_ascii=False))
        return {**batch, self.text_column: out_text, "cleaner_rejected": rejected,
                "cleaner_removed": removed}


clean_batch = CleanBatch()
clean_batch.__doc__ = "Clean the ``text`` column of a batch with the shipped rules (see the module docstring)."
