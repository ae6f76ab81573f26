"""The provenance fields a cleaned document carries in its metadata, whatever the pipeline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..sinks.records import EXTRACTION_KEYS, removal_fields

if TYPE_CHECKING:
    from ..document import CleanResult
    from ..pipeline import Cleaner


def provenance(cleaner: "Cleaner", result: "CleanResult") -> dict[str, Any]:
    """What cleaned the document and what it removed, as in ``cleaner run``'s records."""
    out = removal_fields(cleaner, result)
    for key in EXTRACTION_KEYS:
        if key in result.metadata:
            out[key] = result.metadata[key]
    if result.rejected:
        out["rejected"], out["rejected_detail"] = result.rejected, result.detail
    return out
