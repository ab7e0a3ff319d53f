"""Text for scanned PDF pages: Debian's tesseract (with its Danish model), one page at a time.

A page with no text layer is rendered by poppler's pdftoppm and read by tesseract in Danish (and English, for
the odd English page). It runs inside the loader's child process, so its time and memory count against the
same limits as any other parse; each page also has its own time limit.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from assistant.errors import LoadError

# Shown in the location of every chunk of an OCR'd page (sources panel, review, export notes): a reader should
# know the words were recognised from an image, not copied from the document.
OCR_HEADING = "Scannet side, tekst genkendt med OCR"
_DPI = 200
_PAGE_TIMEOUT_S = 90


def available() -> str | None:
    """None when OCR can run; else the Danish sentence that says what is missing."""
    missing = [b for b in ("pdftoppm", "tesseract") if not shutil.which(b)]
    if missing:
        return ("OCR kræver Debian-pakkerne poppler-utils, tesseract-ocr og tesseract-ocr-dan (make test "
                f"installerer dem); {', '.join(missing)} mangler.")
    return None


def _languages() -> str:
    listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    names = set(listed.split())
    return "+".join(lang for lang in ("dan", "eng") if lang in names) or "eng"


def ocr_pages(pdf: bytes, pages: list[int], name: str) -> dict[int, str]:
    """The recognised text of each of ``pages`` (1-based) of the PDF."""
    problem = available()
    if problem:
        raise LoadError(f"Filen {name} er en scannet PDF uden tekstlag. {problem}")
    languages = _languages()
    found: dict[int, str] = {}
    with tempfile.TemporaryDirectory(prefix="udb-ocr-") as tmp:
        source = Path(tmp) / "scan.pdf"
        source.write_bytes(pdf)
        for page in pages:
            image = Path(tmp) / f"side-{page}"
            try:
                subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(_DPI), "-gray", "-png",
                                "-singlefile", str(source), str(image)], check=True, capture_output=True,
                               timeout=_PAGE_TIMEOUT_S)
                result = subprocess.run(["tesseract", f"{image}.png", "stdout", "-l", languages],
                                        check=True, capture_output=True, timeout=_PAGE_TIMEOUT_S)
            except subprocess.TimeoutExpired as exc:
                raise LoadError(f"OCR af side {page} i {name} tog over {_PAGE_TIMEOUT_S} sekunder; siden er "
                                "for stor eller for tæt. Scan den igen med 300 dpi i sort-hvid.") from exc
            except subprocess.CalledProcessError as exc:
                raise LoadError(f"Side {page} i {name} kunne ikke OCR-behandles; filen er sandsynligvis "
                                "beskadiget.") from exc
            found[page] = result.stdout.decode("utf-8", errors="replace").strip()
            (Path(f"{image}.png")).unlink(missing_ok=True)
    return found
