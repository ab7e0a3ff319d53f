"""Check the vetted clause library in corpus/clauses/.

Run from the repository root:  .venv/bin/python corpus/clauses/check_library.py

It loads the library with assistant.clauses.load_library (schema, id prefixes, duplicate ids and
legal-basis references), then checks what the schema cannot:

* every source quote is a verbatim substring of its document (corpus/documents/<doc_id>.md, read the
  way the loader reads it) and does not span a blank line;
* legal_basis.json holds exactly the expected ids, and the § 176 stk. 2 entry is flagged unverified;
* the coverage targets (>= 44 templates, >= 10 per area, >= 20 with sources);
* each template has 3-8 keywords, the agreed revision date, no unexpanded '{…}' markers, and
  a note saying UVERIFICERET wherever it builds on unverified material (circular-packaging
  principles, § 176 stk. 2 service thresholds);
* award criteria state a weight and how they are evaluated.

Prints counts per area, type and ambition level and the number of templates with sources.
Exits 1 with a list of problems if anything fails.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.clauses import AMBITIONS, AREAS, CLAUSES_DIR, TYPES, load_library  # noqa: E402

DOCS_DIR = ROOT / "corpus" / "documents"
REVISED = "2026-11-21"
EXPECTED_LEGAL_IDS = {
    "UBL-2", "UBL-40-48", "UBL-46", "UBL-48", "UBL-157", "UBL-160", "UBL-162", "UBL-165",
    "UBL-166", "UBL-176-1", "UBL-176-2", "UBL-177", "ARBEJDSKLAUSUL-2014", "OECD-UNGP",
}
MIN_TOTAL, MIN_PER_AREA, MIN_WITH_SOURCES = 44, 10, 20
BLANK_LINE = re.compile(r"\n[ \t]*\n")


def document_text(doc_id: str, cache: dict[str, str]) -> str | None:
    if doc_id not in cache:
        path = DOCS_DIR / f"{doc_id}.md"
        if not path.is_file():
            return None
        # Same normalisation as assistant.load._load_text for UTF-8 Markdown.
        text = path.read_bytes().decode("utf-8-sig")
        cache[doc_id] = text.replace("\r\n", "\n").replace("\r", "\n")
    return cache[doc_id]


def main() -> int:
    problems: list[str] = []
    try:
        library = load_library(CLAUSES_DIR)
    except ValueError as exc:
        print(f"FEJL: biblioteket kan ikke indlæses: {exc}")
        return 1
    templates = library.templates

    # Legal basis
    ids = set(library.legal_basis)
    if ids != EXPECTED_LEGAL_IDS:
        problems.append(f"legal_basis.json: mangler {sorted(EXPECTED_LEGAL_IDS - ids)}, "
                        f"uventede {sorted(ids - EXPECTED_LEGAL_IDS)}")
    for basis in library.legal_basis.values():
        if basis.unverified and "UVERIFICERE" not in basis.gist.upper():
            problems.append(f"{basis.id}: unverified=true, men gist siger ikke UVERIFICERET")
    if "UBL-176-2" in library.legal_basis and not library.legal_basis["UBL-176-2"].unverified:
        problems.append("UBL-176-2: tærsklerne for tjenesteydelser er uverificerede; unverified skal være true")
    unverified_basis = {b.id for b in library.legal_basis.values() if b.unverified}

    # Templates
    cache: dict[str, str] = {}
    n_quotes = 0
    for t in templates:
        where = t.id
        if t.revised != REVISED:
            problems.append(f"{where}: revised er {t.revised}, forventet {REVISED}")
        if not 3 <= len(t.keywords) <= 8:
            problems.append(f"{where}: {len(t.keywords)} nøgleord (skal være 3-8)")
        for level, lt in t.levels.items():
            for field in ("text", "documentation", "follow_up"):
                value = getattr(lt, field)
                if "{" in value or "}" in value:
                    problems.append(f"{where}/{level}/{field}: uudfoldet {{…}}-markør")
            if t.type == "tildelingskriterium":
                low = lt.text.lower()
                if "vægt" not in low:
                    problems.append(f"{where}/{level}: tildelingskriterium uden vægt")
                if not any(w in low for w in ("vurderes", "point", "bedst")):
                    problems.append(f"{where}/{level}: tildelingskriterium siger ikke, hvordan der vurderes")
        if t.area == "cirkulær emballage" and "UVERIFICERE" not in t.note.upper():
            problems.append(f"{where}: bygger på principperne for cirkulær emballage; note skal nævne UVERIFICERET")
        if set(t.legal_basis) & unverified_basis and "UVERIFICERE" not in t.note.upper():
            problems.append(f"{where}: bruger {sorted(set(t.legal_basis) & unverified_basis)}; note skal nævne UVERIFICERET")
        for s in t.sources:
            n_quotes += 1
            text = document_text(s.doc_id, cache)
            if text is None:
                problems.append(f"{where}: ukendt dokument {s.doc_id!r} (ingen {s.doc_id}.md)")
            elif s.quote not in text:
                problems.append(f"{where}: citatet findes ikke ordret i {s.doc_id}: {s.quote[:70]!r}")
            if BLANK_LINE.search(s.quote):
                problems.append(f"{where}: citatet går hen over en tom linje: {s.quote[:70]!r}")

    # Coverage
    by_area = Counter(t.area for t in templates)
    by_type = Counter(t.type for t in templates)
    by_level = Counter(level for t in templates for level in t.levels)
    n_levels = Counter(len(t.levels) for t in templates)
    with_sources = sum(1 for t in templates if t.sources)
    if len(templates) < MIN_TOTAL:
        problems.append(f"kun {len(templates)} skabeloner (mindst {MIN_TOTAL})")
    for area in AREAS:
        if by_area[area] < MIN_PER_AREA:
            problems.append(f"området {area!r} har {by_area[area]} skabeloner (mindst {MIN_PER_AREA})")
    if with_sources < MIN_WITH_SOURCES:
        problems.append(f"kun {with_sources} skabeloner med kilder (mindst {MIN_WITH_SOURCES})")

    print(f"Skabeloner i alt: {len(templates)}   juridiske grundlag: {len(library.legal_basis)}")
    print("Pr. område:")
    for area in AREAS:
        print(f"  {area:<22} {by_area[area]:>3}")
    print("Pr. type:")
    for typ in TYPES:
        print(f"  {typ:<22} {by_type[typ]:>3}")
    print("Pr. ambitionsniveau (skabeloner, der har niveauet):")
    for amb in AMBITIONS:
        print(f"  {amb:<22} {by_level[amb]:>3}")
    print("Antal niveauer pr. skabelon: "
          + ", ".join(f"{k} niveau(er): {n_levels[k]}" for k in sorted(n_levels)))
    print(f"Skabeloner med kilder: {with_sources}   citater i alt: {n_quotes} (alle kontrolleret ordret)")

    if problems:
        print(f"\n{len(problems)} problem(er):")
        for p in problems:
            print(f"  - {p}")
        return 1
    print("\nOK: biblioteket består alle kontroller.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
