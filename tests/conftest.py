from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--database-url", default=None,
                     help="a PostgreSQL server (its maintenance database's URL): each test's catalog and workspace "
                          "then live in a fresh database there instead of SQLite files (tests/system/test_postgres.py)")


@pytest.fixture
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    server = request.config.getoption("--database-url")
    if not server:
        yield None
        return
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield make_url(server).set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def settings(tmp_path: Path, corpus_dir: Path, database_url: str | None) -> Settings:
    # In-process loading keeps the fast suite fast; test_isolate.py covers the child-process default.
    return Settings(corpus_dir=corpus_dir, data_dir=tmp_path / "data", load_in_subprocess=False,
                    database_url=database_url, _env_file=None)


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
def app(indexed: Services):
    """The Gradio app built on the indexed fake services (nothing is launched)."""
    from assistant.ui.app import create_app

    built = create_app(indexed)
    yield built
    built.demo.close()
