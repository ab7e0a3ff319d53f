"""Loading never blocks other users: in the real app (Chromium, embedded models), while one session
uploads the slowest file of the bad-file corpus, another session's question gets its sources on screen
before that upload has finished (the file is parsed in a child process, in the upload's own queue, and
the chat shows the retrieved passages before the model's first token)."""

from __future__ import annotations

import time
import zlib

import pytest

from tests.fixtures.badfiles import _pdf_raw
from tests.fixtures.browser import browser, served

pytestmark = [pytest.mark.realmodel, pytest.mark.system]


def test_a_slow_upload_does_not_hold_back_another_users_sources(real, tmp_path):
    worst = tmp_path / "mange-operatorer.pdf"  # ~10 s of pypdf text extraction on 2 cores
    worst.write_bytes(_pdf_raw(zlib.compress(b"BT /F1 1 Tf " + b"(a) Tj 0 0 Td " * 800_000 + b"ET", 9),
                               filters=b" /Filter /FlateDecode"))
    with served(real) as url, browser() as new_page:
        uploader, asker = new_page(), new_page()
        uploader.goto(url)
        asker.goto(url)
        uploader.get_by_role("tab", name="Dokumenter").click()
        uploader.locator("#udb-upload input[type=file]").set_input_files(str(worst))
        # Gradio shows the file's stem and extension in separate elements, so wait for the stem.
        uploader.locator("#udb-upload").get_by_text("mange-operatorer").first.wait_for()
        asker.locator("#udb-question textarea").fill("Hvad er formålet med principperne for cirkulær emballage?")

        uploader.locator("#udb-index").click()
        started = time.perf_counter()
        time.sleep(1.0)  # let the upload's child process get going
        asked = time.perf_counter()
        asker.locator("#udb-ask").click()
        asker.locator("#udb-sources .udb-source").first.wait_for(timeout=60_000)
        sources_at = time.perf_counter()
        uploader.locator("#udb-index-status").get_by_text("mange-operatorer.pdf").wait_for(timeout=120_000)
        upload_done = time.perf_counter()
        print(f"\nsecond user's sources after {sources_at - asked:.2f} s; the upload took "
              f"{upload_done - started:.2f} s")
        assert sources_at < upload_done, "the question waited for the upload"
        assert "❌" in uploader.locator("#udb-index-status").inner_text()
