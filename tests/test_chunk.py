from __future__ import annotations

import pytest

from assistant.ingest.chunk import ChunkConfig, chunk_document
from assistant.ingest.load import load_file
from tests.conftest import CORPUS

DOCS = sorted(p for p in CORPUS.iterdir() if p.suffix == ".md")


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_every_chunk_is_an_exact_span_of_the_document(path):
    doc = load_file(path)
    chunks = chunk_document(doc)
    assert chunks
    for chunk in chunks:
        assert chunk.text == doc.text[chunk.start:chunk.end]
        assert chunk.text == chunk.text.strip()
        assert chunk.doc_id == doc.doc_id and chunk.title == doc.meta.title
    starts = [c.start for c in chunks]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(chunks, chunks[1:])), "chunks overlap"


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_chunks_stay_within_one_section_and_near_the_size_limit(path):
    doc = load_file(path)
    config = ChunkConfig(max_chars=700, min_chars=120)
    for chunk in chunk_document(doc, config):
        inside = [s for s in doc.sections if s.start <= chunk.start and chunk.end <= s.end]
        assert len(inside) == 1, f"chunk {chunk.chunk_id} crosses a heading"
        assert len(chunk.text) <= config.max_chars * 1.5


def test_chunk_ids_are_deterministic_and_change_with_the_content(tmp_path):
    path = CORPUS / "kl-indkoebsstrategi-2020-2024.md"
    first = [c.chunk_id for c in chunk_document(load_file(path))]
    assert first == [c.chunk_id for c in chunk_document(load_file(path))]
    changed = tmp_path / path.name
    changed.write_text(path.read_text(encoding="utf-8") + "\n\nNyt afsnit.\n", encoding="utf-8")
    assert set(first).isdisjoint(c.chunk_id for c in chunk_document(load_file(changed)))


def test_a_word_hyphenated_across_a_blank_line_stays_in_one_chunk():
    doc = load_file(CORPUS / "kl-sammen-om-indkoeb-og-forbrug-2024.md")
    hit = [c for c in chunk_document(doc) if "okse-\n\nkød med over 30 pct" in c.text]
    assert len(hit) == 1
    assert "oksekød med over 30 pct" in hit[0].index_text()
    assert hit[0].heading_path[-1].startswith("Klimaafgift på udvalgte produkter")


def test_a_paragraph_longer_than_the_limit_is_split_at_sentences(tmp_path):
    sentence = "Leverandøren skal dokumentere miljømærket for hvert produkt i sortimentet. "
    path = tmp_path / "lang.md"
    path.write_text("# Krav\n\n" + sentence * 30, encoding="utf-8")
    doc = load_file(path)
    chunks = chunk_document(doc, ChunkConfig(max_chars=300, min_chars=50))
    assert len(chunks) > 3
    assert all(c.text.endswith(".") for c in chunks)
