"""LibreOffice (headless) opens the exported Word file and renders it to a PDF
that holds the expected text. Needs Debian's libreoffice-writer; never skipped."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from pypdf import PdfReader

from assistant.cli.main import run
from assistant.settings import Settings
from tests.test_example_tender import EXAMPLE

pytestmark = pytest.mark.system


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice is missing; 'make test' installs it (apt-get install libreoffice-writer-nogui)."
    return found


def test_the_exported_example_converts_to_pdf_with_its_text(tmp_path):
    out = tmp_path / "bilag.docx"
    code = run(["export", str(EXAMPLE), "-o", str(out), "--review-annex"], lambda: None,
               settings_factory=lambda: Settings(data_dir=tmp_path / "data", _env_file=None))
    assert code == 0
    result = subprocess.run(
        [_soffice(), "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(out)], capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "bilag.pdf"
    assert result.returncode == 0 and pdf.is_file(), result.stderr
    reader = PdfReader(pdf)
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert len(reader.pages) >= 5
    for expected in ("Rammeaftale om rengøringsartikler 2027", "Testrup Kommune", "1 Miljøkrav",
                     "K1.1 Miljømærkede rengøringsmidler", "K4.2", "Kildenoter", "Kildefortegnelse",
                     "Bilag: Juridisk gennemgang", "Jonas Jurist", "ikke underbygget", "Fælleskommunal"):
        assert expected in text, expected
