"""A datatrove pipeline step: clean each document's text, keep why in its metadata::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.integrations.datatrove import CleanerFilter

    LocalPipelineExecutor([JsonlReader("in/"), CleanerFilter(), JsonlWriter("out/")]).run()

:class:`CleanerFilter` is a datatrove filter that also rewrites the text (a modifier): kept
documents go on with their clean text and the provenance keys of :mod:`._provenance` in
``metadata``, beside the document's own keys, which are never overwritten (where one is taken,
the provenance goes whole under ``metadata["cleaner"]``, as in ``cleaner run``); a document that cleaning empties is dropped with its reject reason (datatrove
counts ``dropped_<reason>``, and an ``exclusion_writer`` gets it with ``filter_reason``).
"""

from __future__ import annotations

from typing import Any

from ..errors import DocumentError
from ..settings import Config
from ..sinks.records import place_provenance
from ._provenance import provenance

try:
    from datatrove.pipeline.filters.base_filter import BaseFilter
except ImportError:  # pragma: no cover - the message is the point
    raise ImportError("cleaner.integrations.datatrove needs datatrove: "
                      "pip install 'boilerclean[datatrove]'") from None


class CleanerFilter(BaseFilter):
    """Clean ``doc.text`` (plain text, or HTML with ``html=True``) with cleaner's rules.

    ``config`` is a :class:`cleaner.Config`; the rules are compiled once per worker process,
    on the first document, so the step pickles as datatrove's executors need.
    """

    name = "🧹 cleaner"

    def __init__(self, config: Config | None = None, *, html: bool = False,
                 exclusion_writer: Any = None):
        super().__init__(exclusion_writer)
        self.config = config or Config()
        self.html = html
        self._cleaner = None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_cleaner"] = None  # compiled automata stay in the process that built them
        return state

    def filter(self, doc) -> bool | tuple[bool, str]:
        if self._cleaner is None:
            from ..pipeline import Cleaner

            self._cleaner = Cleaner(self.config)
        url = doc.metadata.get("url")
        url = url if isinstance(url, str) else None
        try:
            if self.html:
                result = self._cleaner.clean_html(doc.text, url=url)
            else:
                result = self._cleaner.clean_text(doc.text, url=url)
        except DocumentError as exc:
            doc.metadata = place_provenance(doc.metadata, {"rejected": exc.reason, "rejected_detail": exc.detail})
            return False, exc.reason
        doc.metadata = place_provenance(doc.metadata, provenance(self._cleaner, result))
        if result.rejected:
            return False, result.rejected
        self.stat_update("chars_removed", value=result.chars_removed)
        doc.text = result.text
        return True
