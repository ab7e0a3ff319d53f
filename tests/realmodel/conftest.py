"""Fixtures that load the real embedded models. Nothing here skips: a missing
model or package is an error, so CI fails loudly instead of passing quietly."""

from __future__ import annotations

import shutil

import pytest

from assistant.services import Services
from assistant.settings import Settings
from tests.conftest import CORPUS


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory) -> Settings:
    root = tmp_path_factory.mktemp("real")
    shutil.copytree(CORPUS, root / "corpus")
    settings = Settings(corpus_dir=root / "corpus", data_dir=root / "data", _env_file=None)
    assert settings.gguf_path.is_file(), (
        f"The packaged GGUF is missing at {settings.gguf_path}; run 'make model' (make test does it).")
    return settings


@pytest.fixture(scope="session")
def real(real_settings) -> Services:
    services = Services.build(real_settings)
    report = services.indexer.sync()
    assert not report.failed and report.chunks_embedded > 100
    yield services
    services.close()
