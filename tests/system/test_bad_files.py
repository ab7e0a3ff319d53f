"""150+ bad files through indexing (the default child-process loader), the CLI and the app's upload:
each is refused with one Danish sentence or loaded with sane text, inside its budget, and after each
refusal catalog, vectors, uploads folder and temp folder are exactly as before."""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

import pytest

from assistant.cli import main as cli
from assistant.ingest.load_guard import garbage_share
from assistant.services import Services
from assistant.settings import Settings
from tests.fixtures.badfiles import BadFile, generate
from tests.fixtures.fakes import BagOfWordsEmbedder, ScriptedChatModel

pytestmark = pytest.mark.system

TIMEOUT_S = 20.0  # a lower wall-clock budget than the default, so the slowest kinds are cut off


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory) -> list[BadFile]:
    return generate(tmp_path_factory.mktemp("bad"))


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def shared_settings(tmp_path, corpus_dir) -> Settings:
    return Settings(corpus_dir=corpus_dir, data_dir=tmp_path / "data", load_timeout_s=TIMEOUT_S,
                    _env_file=None)


def _state(services: Services, tmp: Path) -> tuple:
    uploads = services.settings.uploads_dir
    return (sorted((e.meta.doc_id, e.n_chunks) for e in services.catalog.entries()),
            services.vectors.count(), services.catalog.count_chunks(),
            sorted(p.name for p in uploads.iterdir()) if uploads.is_dir() else [],
            sorted(p.name for p in tmp.iterdir()))


def test_every_bad_file_is_refused_cleanly_or_loaded_sane(bad_files, shared_settings, private_tmp):
    assert len(bad_files) >= 150
    services = Services.build(shared_settings, embedder=BagOfWordsEmbedder(),
                          chat_model=ScriptedChatModel(replies=["x"]))
    try:
        assert not services.indexer.sync().failed
        refused = accepted = 0
        for bad in bad_files:
            before = _state(services, private_tmp)
            report = services.indexer.add_files([bad.path])
            if report.failed:
                refused += 1
                assert bad.expect in ("refuse", "either"), (bad.path.name, report.failed)
                [(name, reason)] = report.failed
                assert name == bad.path.name
                assert "Traceback" not in reason and reason.rstrip().endswith("."), reason
                assert reason.count(". ") <= 3 and len(reason) < 400, reason  # one sentence, not a dump
                assert _state(services, private_tmp) == before, bad.path.name
            else:
                accepted += 1
                assert bad.expect in ("accept", "either"), (bad.path.name, bad.kind)
                [doc_id] = report.added + report.updated
                text = services.catalog.document_text(doc_id)
                overall, worst, _ = garbage_share(text)
                assert "\x00" not in text and overall <= 0.2 and worst <= 0.05, bad.path.name
                stored = services.catalog.entry(doc_id).path
                assert Path(stored).parent == services.settings.uploads_dir  # names never escape uploads
                services.indexer.remove(doc_id)
        assert refused >= 95 and accepted >= 15
        # Every refusal left the index consistent both ways.
        assert services.vectors.all_ids() == services.catalog.all_chunk_ids()
    finally:
        services.close()


def test_the_cli_lists_each_bad_file_in_one_run_and_exits_1(bad_files, shared_settings, private_tmp, capsys):
    def factory() -> Services:
        return Services.build(shared_settings, embedder=BagOfWordsEmbedder(),
                          chat_model=ScriptedChatModel(replies=["x"]))

    refuse = [b for b in bad_files if b.expect == "refuse"]
    code = cli.run(["index", *(str(b.path) for b in refuse)], factory, out=io.StringIO())
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    for bad in refuse:
        assert f"Filen {bad.path.name}" in err or f"Metadatafilen {bad.path.name}.meta.json" in err \
            or f"({bad.path.name})" in err, bad.path.name
    built = factory()
    try:
        assert built.vectors.all_ids() == built.catalog.all_chunk_ids()
        assert not built.settings.uploads_dir.exists() or not any(built.settings.uploads_dir.iterdir())
    finally:
        built.close()


def test_the_app_upload_answers_each_file_in_danish(bad_files, shared_settings, private_tmp):
    from assistant.ui.app import create_app

    services = Services.build(shared_settings, embedder=BagOfWordsEmbedder(),
                          chat_model=ScriptedChatModel(replies=["x"]))
    try:
        services.indexer.sync()
        app = create_app(services)
        refuse = [b for b in bad_files if b.expect == "refuse"]
        # As the browser delivers them: copies in Gradio's temp folder, which the handler removes.
        gradio_tmp = private_tmp / "gradio"
        copies = []
        for i, bad in enumerate(refuse):
            (gradio_tmp / f"u{i}").mkdir(parents=True)
            copies.append(str(shutil.copy(bad.path, gradio_tmp / f"u{i}" / bad.path.name)))
            sidecar = bad.path.with_name(bad.path.name + ".meta.json")
            if sidecar.is_file():
                shutil.copy(sidecar, gradio_tmp / f"u{i}" / sidecar.name)
        sidecars = [str(p.relative_to(private_tmp)) for p in gradio_tmp.rglob("*.meta.json")]
        message = app.documents.upload(copies, progress=lambda *a, **k: None)[app.documents.status]
        assert "Traceback" not in message
        assert message.count("❌") == len(refuse), message[:2000]
        assert services.vectors.all_ids() == services.catalog.all_chunk_ids()
        assert _files_under(private_tmp) == sorted(sidecars)  # every upload copy is gone
        assert not services.settings.uploads_dir.exists() or not any(services.settings.uploads_dir.iterdir())
    finally:
        services.close()


def _files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
