"""Chroma as a server (`chroma run` on loopback), reached through HttpClient with our embedding function:
the corpus indexes, an upload is searchable at once, a removal leaves, `check` agrees, and the ranking is the
one the embedded store gives."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from assistant.services import Services
from assistant.settings import Settings
from tests.conftest import CORPUS
from tests.fixtures.fakes import BagOfWordsEmbedder
from tests.fixtures.files import make_docx
from tests.fixtures.servers import free_port, http_ready, running

pytestmark = pytest.mark.system

QUESTIONS = ["Hvor meget faldt Aarhus' forbrug af oksekød?", "Hvad er principperne for cirkulær emballage?",
             "Hvilke krav stiller strategien til sociale klausuler?", "How much did Aarhus cut its beef purchases?"]


@pytest.fixture(scope="module")
def chroma_port(tmp_path_factory) -> int:
    root = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    command = [chroma, "run", "--path", str(root / "data"), "--host", "127.0.0.1", "--port", str(port)]
    with running(command, http_ready(f"http://127.0.0.1:{port}/api/v2/heartbeat"), root / "chroma.log",
                 timeout_s=60):
        yield port


def _services(root: Path, **settings) -> Services:
    if not (root / "corpus").exists():
        shutil.copytree(CORPUS, root / "corpus")
    config = Settings(corpus_dir=root / "corpus", data_dir=root / "data", load_in_subprocess=False,
                      _env_file=None, **settings)
    return Services.build(config, embedder=BagOfWordsEmbedder())


def test_the_index_lives_in_a_chroma_server_and_ranks_as_the_embedded_store(chroma_port, tmp_path):
    remote = _services(tmp_path / "remote", chroma_mode="http", chroma_port=chroma_port)
    local = _services(tmp_path / "local")
    try:
        assert not remote.indexer.sync().failed and not local.indexer.sync().failed
        assert remote.vectors.count() == local.vectors.count() == remote.catalog.count_chunks()
        assert not (tmp_path / "remote" / "data" / "chroma").exists()  # nothing written beside the server
        for question in QUESTIONS:
            ranked = [[p.chunk.chunk_id for p in s.retriever.search(question, 5, method="dense")]
                      for s in (remote, local)]
            assert ranked[0] == ranked[1], question

        path = make_docx(tmp_path / "Kaffepolitik.docx", [("h1", "Kaffepolitik for Testrup Kommune"),
                                                         ("p", "Testrup Kommune køber kun Fairtrade-kaffe.")])
        assert remote.indexer.add_files([path]).added == ["kaffepolitik"]
        assert remote.retriever.search("Hvilken kaffe køber Testrup?", 1)[0].chunk.doc_id == "kaffepolitik"
        assert remote.indexer.check().consistent
        assert remote.indexer.remove("kaffepolitik")
        assert all(p.chunk.doc_id != "kaffepolitik" for p in remote.retriever.search("kaffe Testrup", 5))
        assert remote.indexer.check().consistent
    finally:
        remote.close()
        local.close()
