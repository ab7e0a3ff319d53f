"""A buyer's and a reviewer's working day in Debian's Chromium, on a laptop (1366×768) and a phone (390 px).

The buyer asks the sources (the question shows at once, then the sources), brings an earlier answer's sources
back, drafts a requirement, switches it to a next-best template, files it, fills its open slots, edits and
undoes, removes and undoes; the reviewer approves it; the bidder's Word version is downloaded and opened.
Every tab is checked with axe-core (no serious or critical violations), every step is saved as a screenshot
and the times from send to the first visible sign of work and to the sources are written next to them.

A scripted model keeps the test exact and fast; the app, index, clause library and workspace are the real
ones, and so is the browser.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time

import pytest
from docx import Document
from pypdf import PdfReader

from assistant.services import Services
from tests.fixtures.browser import accessibility, artefacts_dir, browser, fill_open_slots, pick_option, served
from tests.fixtures.fakes import ScriptedChatModel

pytestmark = pytest.mark.system

VIEWPORTS = {"laptop": (1366, 768), "phone": (390, 844)}
TABS = ("Spørg kilderne", "Udarbejd krav", "Udbud", "Juridisk gennemgang", "Eksportér", "Dokumenter")
QUESTION = "Hvor meget faldt Aarhus' forbrug af oksekød efter klimaafgiften?"
SECOND = "Hvad er formålet med principperne for cirkulær emballage?"
REQUEST = "Genbrugelig emballage ved levering af kontorartikler"
TENDER = "Rammeaftale om kontorartikler 2027"


def _services(settings, embedder) -> Services:
    services = Services.build(settings, embedder=embedder, chat_model=ScriptedChatModel(replies=["x"]))
    services.indexer.sync()
    n = next(i for i, p in enumerate(services.retriever.search(QUESTION, settings.retrieve_k), 1)
             if "30 pct" in p.chunk.text)
    services.answerer.chat_model = ScriptedChatModel(replies=[
        f"Forbruget af oksekød faldt med over 30 pct. [{n}]", "Det fremgår ikke af kilderne."])
    services.drafter.chat_model = ScriptedChatModel(replies=["ikke json"])  # the template's own text
    services.drafter.min_template_similarity = 0.15  # the bag-of-words embedder scores low
    return services


def _tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


def _ask(page, question: str) -> tuple[float, float]:
    """Send with Enter; seconds until the question is on screen, and until the sources are."""
    box = page.locator("#udb-question textarea")
    box.fill(question)
    sources_before = page.locator("#udb-sources").inner_text()
    start = time.perf_counter()
    box.press("Enter")
    page.locator("#udb-chat").get_by_text(question).wait_for()
    shown = time.perf_counter() - start
    page.wait_for_function("([el, before]) => el.innerText !== before && el.querySelector('.udb-source')",
                           arg=[page.locator("#udb-sources").element_handle(), sources_before])
    return shown, time.perf_counter() - start


def _buyer_asks(page, shots, timings: dict) -> None:
    timings["question_on_screen_s"], timings["sources_on_screen_s"] = _ask(page, QUESTION)
    chat = page.locator("#udb-chat")
    chat.get_by_text("Sammenfattet").wait_for()
    assert "30 pct" in page.locator("#udb-sources").inner_text()
    shots("1-svar")
    timings["second_question_on_screen_s"], _ = _ask(page, SECOND)
    chat.get_by_text("Det fremgår ikke af kilderne").wait_for()
    page.wait_for_function("() => !document.querySelector('#udb-sources').innerText.includes('30 pct')")
    # A [1] in the first answer brings that answer's sources back and opens its first passage.
    chat.locator("a[href='#udb-src-1-1']").first.click()
    passage = page.locator("#udb-src-1-1")
    passage.wait_for()
    assert "30 pct" in passage.inner_text()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'udb-src-1-1'")
    assert len(page.context.pages) == 1  # no new tab
    passage.get_by_text("Vis teksten omkring uddraget").click()
    passage.locator("details[open] mark.udb-span").first.wait_for()
    shots("1b-kilde-aabnet")
    # A reload keeps the name and the conversation with each answer's sources (the browser's storage).
    page.reload()
    page.locator("#udb-chat").get_by_text(SECOND).wait_for()
    assert page.locator("#udb-who input, #udb-who textarea").first.input_value() == "Ida Indkøber"
    page.locator("#udb-chat a[href='#udb-src-1-1']").first.click()
    page.locator("#udb-src-1-1").wait_for()


def _buyer_drafts_and_files(page, shots) -> str:
    _tab(page, "Udbud")
    page.get_by_label("Navn", exact=True).fill(TENDER)
    page.get_by_label("Ordregiver", exact=True).fill("Testrup Kommune")
    page.get_by_label("Kategori", exact=True).fill("kontorartikler")
    page.locator("#udb-create").click()
    page.locator("#udb-create-status").get_by_text("Udbuddet er oprettet").wait_for()

    _tab(page, "Udarbejd krav")
    page.get_by_label("Hvilket krav har du brug for?").fill(REQUEST)
    page.locator("#udb-draft").click()
    page.locator("#udb-cards .udb-card").first.wait_for()
    page.locator("#udb-cards .udb-drafting").wait_for(state="detached")
    cards = page.locator("#udb-cards")
    assert "Andre skabeloner, der kan passe" in cards.inner_text()
    first_title = cards.locator(".udb-card h3").first.inner_text()
    # The buyer switches the card to the first of its next-best templates.
    page.locator("#udb-other-template input").click()
    page.get_by_role("option").first.click()
    page.locator("#udb-switch").click()
    page.wait_for_function("(old) => { const h = document.querySelector('#udb-cards .udb-card h3');"
                           " return h && h.innerText !== old && !document.querySelector('#udb-cards .udb-drafting'); }",
                           arg=first_title)
    title = cards.locator(".udb-card h3").first.inner_text()
    shots("2-kravkort")
    page.locator("#udb-add").click()
    page.locator("#udb-add-status").get_by_text("er tilføjet til afsnittet").wait_for()
    page.locator("#udb-add").click()  # a second press must not file it twice
    page.locator("#udb-add-status").get_by_text("står allerede i udbuddet").wait_for()
    return title


def _buyer_edits_and_undoes(page, shots, title: str) -> None:
    fill_open_slots(page, title)
    status = page.locator("#udb-entry-status")
    text_box = page.get_by_label("Kravtekst", exact=True)
    original = text_box.input_value()
    text_box.fill(original + " Leverandøren skal også tage paller retur.")
    page.locator("#udb-save-entry").click()
    status.get_by_text("Gemt som version").wait_for()
    page.locator("#udb-undo").click()
    status.get_by_text("er fortrudt").wait_for()
    assert text_box.input_value() == original
    page.locator("#udb-remove").click()
    status.get_by_text("er fjernet fra udbuddet").wait_for()
    page.locator("#udb-undo").click()
    status.get_by_text("er sat ind igen").wait_for()
    shots("3-udbud")


def _reviewer_approves(page, shots, title: str) -> None:
    _tab(page, "Juridisk gennemgang")
    pick_option(page, "udb-review-pick", f"· {title} · udkast")
    page.locator("#udb-review-view").get_by_text("K3.1").wait_for()  # opened before a status is chosen
    page.get_by_label("godkendt", exact=True).check()
    page.get_by_label("Kommentar", exact=True).fill("Proportionalt og knyttet til kontraktens genstand.")
    page.locator("#udb-review-save").click()
    page.locator("#udb-review-message").get_by_text("er sat til «godkendt»").wait_for()
    shots("4-gennemgang")


def _bidder_version(page, shots, folder):
    _tab(page, "Eksportér")
    page.get_by_label("Udbudsversion (til tilbudsgivere)").check()
    page.locator("#udb-export").click()
    page.locator("#udb-export-message").get_by_text("klar til download").wait_for()
    with page.expect_download() as info:
        page.locator("#udb-export-file a").first.click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    shots("5-eksport")
    return target


def _rendered_pages(docx, folder) -> list[str]:
    """The bidder's Word file as LibreOffice renders it: the PDF's page texts, and each page as a PNG in the
    artefacts (what a person looks at)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing; 'make test' installs it."
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/lo-profile", "--convert-to",
                    "pdf", "--outdir", str(folder), str(docx)], check=True, capture_output=True, timeout=180)
    pdf = docx.with_suffix(".pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(folder / "udbudsversion-side")], check=True,
                   timeout=120)
    shutil.rmtree(folder / "lo-profile", ignore_errors=True)
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages]


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_buyers_and_a_reviewers_day(settings, embedder, device):
    folder = artefacts_dir(f"browser-day-{device}")
    services = _services(settings, embedder)
    timings: dict[str, float] = {}
    blocking: list[str] = []
    with served(services) as url, browser(*VIEWPORTS[device]) as new_page:
        page = new_page()

        def shots(step: str) -> None:
            page.screenshot(path=str(folder / f"{step}.png"), full_page=True)

        page.goto(url)
        page.locator("#udb-who input, #udb-who textarea").first.fill("Ida Indkøber")
        # Above the fold on arrival: the question box and its send button.
        box = page.locator("#udb-question textarea").bounding_box()
        assert (box and box["y"] + box["height"] <= VIEWPORTS[device][1]) or device == "phone", box
        assert all(page.get_by_role("tab", name=t, exact=True).is_visible() for t in TABS)  # none behind "⋯"
        _buyer_asks(page, shots, timings)
        title = _buyer_drafts_and_files(page, shots)
        _buyer_edits_and_undoes(page, shots, title)
        _reviewer_approves(page, shots, title)
        docx = _bidder_version(page, shots, folder)
        for tab in TABS:
            _tab(page, tab)
            page.wait_for_timeout(300)
            blocking += accessibility(page, tab, folder)
            if tab in ("Spørg kilderne", "Dokumenter"):
                shots(f"fane-{tab.split()[0].lower()}")
    services.close()
    (folder / "timings.json").write_text(json.dumps(timings, indent=1), encoding="utf-8")
    print(f"\n{device}: " + ", ".join(f"{k} {v:.2f}" for k, v in timings.items()))
    assert not blocking, "\n".join(blocking)
    doc = Document(docx)
    body = "\n".join(p.text for p in doc.paragraphs)
    footer = "\n".join(p.text for p in doc.sections[0].footer.paragraphs)
    assert f"K3.1 {title}" in body and "ikke underbygget" not in body and "Kildenoter" not in body
    assert footer.startswith(f"Testrup Kommune · {TENDER}")
    if device == "laptop":  # rendered once: LibreOffice takes some seconds
        pages = _rendered_pages(docx, folder)
        assert pages[0].startswith(TENDER) and f"Side 1 af {len(pages)}" in pages[0]
        assert f"K3.1 {title}" in " ".join(pages) and "Kildenoter" not in " ".join(pages)
