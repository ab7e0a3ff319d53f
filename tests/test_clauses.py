"""The clause library is data we vouch for: schema, coverage, legal basis that fits the stage,
declared slots instead of placeholders, sanctions stated once, honesty about unverified material,
and every quote verbatim in the indexed corpus with a note of what it supports."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from assistant.drafting.clauses import AREAS, SLOT, load_library
from assistant.ingest.load import load_file
from tests.conftest import CORPUS

CLAUSES = CORPUS.parent / "clauses"


def _library():
    """The whole library; ``UDB_CLAUSE_FILES=a.json,b.json`` checks only those files (while editing one)."""
    only = os.environ.get("UDB_CLAUSE_FILES")
    if not only:
        return load_library()
    subset = Path(tempfile.mkdtemp(prefix="clauses-"))
    for name in ["legal_basis.json", *only.split(",")]:
        shutil.copy(CLAUSES / name.strip(), subset / name.strip())
    return load_library(subset)


LIBRARY = _library()
TEMPLATES = LIBRARY.templates
BY_ID = {t.id: t for t in TEMPLATES}

SANCTION_WORDS = ("bod", "ophæv", "påkrav", "afhjælpningsfrist")
# Wording that ties a requirement to the supplier's whole business instead of the contract (recital 97).
COMPANY_WIDE = ("i egen drift", "virksomhedens samlede", "hele virksomheden", "koncernens")
NATIONAL_ONLY = ("danske affaldspiktogrammer", "dansk uddannelsesaftale", "danske råvarer", "dansk oprindelse")


def test_the_library_covers_every_area_and_stage_with_enough_templates():
    by_area = Counter(t.area for t in TEMPLATES)
    by_type = Counter(t.type for t in TEMPLATES)
    assert len(TEMPLATES) >= 70, len(TEMPLATES)
    assert all(by_area[a] >= 12 for a in AREAS), by_area
    assert by_type["udvælgelse"] >= 3 and by_type["tildelingskriterium"] >= 8, by_type
    assert sum(1 for t in TEMPLATES if t.sources) >= 40


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_legal_basis_follows_the_stage(template):
    assert LIBRARY.basis_problems(template.type, template.legal_basis) == [], template.id
    for ref in template.guidance_refs:
        assert LIBRARY.legal_basis[ref].kind == "vejledning", (template.id, ref)


def test_a_basis_that_does_not_fit_the_stage_is_named():
    assert LIBRARY.basis_problems("kontraktvilkår", ["UBL-176-1", "UBL-162"]) == [
        "Udbudsloven § 162 er ikke grundlag for et kontraktvilkår"]
    assert LIBRARY.basis_problems("mindstekrav", ["UBL-176-1"])[0].startswith("et mindstekrav skal hvile på")
    assert "vejledning" in LIBRARY.basis_problems("kontraktvilkår", ["UBL-176-1", "OECD-UNGP"])[0]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_gaps_are_declared_slots_never_bracket_text(template):
    for text in template.texts():
        assert "[" not in text and "]" not in text, (template.id, text[:80])
        assert "{" not in SLOT.sub("", text) and "}" not in SLOT.sub("", text), (template.id, text[:80])
    for slot in template.slots:
        if slot.kind == "tal":
            assert slot.unit, f"{template.id}: numeric slot {slot.id} needs a unit"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_sanctions_live_in_contract_management_and_minimum_requirements_say_rejection(template):
    for level, lt in template.levels.items():
        follow = lt.follow_up.lower()
        if template.area != "kontraktstyring":
            assert not any(re.search(rf"\b{w}", follow) for w in SANCTION_WORDS), (template.id, level, follow)
        if template.type == "mindstekrav":
            assert "ukonditionsmæssig" in lt.text.lower(), (template.id, level)
            assert "UBL-159" in template.legal_basis, template.id
        if template.type in ("udvælgelse", "tildelingskriterium"):
            assert "kontrakt" in follow or "tildeling" in follow or "tilbud" in follow, (template.id, level)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_requirements_concern_the_contract_and_favour_no_nation(template):
    for text in template.texts():
        low = text.lower()
        assert not any(w in low for w in COMPANY_WIDE), (template.id, text[:80])
        assert not any(w in low for w in NATIONAL_ONLY), (template.id, text[:80])
        if "svanemærke" in low or "eu-blomsten" in low:
            assert "tilsvarende" in low, (template.id, text[:80])
        assert "egnet dokumentation" not in low, f"{template.id}: the statute says 'passende'"
    for label in template.labels:
        assert label.equivalent_accepted


def test_requirement_texts_are_testable_and_award_criteria_say_how_they_are_scored():
    for t in TEMPLATES:
        for level, lt in t.levels.items():
            if t.type == "tildelingskriterium":
                low = lt.text.lower()
                assert "vægt" in low and any(w in low for w in ("vurderes", "point", "bedst")), (t.id, level)
            elif t.type in ("mindstekrav", "kontraktvilkår"):
                assert re.search(r"\b(skal|må ikke)\b", lt.text), (t.id, level)


@pytest.mark.parametrize("template", [t for t in TEMPLATES if t.sources], ids=lambda t: t.id)
def test_every_quote_is_verbatim_in_the_loaded_document(template):
    for source in template.sources:
        assert source.doc_id != "principper-cirkulaer-emballage-resume", (
            f"{template.id}: our own summary says it must not be cited as the principles; cite the KL case")
        text = load_file(CORPUS / f"{source.doc_id}.md").text
        assert source.quote in text, f"{template.id}: {source.quote[:60]!r}"
        assert not re.search(r"\n[ \t]*\n", source.quote)


def test_related_templates_and_versions_are_kept():
    for t in TEMPLATES:
        assert t.id not in t.related and set(t.related) <= set(BY_ID), (t.id, t.related)
        assert [c.version for c in t.changelog] == sorted(c.version for c in t.changelog)
        assert t.scope.product_groups
        if t.scope.cpv and t.scope.cpv_unverified:
            assert "UVERIFICERE" in t.note.upper(), t.id


def test_legal_basis_list_separates_statute_from_guidance():
    kinds = {b.id: b.kind for b in LIBRARY.legal_basis.values()}
    assert kinds["OECD-UNGP"] == "vejledning" and kinds["ARBEJDSKLAUSUL-2014"] == "vejledning"
    assert {"UBL-137", "UBL-140", "UBL-159", "UBL-167"} <= set(kinds)
    trainees = LIBRARY.legal_basis["UBL-176-2"]
    assert trainees.unverified and "UVERIFICERE" in trainees.gist.upper()
    assert "stk. 4, nr. 2" in LIBRARY.legal_basis["UBL-46"].gist


def test_unverified_material_is_marked_where_it_is_used():
    unverified = {b.id for b in LIBRARY.legal_basis.values() if b.unverified}
    for t in TEMPLATES:
        if t.area == "cirkulær emballage" or set(t.legal_basis) & unverified:
            assert "UVERIFICERE" in t.note.upper(), t.id


def test_the_review_findings_stay_fixed():
    fod3 = " ".join(BY_ID["MK-FOD-03"].texts()).lower()
    assert "egen drift" not in fod3 and "levere" in fod3
    elv = " ".join(BY_ID["SA-ELV-01"].texts()).lower()
    assert "tilsvarende" in elv and "personer under oplæring" in elv
    assert "piktogram" not in BY_ID["CE-SOR-01"].levels.get("frontløber", BY_ID["CE-SOR-01"].levels["basis"]).text \
        or "tilsvarende" in BY_ID["CE-SOR-01"].levels["frontløber"].text
    assert "kontraktsum" not in " ".join(BY_ID["KS-BOD-01"].texts()).lower()
    assert "12 måneder" in " ".join(BY_ID["KS-BOD-01"].texts())
    assert "ambitiøse" not in " ".join(BY_ID["CE-PLN-01"].texts()).lower()
    assert "findes på markedet" not in BY_ID["MK-LBL-02"].levels["basis"].text
    bes = " ".join(BY_ID["SA-BES-01"].texts()).lower()
    assert "løntilskud" not in bes and "virksomhedspraktik" not in bes
    assert "udvidet" not in BY_ID["MK-MLS-01"].levels
    assert "UBL-167" in BY_ID["MK-TCO-01"].legal_basis
    assert any("nr. 2" in lt.documentation or "nr. 2" in lt.on_request for lt in BY_ID["MK-LBL-01"].levels.values())


def test_a_broken_template_is_refused_with_its_file_and_id(tmp_path):
    (tmp_path / "legal_basis.json").write_text('[{"id": "UBL-2", "rule": "§ 2", "gist": "Ligebehandling."}]',
                                               encoding="utf-8")
    (tmp_path / "x.json").write_text('[{"id": "MK-ABC-01", "title": "Uden felter"}]', encoding="utf-8")
    with pytest.raises(ValueError, match="x.json: MK-ABC-01"):
        load_library(tmp_path)
