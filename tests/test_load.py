from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.load import LoadError, LoadLimits, doc_id_for, load_file
from tests.conftest import CORPUS
from tests.fixtures.files import make_docx, make_encrypted_pdf, make_pdf, make_zip_not_docx, truncated_copy


def test_markdown_text_is_kept_verbatim_with_metadata_and_headings():
    path = CORPUS / "kl-sammen-om-indkoeb-og-forbrug-2024.md"
    doc = load_file(path)
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.meta.title == "Sammen om indkøb og forbrug – Inspirations- og casemateriale"
    assert (doc.meta.publisher, doc.meta.year, doc.meta.kind) == ("KL", "2024", "casemateriale")
    offset = doc.text.index("Aarhus Kommune har indført en klimaafgift")
    path_there = doc.heading_path_at(offset)
    assert path_there[-1] == "Klimaafgift på udvalgte produkter og ydelser i Aarhus Kommune og Københavns Kommune"
    assert "**" not in " ".join(path_there)


def test_doc_id_is_a_stable_ascii_slug():
    assert doc_id_for(Path("Indkøbspolitik Æblevej 2025.PDF")) == "indkoebspolitik-aeblevej-2025"


def test_pdf_keeps_page_numbers_and_title(tmp_path):
    pdf = make_pdf(tmp_path / "politik.pdf", ["Side et om indkøb.", "Miljøkrav til rengøring på side to."],
                   title="Indkøbspolitik")
    doc = load_file(pdf)
    assert doc.meta.title == "Indkøbspolitik"
    assert doc.page_at(doc.text.index("Miljøkrav")) == 2
    assert doc.page_at(doc.text.index("Side et")) == 1


def test_docx_keeps_heading_paths_and_tables(tmp_path):
    path = make_docx(tmp_path / "politik.docx", [
        ("h1", "Indkøbspolitik"), ("p", "Indledning."),
        ("h2", "Miljø"), ("p", "Vi køber svanemærket rengøring."),
    ], table=[["Område", "Krav"], ["Rengøring", "Svanemærket eller tilsvarende"]])
    doc = load_file(path)
    assert doc.heading_path_at(doc.text.index("Vi køber")) == ("Indkøbspolitik", "Miljø")
    assert "Rengøring | Svanemærket eller tilsvarende" in doc.text
    assert doc.meta.title == "Indkøbspolitik"


def test_pdf_with_empty_user_password_opens(tmp_path):
    pdf = make_encrypted_pdf(tmp_path / "laast.pdf", "Kun udskrivning er begrænset.", user_password="")
    assert "udskrivning" in load_file(pdf).text


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("make, expected", [
    (lambda d: _write(d / "tom.pdf", b""), "er tom"),
    (lambda d: make_encrypted_pdf(d / "hemmelig.pdf", "fortroligt", user_password="1234"), "krypteret"),
    (lambda d: truncated_copy(make_pdf(d / "hel.pdf", ["tekst " * 200]), d / "halv.pdf"), "beskadiget"),
    (lambda d: _write(d / "falsk.pdf", b"hej, jeg er ikke en pdf"), "ikke en gyldig PDF"),
    (lambda d: make_pdf(d / "scannet.pdf", [""]), "ingen tekst"),
    (lambda d: make_zip_not_docx(d / "falsk.docx"), "beskadiget"),
    (lambda d: truncated_copy(make_docx(d / "hel.docx", [("p", "x" * 5000)]), d / "halv.docx"), "beskadiget"),
    (lambda d: _write(d / "regneark.xlsx", b"PK\x03\x04"), "understøttes ikke"),
    (lambda d: _write(d / "binær.txt", b"\x00\x01\x02binary"), "ikke en tekstfil"),
    (lambda d: d / "findes-ikke.md", "findes ikke"),
])
def test_bad_files_get_a_clear_danish_error(tmp_path, make, expected):
    path = make(tmp_path)
    with pytest.raises(LoadError) as err:
        load_file(path)
    assert expected in str(err.value)
    assert path.name in str(err.value) or "findes ikke" in expected


def test_oversized_and_too_many_pages_are_refused(tmp_path):
    big = tmp_path / "stor.md"
    big.write_text("# Stor\n\n" + "tekst " * 50_000, encoding="utf-8")
    with pytest.raises(LoadError, match="grænsen er 0.1 MB"):
        load_file(big, LoadLimits(max_mb=0.1))
    pdf = make_pdf(tmp_path / "lang.pdf", [f"side {i}" for i in range(5)])
    with pytest.raises(LoadError, match="har 5 sider; grænsen er 3"):
        load_file(pdf, LoadLimits(max_pages=3))


def test_cp1252_text_is_read_without_losing_danish_letters(tmp_path):
    path = tmp_path / "gammel.txt"
    path.write_bytes("Kravspecifikation for æbler og øl på Ærø".encode("cp1252"))
    assert load_file(path).text == "Kravspecifikation for æbler og øl på Ærø"
