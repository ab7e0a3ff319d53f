"""Two app instances at once, as a purchasing community would run them: PostgreSQL (catalog and workspace), a
Chroma server (vectors) and llama.cpp's OpenAI-compatible server (the model), each its own process on loopback,
and two `python app.py` processes on different ports with different data folders. In Debian's Chromium:
- a requirement opened on both instances and saved on the first: the second save gets the stale-edit message;
- a document uploaded on the first is found by a question on the second;
- each instance streams an answer from the shared model server.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from assistant.db import Database
from assistant.settings import ROOT, Settings
from assistant.tenders.workspace import Workspace
from tests.conftest import CORPUS
from tests.fixtures.browser import browser, two_sessions_edit_the_same_requirement
from tests.fixtures.postgres import running_postgres
from tests.fixtures.servers import free_port, http_ready, running

pytestmark = [pytest.mark.realmodel, pytest.mark.system]

TENDER = "Rammeaftale om rengøringsartikler 2027"
QUESTION = "Hvor meget faldt Aarhus' forbrug af oksekød efter klimaafgiften?"


def _chroma() -> str:
    return shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Iterator[dict]:
    """The shared services, the corpus indexed once, the example tender imported, and two app instances."""
    root = tmp_path_factory.mktemp("two-instances")
    shutil.copytree(CORPUS, root / "corpus")
    gguf = Settings(_env_file=None).gguf_path
    assert gguf.is_file(), f"The packaged GGUF is missing at {gguf}; run 'make model' (make test does it)."
    with ExitStack() as stack:
        database_url = stack.enter_context(running_postgres())
        chroma_port, model_port = free_port(), free_port()
        stack.enter_context(running(
            [_chroma(), "run", "--path", str(root / "chroma"), "--host", "127.0.0.1", "--port", str(chroma_port)],
            http_ready(f"http://127.0.0.1:{chroma_port}/api/v2/heartbeat"), root / "chroma.log", timeout_s=60))
        stack.enter_context(running(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1",
             "--port", str(model_port), "--n_ctx", "4096", "--n_threads", "2", "--model_alias", "qwen-local",
             # By default llama-cpp-python's server cuts a running answer short when the next request arrives:
             # with two instances, the first answer came back truncated and was refused.
             "--interrupt_requests", "False"],
            http_ready(f"http://127.0.0.1:{model_port}/v1/models"), root / "model.log", timeout_s=180))
        shared = {**os.environ, "UDB_DATABASE_URL": database_url, "UDB_CHROMA_MODE": "http",
                  "UDB_CHROMA_PORT": str(chroma_port), "UDB_LLM": "openai",
                  "UDB_OPENAI_BASE_URL": f"http://127.0.0.1:{model_port}/v1", "UDB_OPENAI_MODEL": "qwen-local",
                  "UDB_CORPUS_DIR": str(root / "corpus"), "UDB_HOST": "127.0.0.1"}
        setup = {**shared, "UDB_DATA_DIR": str(root / "a")}
        for command in (["index"], ["import", str(ROOT / "examples" / "tender-rengoering.json")]):
            done = subprocess.run([sys.executable, "-m", "assistant", *command], env=setup, cwd=ROOT,
                                  capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, done.stderr[-2000:]
        urls = []
        for name in ("a", "b"):
            port = free_port()
            env = {**shared, "UDB_DATA_DIR": str(root / name), "UDB_PORT": str(port)}
            stack.enter_context(running([sys.executable, "app.py"], http_ready(f"http://127.0.0.1:{port}/"),
                                        root / f"app-{name}.log", timeout_s=180, env=env))
            urls.append(f"http://127.0.0.1:{port}/")
        workspace = Workspace(Database(database_url, "workspace"))
        stack.callback(workspace.close)
        yield {"urls": urls, "workspace": workspace, "root": root}


def _ask(page, url: str, question: str) -> None:
    page.goto(url)
    box = page.locator("#udb-question textarea")
    box.fill(question)
    box.press("Enter")
    page.locator("#udb-chat").get_by_text(question).wait_for()


def test_two_instances_share_the_workspace_the_documents_and_the_model(deployment, tmp_path):
    first_url, second_url = deployment["urls"]
    workspace: Workspace = deployment["workspace"]
    tender = next(t for t in workspace.tenders() if t.name == TENDER)
    section = workspace.sections(tender.tender_id)[0]
    entry = workspace.entries(section.section_id)[0]
    requirement = f"K1.1 · {entry.card.title}"
    upload = tmp_path / "kaffepolitik.md"
    upload.write_text("# Kaffepolitik for Testrup Kommune\n\nTestrup Kommune køber kun kaffe, der er "
                      "Fairtrade-certificeret eller tilsvarende.\n", encoding="utf-8")

    with browser() as new_page:
        refused = two_sessions_edit_the_same_requirement(new_page, (first_url, second_url), TENDER, requirement)
        assert "Genindlæs og ret igen" in refused
        assert workspace.entry(entry.entry_id).card.follow_up == "Ordregiveren følger op hvert kvartal."

        uploader = new_page()
        uploader.goto(first_url)
        uploader.get_by_role("tab", name="Dokumenter", exact=True).click()
        uploader.locator("#udb-upload input[type=file]").set_input_files(str(upload))
        uploader.locator("#udb-upload").get_by_text("kaffepolitik").first.wait_for()
        uploader.locator("#udb-index").click()
        uploader.locator("#udb-index-status").get_by_text("Indekseret: kaffepolitik").wait_for(timeout=120_000)

        asker = new_page()
        _ask(asker, second_url, "Hvilken kaffe køber Testrup Kommune?")
        asker.locator("#udb-sources").get_by_text("Kaffepolitik for Testrup Kommune").first.wait_for(timeout=60_000)

        # Each instance streams an answer from the one model server (the second waits for its turn).
        pages = [new_page(), new_page()]
        for page, url in zip(pages, (first_url, second_url), strict=True):
            _ask(page, url, QUESTION)
        for n, page in enumerate(pages):
            # "Sammenfattet" heads the model's own sentence, shown only once it passed the checker.
            page.wait_for_function("() => /Sammenfattet|fremgår ikke/.test(document.querySelector('#udb-chat')"
                                   ".innerText)", timeout=300_000)
            chat = page.locator("#udb-chat").inner_text()
            page.screenshot(path=str(tmp_path / f"answer-{n}.png"), full_page=True)
            assert "Sammenfattet" in chat, chat[-1500:]
            assert "oksekød" in page.locator("#udb-sources").inner_text()
    served = (deployment["root"] / "model.log").read_text(errors="replace").count("POST /v1/chat/completions")
    assert served >= 3  # the coffee question and one answer from each instance
