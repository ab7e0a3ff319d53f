"""How current a source is: a strategy whose period has ended is still a source, but the buyer must be told
so, together with the date of the newest material in the corpus (LEGAL-REVIEW: the 2020-2024 strategy)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from assistant.search.catalog import Catalog
from assistant.types import DocumentMeta

# "2020-2024" / "2020–2024" in a title (our metadata, bounded and linear: no nested repetition).
_PERIOD = re.compile(r"\b((?:19|20)\d\d)\s?[-–]\s?((?:19|20)\d\d)\b")
_PERIOD_KINDS = {"strategi", "politik", "handleplan"}


def period_end(meta: DocumentMeta) -> int | None:
    """The last year of the period a strategy or policy covers, read from its title."""
    if meta.kind.lower() not in _PERIOD_KINDS:
        return None
    found = _PERIOD.search(meta.title[:300])
    return int(found.group(2)) if found else None


def dating_notes(doc_ids: Iterable[str], catalog: Catalog, today: date | None = None) -> list[str]:
    """One Danish note per cited document whose period has ended, naming the newest other material."""
    year = (today or date.today()).year
    entries = {e.meta.doc_id: e.meta for e in catalog.entries()}
    notes = []
    for doc_id in dict.fromkeys(doc_ids):
        meta = entries.get(doc_id)
        end = period_end(meta) if meta else None
        if meta is None or end is None or end >= year:
            continue
        newer = sorted((m for m in entries.values() if m.doc_id != doc_id and m.year.isdigit()
                        and int(m.year) > end - 1 and period_end(m) is None and m.kind != "resumé"),
                       key=lambda m: m.year, reverse=True)
        note = (f"«{meta.title}» gælder for en periode, der sluttede i {end}; kontrollér, at det stadig "
                "svarer til gældende politik.")
        if newer:
            note += f" Det nyeste materiale i korpus er «{newer[0].title}» ({newer[0].publisher}, {newer[0].year})."
        notes.append(note)
    return notes
