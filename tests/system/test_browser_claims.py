"""The claim checker as a user sees it, in Debian's Chromium: in the chat the sources' own sentence comes
first, the model's supported sentence follows with its source, and the invented figure is left out with the
reason; in the review view an edited clause with a wrong figure shows the claim as not found (✗) with the
reason. A scripted model keeps the test exact; the app, index and checker are the real ones."""

from __future__ import annotations

import os

import pytest

from assistant.services import Services
from tests.fixtures.browser import browser, served
from tests.fixtures.fakes import ScriptedChatModel
from tests.fixtures.tenders import build_tender

pytestmark = pytest.mark.system

QUESTION = "Hvor meget faldt Aarhus' forbrug af oksekød efter klimaafgiften?"
REPLY = "Afgiften har nedbragt forbruget af oksekød med over 30 pct. [1] Madspildet faldt samtidig med 14 pct. [1]"


def _pick(page, elem_id: str, text: str) -> None:
    page.locator(f"#{elem_id} input").click()
    page.get_by_role("option", name=text).first.click()


def test_an_unsupported_claim_is_marked_in_the_chat_and_in_the_review_view(settings, embedder):
    services = Services.build(settings, embedder=embedder, chat_model=ScriptedChatModel(replies=[REPLY]))
    services.indexer.sync()
    tender_id = build_tender(services)
    entry = next(e for s in services.workspace.snapshot(tender_id).sections for e in s.entries)
    services.workspace.edit_card(entry.entry_id, entry.version, "Ida Indkøber",
                                 {"rationale": "Leverandøren skal reducere emballagen med 37 pct."},
                                 recheck=services.rechecker)
    services.answerer.chat_model = ScriptedChatModel(replies=[REPLY])
    with served(services) as url, browser() as new_page:
        page = new_page()
        page.goto(url)
        page.locator("#udb-question textarea").fill(QUESTION)
        page.locator("#udb-ask").click()
        page.get_by_text("sætning(er) fra sprogmodellen er udeladt").wait_for(timeout=60_000)
        shown = page.locator("body").inner_text()
        assert "Kilderne siger" in shown and "Afgiften har nedbragt forbruget af oksekød med over 30 pct." in shown
        assert "Madspildet faldt samtidig" not in shown  # the invented sentence never reaches the screen
        assert "tallet 14 pct. står ikke i uddraget" in shown
        if os.environ.get("UDB_TEST_ARTEFACTS"):
            page.screenshot(path=f"{os.environ['UDB_TEST_ARTEFACTS']}/chat-claims.png", full_page=True)

        page.locator("#udb-who input, #udb-who textarea").first.fill("Karen Jurist")
        _pick(page, "udb-tender", "Rammeaftale om rengøringsartikler 2027")
        page.get_by_role("tab", name="Juridisk gennemgang").click()
        page.locator("#udb-review-pick input").click()
        page.get_by_role("option").first.click()
        page.locator(".udb-claim-missing").first.wait_for()
        review = page.locator("body").inner_text()
        assert "✗ 37 pct." in review and "står ikke i uddraget" in review
        if os.environ.get("UDB_TEST_ARTEFACTS"):
            page.screenshot(path=f"{os.environ['UDB_TEST_ARTEFACTS']}/review-claims.png", full_page=True)
    services.close()
