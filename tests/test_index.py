from __future__ import annotations

from assistant.services import Services
from tests.fixtures.files import make_docx, make_pdf, truncated_copy


def _state(services: Services) -> tuple[int, int, list[str]]:
    return (services.catalog.count_chunks(), services.vectors.count(),
            [e.meta.doc_id for e in services.catalog.entries()])


def test_sync_indexes_the_corpus_then_skips_unchanged_documents(services, embedder):
    first = services.indexer.sync()
    assert sorted(first.added) == ["kl-indkoebsstrategi-2020-2024", "kl-sammen-om-indkoeb-og-forbrug-2024",
                                   "principper-cirkulaer-emballage-resume"]
    assert services.catalog.count_chunks() == services.vectors.count() == first.chunks_embedded > 50
    embedded = embedder.passages_embedded
    second = services.indexer.sync()
    assert second.chunks_embedded == 0 and len(second.unchanged) == 3
    assert embedder.passages_embedded == embedded


def test_an_edited_document_is_re_embedded_alone_and_old_vectors_go(indexed, settings, embedder):
    path = settings.corpus_dir / "principper-cirkulaer-emballage-resume.md"
    old_ids = indexed.catalog.chunk_ids("principper-cirkulaer-emballage-resume")
    path.write_text(path.read_text(encoding="utf-8") + "\n\n## Tillæg\n\nEt nyt afsnit om pap.\n",
                    encoding="utf-8")
    before = embedder.passages_embedded
    report = indexed.indexer.sync()
    assert report.updated == ["principper-cirkulaer-emballage-resume"]
    assert embedder.passages_embedded - before == report.chunks_embedded
    assert not indexed.vectors.existing(old_ids)
    assert indexed.catalog.count_chunks() == indexed.vectors.count()


def test_a_removed_document_leaves_the_index(indexed, settings):
    (settings.corpus_dir / "principper-cirkulaer-emballage-resume.md").unlink()
    report = indexed.indexer.sync()
    assert report.removed == ["principper-cirkulaer-emballage-resume"]
    assert "principper-cirkulaer-emballage-resume" not in _state(indexed)[2]
    assert indexed.catalog.count_chunks() == indexed.vectors.count()


def test_broken_uploads_are_refused_and_change_nothing(indexed, settings, tmp_path):
    before = _state(indexed)
    good = make_docx(tmp_path / "god.docx", [("h1", "Politik"), ("p", "Indhold " * 300)])
    bad = [truncated_copy(good, tmp_path / "beskadiget.docx"),
           truncated_copy(make_pdf(tmp_path / "hel.pdf", ["tekst " * 300]), tmp_path / "beskadiget.pdf"),
           make_pdf(tmp_path / "scannet.pdf", [""])]
    report = indexed.indexer.add_files(bad)
    assert [name for name, _ in report.failed] == ["beskadiget.docx", "beskadiget.pdf", "scannet.pdf"]
    assert all(reason.endswith(".") for _, reason in report.failed)
    assert _state(indexed) == before
    assert not settings.uploads_dir.exists() or not any(settings.uploads_dir.iterdir())


def test_a_failing_corpus_file_keeps_its_previous_index(indexed, settings):
    path = settings.corpus_dir / "principper-cirkulaer-emballage-resume.md"
    ids = indexed.catalog.chunk_ids("principper-cirkulaer-emballage-resume")
    path.write_bytes(b"\x00\x00broken")
    report = indexed.indexer.sync()
    assert report.failed and report.failed[0][0] == path.name
    assert indexed.catalog.chunk_ids("principper-cirkulaer-emballage-resume") == ids


def test_an_upload_is_searchable_at_once_and_a_new_version_replaces_it(indexed, settings, tmp_path):
    path = make_docx(tmp_path / "Indkøbspolitik.docx", [
        ("h1", "Indkøbspolitik for Testrup Kommune"),
        ("p", "Testrup Kommune køber kun kaffe, der er Fairtrade-certificeret eller tilsvarende."),
    ])
    report = indexed.indexer.add_files([path])
    assert report.added == ["indkoebspolitik"]
    assert (settings.uploads_dir / "Indkøbspolitik.docx").is_file()
    hits = indexed.retriever.search("Hvilken kaffe køber Testrup?", 3)
    assert hits[0].chunk.doc_id == "indkoebspolitik"
    assert hits[0].chunk.heading_path == ("Indkøbspolitik for Testrup Kommune",)

    make_docx(path, [("h1", "Indkøbspolitik for Testrup Kommune"),
                     ("p", "Testrup Kommune køber nu kun økologisk te.")])
    again = indexed.indexer.add_files([path])
    assert again.updated == ["indkoebspolitik"]
    texts = " ".join(c.text for c in indexed.catalog.all_chunks(["indkoebspolitik"]))
    assert "økologisk te" in texts and "Fairtrade" not in texts

    assert indexed.indexer.remove("indkoebspolitik")
    assert not (settings.uploads_dir / "Indkøbspolitik.docx").exists()
    assert indexed.retriever.search("Fairtrade kaffe Testrup", 3)[0].chunk.doc_id != "indkoebspolitik"


