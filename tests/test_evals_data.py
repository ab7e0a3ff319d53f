"""The eval sets are data we rely on: every evidence span is verbatim in the corpus."""

from __future__ import annotations

from assistant.ingest.load import load_file
from evals.dataset import gold_for, load_questions
from evals.metrics import first_hit_rank, recall_at, reciprocal_rank
from tests.conftest import CORPUS


def test_question_set_is_large_enough_and_its_evidence_is_verbatim():
    questions = load_questions()
    answerable = [q for q in questions if q.answerable]
    assert len(answerable) >= 40 and any(q.lang == "en" for q in answerable)
    assert len({q.id for q in questions}) == len(questions)
    for q in answerable:
        text = load_file(CORPUS / f"{q.doc_id}.md").text
        assert text.count(q.evidence) == 1, q.id
        gold_for(q, text)


def test_metrics_on_a_known_ranking(indexed):
    q = load_questions()[0]
    gold = gold_for(q, indexed.catalog.document_text(q.doc_id))
    chunks = [p.chunk for p in indexed.retriever.search(q.question, 10)]
    rank = first_hit_rank(chunks, gold)
    assert rank is not None
    assert recall_at(rank, 10)[0] == 1.0 and recall_at(None, 5) == (0.0, "evidence not retrieved")
    assert reciprocal_rank(2) == (0.5, "rank 2")


def test_the_buyer_drafting_tasks_name_several_aspects_in_plain_words():
    import json

    from evals.drafting import BUYER_TASKS, load_tasks

    tasks = load_tasks(BUYER_TASKS)
    assert len(tasks) >= 15 and len({t["id"] for t in tasks}) == len(tasks)
    assert sum(t["lang"] == "en" for t in tasks) >= 4
    assert sum(len(t["aspects"]) >= 2 for t in tasks) >= 12
    assert all(t["kind"] == "buyer" and all(a for a in t["aspects"]) for t in tasks)
    assert not any("template_ids" in json.dumps(t) for t in tasks)  # written without looking at the library


def test_the_card_pairs_are_verbatim_and_hold_the_reviews_false_attributions():
    from evals.claims import DOCS, load_card_pairs

    pairs = load_card_pairs()
    assert len(pairs) >= 150 and len({p.id for p in pairs}) == len(pairs)
    texts = {p.doc_id: (DOCS / f"{p.doc_id}.md").read_text(encoding="utf-8") for p in pairs}
    assert all(p.passage in texts[p.doc_id] for p in pairs)
    assert all("\n\n" not in p.passage for p in pairs if p.origin == "card")
    heldout = [p for p in pairs if p.origin == "card-heldout"]
    assert len(heldout) >= 120 and sum(p.lang == "en" for p in heldout) >= 15
    assert 0.3 <= sum(p.supported for p in heldout) / len(heldout) <= 0.5
    false = {(p.sentence[:40], p.supported) for p in pairs if "børnehus" in p.passage or "aftaleforhold" in p.passage}
    assert ("Licensnummer eller kopi af gyldigt licen", False) in false
    assert ("Cirkulæret er obligatorisk for staten og", False) in false


def test_the_large_inputs_eval_makes_a_report_pdf_and_composes_vectors_from_real_sentence_vectors(tmp_path):
    import math

    from pypdf import PdfReader

    from evals.large import SentenceMeanEmbedder, _sentences, make_report_pdf
    from tests.fixtures.fakes import BagOfWordsEmbedder

    pdf = make_report_pdf(tmp_path / "rapport.pdf", pages=3, chars_per_page=1500)
    reader = PdfReader(pdf)
    assert len(reader.pages) == 3 and len(reader.pages[1].extract_text()) > 1000
    sentences = _sentences()[:4]
    embedder = SentenceMeanEmbedder(BagOfWordsEmbedder(), sentences)
    [vector] = embedder.embed_passages([" ".join(sentences[:2])])
    assert math.isclose(sum(v * v for v in vector), 1.0, rel_tol=1e-6)
    # Made of two known sentences, the vector lies between theirs, not on either.
    first, second = (embedder.table[s] for s in sentences[:2])
    assert vector != first and vector != second
    assert embedder.embed_query("opvarmning") == BagOfWordsEmbedder().embed_query("opvarmning")
