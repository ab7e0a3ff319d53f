"""The model runtime's self-test: a runtime that dies with a signal in the child process becomes one
Danish sentence, the CLI exits 1, and the app keeps search working with the model tabs saying why."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from assistant.cli import main as cli
from assistant.llm.chat import LlamaCppChatModel
from assistant.llm.runtime_check import ModelGate, ModelUnavailable
from assistant.services import Services

# Fake runtimes: a child that dies the way an AMX build dies on a VM, one that fails, one that passes.
SIGILL = [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGILL)"]
SEGV = [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"]
FAILS = [sys.executable, "-c", "import sys; sys.exit('ValueError: Failed to load model from file')"]
PASSES = [sys.executable, "-c", "print('{\"text\": \"ok\"}')"]
HANGS = [sys.executable, "-c", "import time; time.sleep(30)"]


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "model.gguf"
    path.write_bytes(b"GGUF fake")
    return path


def gate(model_file: Path, command, cache: Path | None = None, timeout_s: float = 60) -> ModelGate:
    return ModelGate(model_file, 2, cache, command=command, timeout_s=timeout_s)


def test_sigill_becomes_one_danish_sentence_with_the_fix(model_file):
    g = gate(model_file, SIGILL)
    result = g.result()
    assert not result.ok and "SIGILL" in result.detail
    assert "Illegal instruction" in result.message and "make rebuild-llm" in result.message
    assert "\n" not in result.message
    with pytest.raises(ModelUnavailable, match="kan ikke køre på denne maskine"):
        g.ensure()


def test_other_crashes_exits_and_hangs_are_named(model_file):
    assert "SIGSEGV" in gate(model_file, SEGV).result().message
    failed = gate(model_file, FAILS).result()
    assert not failed.ok and "Failed to load model" in failed.message
    hung = gate(model_file, HANGS, timeout_s=1).result()
    assert not hung.ok and "svarede ikke inden for 1 s" in hung.message


def test_a_pass_is_remembered_until_the_model_or_runtime_changes(model_file, tmp_path):
    cache = tmp_path / "selftest.json"
    assert gate(model_file, PASSES, cache).result().ok and cache.is_file()
    # Same runtime, CPU and model file: the remembered pass is used, the child is not started.
    assert gate(model_file, SIGILL, cache).result().ok
    st = model_file.stat()
    os.utime(model_file, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert not gate(model_file, SIGILL, cache).result().ok
    # A failure is never remembered: after a rebuild the next start checks again.
    assert gate(model_file, PASSES, cache).result().ok


def test_the_child_runs_once_per_process(model_file, tmp_path):
    counter = tmp_path / "runs"
    g = gate(model_file, [sys.executable, "-c",
                          f"open({str(counter)!r}, 'a').write('x'); import os, signal; "
                          "os.kill(os.getpid(), signal.SIGILL)"])
    for _ in range(3):
        assert not g.result().ok
    assert counter.read_text() == "x"


def _services(settings, embedder, model_file, command) -> Services:
    g = gate(model_file, command)
    chat = LlamaCppChatModel(model_path=str(model_file), verify_hash=False, gate=g)
    return Services.build(settings, embedder=embedder, chat_model=chat, model_gate=g)


def test_cli_ask_and_draft_exit_1_with_the_sentence_instead_of_dying(settings, embedder, model_file, capsys):
    def factory() -> Services:
        return _services(settings, embedder, model_file, SIGILL)

    built = factory()
    built.indexer.sync()
    built.close()
    for argv in (["ask", "Hvad er klimaafgiften?"], ["draft", "Skriv et mindstekrav om emballage"]):
        code = cli.run(argv, factory, out=io.StringIO())
        err = capsys.readouterr().err.strip()
        assert code == 1, argv
        assert err.startswith("Fejl: Sprogmodellen kan ikke køre") and "make rebuild-llm" in err
        assert "Traceback" not in err and len(err.splitlines()) == 1
    # search never needs the model
    out = io.StringIO()
    assert cli.run(["search", "klimaafgift oksekød", "--json"], factory, out=out) == 0
    assert "klimaafgift" in out.getvalue().lower()


def test_app_starts_with_search_working_and_the_model_tabs_saying_why(settings, embedder, model_file):
    from assistant.ui.app import create_app

    services = _services(settings, embedder, model_file, SIGILL)
    services.indexer.sync()
    app = create_app(services)
    assert app.ask.banner.visible and "Illegal instruction" in app.ask.banner.value
    final = list(app.ask.respond("klimaafgift oksekød Aarhus", [], None))[-1]
    content = final[app.ask.chatbot][-1]["content"]
    assert "Sprogmodellen kan ikke køre" in content and "Søgningen virker" in content
    sources = final[app.ask.sources]
    assert "udb-source" in sources and "30 pct" in sources  # the passages, verbatim
    out = list(app.draft.draft("Skriv et mindstekrav om emballage", "Automatisk", "Automatisk", "", 1))[-1]
    assert "Sprogmodellen kan ikke køre" in out[app.draft.cards_view] and out[app.draft.cards_state] == []
    # tenders need no model
    assert app.tender.create_tender("Rengøring 2027", "Testkommune", "rengøring")[app.tender.create_status] \
        .startswith("✅")
    app.demo.close()


def _llama_build():
    import importlib.util

    spec = importlib.util.spec_from_file_location("llama_build", Path(__file__).parents[1] / "tools" / "llama_build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_default_build_takes_avx512_only_where_every_flag_is_listed_and_never_amx():
    build = _llama_build()
    every = {"avx", "avx2", "fma", "f16c", *build._AVX512_FLAGS, "amx_tile", "amx_int8"}
    assert build.resolve("auto", "x86_64", every) == "avx512"
    assert build.resolve("auto", "x86_64", every - {"avx512_bf16"}) == "portable"
    assert build.resolve("auto", "aarch64", every) == "portable"
    assert build.resolve("portable", "x86_64", every) == "portable"  # an explicit choice stands
    args = build.cmake_args(build.resolve("auto", "x86_64", every), "x86_64", every)
    assert "-DGGML_NATIVE=OFF" in args and not any("AMX" in a and a.endswith("=ON") for a in args)