def test_an_upload_may_not_take_the_id_of_a_corpus_document(indexed, tmp_path):
    clash = tmp_path / "kl-indkoebsstrategi-2020-2024.md"
    clash.write_text("# Falsk\n\nEt andet dokument med samme navn.", encoding="utf-8")
    report = indexed.indexer.add_files([clash])
    assert report.failed and "findes allerede" in report.failed[0][1]
    assert "Falsk" not in indexed.catalog.document_text("kl-indkoebsstrategi-2020-2024")


def test_the_index_survives_a_restart(indexed, settings, embedder):
    count = indexed.catalog.count_chunks()
    indexed.close()
    reopened = Services.build(settings, embedder=embedder, chat_model=indexed.chat_model)
    try:
        assert reopened.catalog.count_chunks() == reopened.vectors.count() == count
        assert reopened.indexer.sync().chunks_embedded == 0
    finally:
        reopened.close()


def test_catalog_lexical_search_uses_danish_stems(indexed):
    hits = indexed.catalog.lexical_search("klimaafgifter på oksekødet", 5)
    top = indexed.catalog.chunks([hits[0][0]])[hits[0][0]]
    assert "klimaafgift" in top.text.lower()


class _LosesFirstWrite:
    """Wraps the Chroma collection: the first write of each id reaches `get` but not `query`, as Chroma
    1.5's local store now and then does (chroma-core/chroma#7758)."""

    def __init__(self, real, lose_always: bool = False) -> None:
        self.real, self.lose_always, self.seen, self.hidden = real, lose_always, set(), set()

    def upsert(self, ids, embeddings, metadatas):
        self.real.upsert(ids=ids, embeddings=embeddings, metadatas=metadatas)
        for cid in ids:
            (self.hidden.add if cid not in self.seen or self.lose_always else self.hidden.discard)(cid)
            self.seen.add(cid)

    def query(self, **kwargs):
        result = self.real.query(**kwargs)
        for key in ("distances", "embeddings", "ids"):  # every list of the result, ids last
            if result.get(key) is not None:
                result[key] = [[value for cid, value in zip(ids, row, strict=True) if cid not in self.hidden]
                               for ids, row in zip(result["ids"], result[key], strict=True)]
        return result

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_a_vector_the_store_loses_for_search_is_written_again(indexed, tmp_path):
    indexed.vectors._collection = _LosesFirstWrite(indexed.vectors._collection)
    path = make_docx(tmp_path / "Kaffepolitik.docx", [("h1", "Kaffepolitik for Testrup Kommune"),
                                                     ("p", "Testrup Kommune køber kun Fairtrade-kaffe.")])
    indexed.indexer.add_files([path])
    assert indexed.retriever.search("Hvilken kaffe køber Testrup?", 1, method="dense")[0].chunk.doc_id == "kaffepolitik"


def test_a_vector_that_stays_unsearchable_keeps_the_file_and_check_counts_it(indexed, tmp_path):
    indexed.vectors._collection = _LosesFirstWrite(indexed.vectors._collection, lose_always=True)
    path = make_docx(tmp_path / "Kaffepolitik.docx", [("h1", "Kaffepolitik"), ("p", "Kun Fairtrade-kaffe.")])
    assert indexed.indexer.add_files([path]).added == ["kaffepolitik"]
    assert indexed.retriever.search("Fairtrade-kaffe", 1, method="lexical")[0].chunk.doc_id == "kaffepolitik"
    found = indexed.indexer.check()
    assert (found.unsearchable, found.consistent) == (1, False)


def test_a_repeated_text_whose_twin_a_search_finds_is_not_lost(indexed):
    ids = ["tvilling-0000", "tvilling-0001"]
    vector = indexed.embedder.embed_query("Leverandøren skal tage paller retur.")
    losing = _LosesFirstWrite(indexed.vectors._collection)
    indexed.vectors._collection = losing
    losing.real.upsert(ids=ids, embeddings=[vector, vector], metadatas=[{"doc_id": "tvilling"}] * 2)
    losing.hidden = {ids[1]}
    assert indexed.vectors.unsearchable(ids, [vector, vector], ["tvilling", "tvilling"]) == set()
    assert indexed.vectors.unsearchable([ids[1]], [[0.0] * len(vector)], ["tvilling"]) == set()  # a zero vector


def test_check_finds_vectors_a_search_cannot_reach_and_repair_writes_them_again(indexed):
    losing = _LosesFirstWrite(indexed.vectors._collection)
    losing.hidden = set(indexed.catalog.chunk_ids("principper-cirkulaer-emballage-resume"))
    losing.seen = set(losing.hidden)
    hidden = sorted(losing.hidden)
    indexed.vectors._collection = losing
    found = indexed.indexer.check()
    # At least the hidden ones: a filtered HNSW query on the real store may, rarely, miss one more (it is
    # approximate), and the suite once failed on that under load; the hidden ones are what this test is about.
    assert found.unsearchable >= len(hidden) and not found.consistent
    fixed = indexed.indexer.check(repair=True)
    assert fixed.repaired == found.unsearchable and losing.hidden == set()  # each was written again
    stored = losing.real.get(ids=hidden, include=["embeddings"])
    vectors = [list(map(float, v)) for v in stored["embeddings"]]
    doc_ids = ["principper-cirkulaer-emballage-resume"] * len(hidden)
    assert indexed.vectors.unsearchable(stored["ids"], vectors, doc_ids) == set()


