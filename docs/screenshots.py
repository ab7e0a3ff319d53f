"""Refresh the README's tender screenshots from the shipped example tender:

    .venv/bin/python docs/screenshots.py

Serves the real app (embedded default, fresh index in a temporary data folder) with
examples/tender-rengoering.json imported, and photographs the buyer's overview and the
legal review of K1.3 (a buyer's edit whose number no source holds, so it is flagged).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.services import Services  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.tenders.tender import read_tender  # noqa: E402
from tests.fixtures.browser import browser, pick_option, served  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(ROOT / "corpus" / "documents", Path(tmp) / "corpus")
        services = Services.build(Settings(corpus_dir=Path(tmp) / "corpus", data_dir=Path(tmp) / "data",
                                           _env_file=None))
        services.indexer.sync()
        services.workspace.import_tender(read_tender(ROOT / "examples" / "tender-rengoering.json"), "import")
        with served(services) as url, browser() as new_page:
            page = new_page()
            page.goto(url)
            page.locator("#udb-who input, #udb-who textarea").first.fill("Jonas Jurist")
            pick_option(page, "udb-tender", "Rammeaftale om rengøringsartikler 2027")
            page.get_by_role("tab", name="Udbud").click()
            pick_option(page, "udb-entry-pick", "K1.3")
            page.locator("#udb-entry-status").get_by_text("Åbnet").wait_for()
            page.wait_for_timeout(500)
            page.screenshot(path=str(ROOT / "docs" / "tender.png"))
            page.get_by_role("tab", name="Juridisk gennemgang").click()
            pick_option(page, "udb-review-pick", "K1.3")
            page.locator(".udb-quote mark.udb-span").first.wait_for()
            page.wait_for_timeout(500)
            page.screenshot(path=str(ROOT / "docs" / "review.png"))
        services.close()


if __name__ == "__main__":
    main()
