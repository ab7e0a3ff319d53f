from __future__ import annotations

import importlib
import shutil
import sys
from pathlib import Path

import pytest

from assistant.services import Services
from assistant.settings import ROOT, Settings
from tests.fixtures.fakes import BagOfWordsEmbedder, ScriptedChatModel

CORPUS = ROOT / "corpus" / "documents"


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A private copy of the real corpus, so tests may change or delete files."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def settings(tmp_path: Path, corpus_dir: Path) -> Settings:
    # In-process loading keeps the fast suite fast; test_isolate.py covers the child-process default.
    return Settings(corpus_dir=corpus_dir, data_dir=tmp_path / "data", load_in_subprocess=False,
                    _env_file=None)


@pytest.fixture
def embedder() -> BagOfWordsEmbedder:
    return BagOfWordsEmbedder()


@pytest.fixture
def chat() -> ScriptedChatModel:
    return ScriptedChatModel(replies=["Det fremgår ikke af kilderne."])


@pytest.fixture
def services(settings: Settings, embedder: BagOfWordsEmbedder, chat: ScriptedChatModel):
    built = Services.build(settings, embedder=embedder, chat_model=chat)
    yield built
    built.close()


@pytest.fixture
def indexed(services: Services) -> Services:
    report = services.indexer.sync()
    assert not report.failed, report.failed
    return services


@pytest.fixture
def app_module(monkeypatch, settings):
    monkeypatch.setenv("UDB_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("UDB_CORPUS_DIR", str(settings.corpus_dir))
    sys.modules.pop("app", None)
    module = importlib.import_module("app")
    yield module
    sys.modules.pop("app", None)