def test_an_index_run_drops_another_instances_upload_only_from_a_catalog_of_its_own(indexed, settings, tmp_path):
    """Two instances share a PostgreSQL catalog, each with its own data folder: the second's upload lives in its
    folder, and the first instance's `index` must not drop it. A laptop's catalog is its own: a document whose
    file is gone from its folders goes."""
    from dataclasses import replace

    from assistant.ingest.index import Indexer

    other = Indexer(replace(indexed.indexer.config, uploads_dir=tmp_path / "anden-server" / "uploads"),
                    indexed.embedder, indexed.catalog, indexed.vectors)
    path = make_docx(tmp_path / "Kaffepolitik.docx", [("h1", "Kaffepolitik"), ("p", "Kun Fairtrade-kaffe.")])
    assert other.add_files([path]).added == ["kaffepolitik"]
    report = indexed.indexer.sync()
    shared = settings.database_url is not None
    assert ("kaffepolitik" in report.removed) is not shared
    assert (indexed.catalog.entry("kaffepolitik") is not None) is shared



def _long_policy(path, parts: int = 6):
    body = "\n\n".join(
        f"## Afsnit {i}\n\n" + " ".join(f"Testrup Kommune stiller krav nummer {i}.{j} om genbrugelig emballage "
                                         "og færre leverancer i rammeaftalen." for j in range(8))
        for i in range(parts))
    path.write_text(f"# Emballagepolitik for Testrup\n\n{body}\n", encoding="utf-8")
    return path


def test_a_large_upload_is_searchable_by_its_words_at_once_and_embedded_later(indexed, tmp_path):
    path = _long_policy(tmp_path / "emballagepolitik.md")
    report = indexed.indexer.add_files([path], defer_over=1)
    assert report.added == report.deferred == ["emballagepolitik"] and report.chunks_embedded == 0
    ids = indexed.catalog.chunk_ids("emballagepolitik")
    assert len(ids) == report.chunks_deferred > 1 and not indexed.vectors.existing(ids)
    # Words first: the lexical side finds it before any vector exists.
    hits = indexed.retriever.search("Testrup genbrugelig emballage leverancer", 3)
    assert "emballagepolitik" in {p.chunk.doc_id for p in hits}
    assert indexed.indexer.check().missing == len(ids)

    assert indexed.indexer.embed_missing(["emballagepolitik"]) == len(ids)
    assert indexed.vectors.existing(ids) == set(ids) and indexed.indexer.check().consistent
    assert indexed.indexer.embed_missing() == 0  # nothing left to do
    assert indexed.indexer.sync().chunks_embedded == 0  # and the document counts as current


def test_a_deferred_upload_removed_before_its_vectors_come_leaves_no_orphan(indexed, tmp_path):
    path = _long_policy(tmp_path / "emballagepolitik.md")
    indexed.indexer.add_files([path], defer_over=1)
    ids = indexed.catalog.chunk_ids("emballagepolitik")
    indexer = indexed.indexer
    real_embed = indexer.embedder.embed_passages

    def remove_while_embedding(texts):
        indexer.remove("emballagepolitik")  # the buyer removes it while the vectors are being computed
        return real_embed(texts)

    indexer.embedder.embed_passages = remove_while_embedding
    try:
        assert indexer.embed_missing(["emballagepolitik"]) == 0
    finally:
        indexer.embedder.embed_passages = real_embed
    assert not indexed.vectors.existing(ids) and indexer.check().consistent


def test_a_restart_embeds_what_a_stopped_background_run_left(indexed, tmp_path):
    path = _long_policy(tmp_path / "emballagepolitik.md")
    indexed.indexer.add_files([path], defer_over=1)
    ids = indexed.catalog.chunk_ids("emballagepolitik")
    report = indexed.indexer.sync()  # the app stopped before the background run; `index` at the next start
    assert "emballagepolitik" in report.updated + report.added and indexed.vectors.existing(ids) == set(ids)


def test_the_upload_message_says_the_words_are_ready_and_meaning_search_follows():
    from assistant.ingest.index import IndexReport
    from assistant.ui.present import report_message

    report = IndexReport(added=["lille", "rapport"], chunks_embedded=12, deferred=["rapport"], chunks_deferred=890,
                         seconds=8.4)
    message = report_message(report)
    assert "✅ Indekseret: lille (12 tekststykker" in message
    assert "Indekseret til ordsøgning: rapport (890 tekststykker, 8.4 s)" in message
    assert "bliver klar i baggrunden om ca. 2 minutter" in message
