"""The provenance fields a cleaned document carries in its metadata, whatever the pipeline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..sinks.records import removal_fields

if TYPE_CHECKING:
    from ..document import CleanResult
    from ..pipeline import Cleaner


def provenance(cleaner: "Cleaner", result: "CleanResult") -> dict[str, Any]:
    """What cleaned the document and what it removed, as in ``cleaner run``'s records."""
    out = removal_fields(cleaner, result)
    if "extraction" in result.metadata:
        out["extraction"] = result.metadata["extraction"]
    if result.rejected:
        out["rejected"], out["rejected_detail"] = result.rejected, result.detail
    return out
