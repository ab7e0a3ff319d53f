"""The clause library is data we vouch for: schema, coverage, honesty about
unverified material, and every quote verbatim in the indexed corpus."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from assistant.drafting.clauses import AREAS, load_library
from assistant.ingest.load import load_file
from tests.conftest import CORPUS

LIBRARY = load_library()
TEMPLATES = LIBRARY.templates


def test_the_library_covers_every_area_with_enough_templates():
    by_area = Counter(t.area for t in TEMPLATES)
    assert len(TEMPLATES) >= 40
    assert all(by_area[a] >= 10 for a in AREAS), by_area
    assert sum(1 for t in TEMPLATES if t.sources) >= 20


@pytest.mark.parametrize("template", [t for t in TEMPLATES if t.sources], ids=lambda t: t.id)
def test_every_quote_is_verbatim_in_the_loaded_document(template):
    for source in template.sources:
        text = load_file(CORPUS / f"{source.doc_id}.md").text
        assert source.quote in text, f"{template.id}: {source.quote[:60]!r}"
        assert not re.search(r"\n[ \t]*\n", source.quote)


def test_legal_basis_list_matches_the_domain_brief():
    assert set(LIBRARY.legal_basis) == {
        "UBL-2", "UBL-40-48", "UBL-46", "UBL-48", "UBL-157", "UBL-160", "UBL-162", "UBL-165",
        "UBL-166", "UBL-176-1", "UBL-176-2", "UBL-177", "ARBEJDSKLAUSUL-2014", "OECD-UNGP"}
    trainees = LIBRARY.legal_basis["UBL-176-2"]
    assert trainees.unverified and "UVERIFICERE" in trainees.gist.upper()


def test_unverified_material_is_marked_where_it_is_used():
    unverified = {b.id for b in LIBRARY.legal_basis.values() if b.unverified}
    for t in TEMPLATES:
        if t.area == "cirkulær emballage" or set(t.legal_basis) & unverified:
            assert "UVERIFICERE" in t.note.upper(), t.id


def test_requirement_texts_are_testable_and_award_criteria_say_how_they_are_scored():
    for t in TEMPLATES:
        for level, lt in t.levels.items():
            assert "{" not in lt.text and "}" not in lt.text, (t.id, level)
            if t.type == "tildelingskriterium":
                low = lt.text.lower()
                assert "vægt" in low and any(w in low for w in ("vurderes", "point", "bedst")), (t.id, level)
            elif t.type in ("mindstekrav", "kontraktvilkår"):
                assert re.search(r"\b(skal|må ikke)\b", lt.text), (t.id, level)


def test_a_broken_template_is_refused_with_its_file_and_id(tmp_path):
    (tmp_path / "legal_basis.json").write_text('[{"id": "UBL-2", "rule": "§ 2", "gist": "Ligebehandling."}]',
                                               encoding="utf-8")
    (tmp_path / "x.json").write_text('[{"id": "MK-ABC-01", "title": "Uden felter"}]', encoding="utf-8")
    with pytest.raises(ValueError, match="x.json: MK-ABC-01"):
        load_library(tmp_path)
