"""Open slots as the buyer and the reviewer meet them, in Debian's Chromium: the card marks each gap in its
own style, the buyer fills one in the Udbud tab, and approving a card that still has open slots is refused
with the slots named. A scripted model keeps the test exact; the app, index,
library and workspace are the real ones."""

from __future__ import annotations

import os

import pytest

from assistant.services import Services
from tests.fixtures.browser import browser, served
from tests.fixtures.fakes import ScriptedChatModel
from tests.fixtures.tenders import build_tender

pytestmark = pytest.mark.system


def _pick(page, elem_id: str, text: str) -> None:
    page.locator(f"#{elem_id} input").click()
    page.get_by_role("option", name=text).first.click()


def test_the_buyer_fills_a_slot_and_approval_with_open_slots_is_refused(settings, embedder):
    services = Services.build(settings, embedder=embedder, chat_model=ScriptedChatModel(replies=["ikke json"]))
    services.indexer.sync()
    tender_id = build_tender(services)
    entry = next(e for s in services.workspace.snapshot(tender_id).sections for e in s.entries)
    slot = next(s for s in entry.card.slots if not s.value)
    value = "7" if slot.kind == "tal" else "universal- og gulvrengøringsmidler"
    with served(services) as url, browser() as new_page:
        page = new_page()
        page.goto(url)
        page.locator("#udb-who input, #udb-who textarea").first.fill("Ida Indkøber")
        _pick(page, "udb-tender", "Rammeaftale om rengøringsartikler 2027")
        page.get_by_role("tab", name="Udbud", exact=True).click()
        page.locator("#udb-entry-pick input").click()
        page.get_by_role("option").first.click()
        page.get_by_text("Åbnet K1.1").wait_for(timeout=30_000)
        assert f"«{slot.label}»" in page.locator("body").inner_text()
        assert page.locator(".udb-card mark.udb-slot").count() >= 1
        _pick(page, "udb-slot-pick", slot.label)
        page.locator("#udb-slot-value input, #udb-slot-value textarea").first.fill(value)
        page.locator("#udb-fill-slot").click()
        page.get_by_text("Feltet er udfyldt").wait_for(timeout=30_000)
        filled = services.workspace.entry(entry.entry_id).card
        assert next(s for s in filled.slots if s.id == slot.id).value == value
        assert f"«{slot.label}»" not in filled.text + filled.documentation + filled.follow_up
        if os.environ.get("UDB_TEST_ARTEFACTS"):
            page.screenshot(path=f"{os.environ['UDB_TEST_ARTEFACTS']}/slot-filled.png", full_page=True)

        # The reviewer approves a requirement that still has open slots.
        number, still_open = next((n, e) for _, _, entries in services.workspace.snapshot(tender_id).numbered()
                                  for n, e in entries if e.card.open_slots)
        page.get_by_role("tab", name="Juridisk gennemgang").click()
        _pick(page, "udb-review-pick", f"{number} · {still_open.card.title}")
        page.locator("#udb-review-view").get_by_text(number).wait_for()  # opened before a status is chosen
        page.get_by_label("godkendt").check()
        page.locator("#udb-review-save").click()
        message = page.locator("#udb-review-message")
        message.get_by_text("kan ikke godkendes").wait_for(timeout=30_000)
        assert all(f"«{label}»" in message.inner_text() for label in still_open.card.open_slots)
        assert services.workspace.entry(still_open.entry_id).status == "udkast"
        assert page.locator("#udb-review-confirm").count() == 0
        if os.environ.get("UDB_TEST_ARTEFACTS"):
            page.screenshot(path=f"{os.environ['UDB_TEST_ARTEFACTS']}/slot-approval.png", full_page=True)
    services.close()
