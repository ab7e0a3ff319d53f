"""A shared server in Debian's Chromium: a login is required, a wrong password is refused, and once logged in
the name at the top is the account (read-only, with its role) and an indkøber cannot approve a requirement."""

from __future__ import annotations

import pytest

from assistant.services import Services
from tests.fixtures.browser import browser, pick_option, served
from tests.fixtures.fakes import ScriptedChatModel
from tests.fixtures.tenders import build_tender

pytestmark = pytest.mark.system

PASSWORD = "korrekt hest batteri"


def _login(page, url: str, user: str, password: str) -> None:
    page.goto(url)
    page.locator("input[type=text]").fill(user)
    page.locator("input[type=password]").fill(password)
    page.get_by_role("button", name="Login").click()


def test_a_login_is_required_and_the_account_and_its_role_decide(settings, embedder):
    settings = settings.model_copy(update={"auth": True})
    services = Services.build(settings, embedder=embedder, chat_model=ScriptedChatModel(replies=["ikke json"]))
    services.indexer.sync()
    services.workspace.accounts.add("ida", "indkøber", PASSWORD)
    tender_id = build_tender(services)
    first = next(e for s in services.workspace.snapshot(tender_id).sections for e in s.entries)
    with served(services) as url, browser() as new_page:
        page = new_page()
        _login(page, url, "ida", "forkert adgangskode")
        page.get_by_text("Incorrect Credentials", exact=False).wait_for()
        _login(page, url, "ida", PASSWORD)
        who = page.locator("#udb-who input, #udb-who textarea").first
        page.get_by_text("Logget ind som (indkøber)").wait_for()
        assert who.input_value() == "ida" and not who.is_editable()
        pick_option(page, "udb-tender", "Rammeaftale om rengøringsartikler 2027")
        page.get_by_role("tab", name="Juridisk gennemgang").click()
        pick_option(page, "udb-review-pick", f"K1.1 · {first.card.title}")
        page.locator("#udb-review-view").get_by_text("K1.1").wait_for()  # opened before a status is chosen
        page.get_by_label("afvist", exact=True).check()
        page.locator("#udb-review-save").click()
        page.locator("#udb-review-message").get_by_text("Kun en jurist").wait_for()
    assert services.workspace.entry(first.entry_id).status == "udkast"
    services.close()
