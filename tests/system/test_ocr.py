"""Scanned PDFs are read with Debian's tesseract (Danish), page by page: the words become searchable, every
location says the text was recognised by OCR and names its page, a page with a real text layer is left as it
is, and too many scanned pages or OCR switched off get one Danish sentence. Needs tesseract-ocr and
tesseract-ocr-dan (make test installs them); never skipped."""

from __future__ import annotations

import pytest

from assistant.errors import LoadError
from assistant.ingest.load import LoadLimits, load_file
from assistant.ingest.ocr import OCR_HEADING, available
from assistant.services import Services
from tests.fixtures.scans import scanned_pdf

pytestmark = pytest.mark.system


def test_tesseract_with_danish_is_installed():
    import subprocess

    assert available() is None, available()
    assert "dan" in subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split()


def test_a_scanned_pdf_is_read_page_by_page_and_marked_as_ocr(tmp_path):
    path = tmp_path / "indkoebspolitik-scannet.pdf"
    path.write_bytes(scanned_pdf(text_page="Denne side har et rigtigt tekstlag om affald."))
    doc = load_file(path)
    assert "genbrugelig emballage" in doc.text and "Emballagen hentes retur" in doc.text  # æ, ø, å read right
    assert "hvert kvartal" in doc.text and "rigtigt tekstlag om affald" in doc.text
    assert [(s.heading_path, doc.page_at(s.start)) for s in doc.sections] == [
        ((OCR_HEADING,), 1), ((OCR_HEADING,), 2), ((), 3)]
    with pytest.raises(LoadError, match="2 scannede sider .* højst 1 sider pr. fil"):
        load_file(path, LoadLimits(ocr_max_pages=1))
    only_scans = tmp_path / "kun-scanning.pdf"
    only_scans.write_bytes(scanned_pdf())
    with pytest.raises(LoadError, match="slå OCR til"):
        load_file(only_scans, LoadLimits(ocr=False))


def test_an_uploaded_scan_is_searchable_with_its_page_and_ocr_mark(settings, embedder, tmp_path):
    services = Services.build(settings, embedder=embedder)
    services.indexer.sync()
    scan = tmp_path / "politik-scannet.pdf"
    scan.write_bytes(scanned_pdf())
    report = services.indexer.add_files([scan])
    assert not report.failed, report.failed
    hits = services.retriever.search("genbrugelig emballage retur", 5, doc_ids=["politik-scannet"])
    assert hits and hits[0].chunk.location == f"{OCR_HEADING}; side 1"
    services.close()
