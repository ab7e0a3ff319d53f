"""Retrieval eval: recall@1, recall@5 and MRR for hybrid, lexical and dense retrieval."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass

from assistant.services import Services
from evals.dataset import gold_for, load_questions
from evals.metrics import first_hit_rank, recall_at, reciprocal_rank

METHODS = ("hybrid", "lexical", "dense")


@dataclass
class MethodScore:
    method: str
    n: int
    recall_at_1: float
    recall_at_5: float
    mrr: float
    misses: list[dict]


def evaluate(services: Services, methods=METHODS, depth: int = 10) -> list[MethodScore]:
    questions = [q for q in load_questions() if q.answerable]
    texts: dict[str, str] = {}
    scores = []
    for method in methods:
        r1 = r5 = rr = 0.0
        misses = []
        for q in questions:
            if q.doc_id not in texts:
                texts[q.doc_id] = services.catalog.document_text(q.doc_id) or ""
            gold = gold_for(q, texts[q.doc_id])
            chunks = [p.chunk for p in services.retriever.search(q.question, depth, method=method)]
            rank = first_hit_rank(chunks, gold)
            r1 += recall_at(rank, 1)[0]
            r5 += recall_at(rank, 5)[0]
            value, reason = reciprocal_rank(rank)
            rr += value
            if rank is None or rank > 5:
                misses.append({"id": q.id, "question": q.question, "reason": reason})
        n = len(questions)
        scores.append(MethodScore(method, n, r1 / n, r5 / n, rr / n, misses))
    return scores


def table(scores: list[MethodScore]) -> str:
    lines = ["| method | questions | recall@1 | recall@5 | MRR |", "|---|---|---|---|---|"]
    for s in scores:
        lines.append(f"| {s.method} | {s.n} | {s.recall_at_1:.3f} | {s.recall_at_5:.3f} | {s.mrr:.3f} |")
    return "\n".join(lines)


def run(services: Services, results_dir) -> str:
    report = services.indexer.sync()
    if report.failed:
        raise SystemExit(f"indexing failed: {report.failed}")
    scores = evaluate(services)
    s = services.settings
    record = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "embedder": services.embedder.name,
        "settings": {"chunk_chars": s.chunk_chars, "chunk_min_chars": s.chunk_min_chars,
                     "candidates": s.candidates, "rrf_k": s.rrf_k, "dense_weight": s.dense_weight,
                     "lexical_weight": s.lexical_weight},
        "scores": [asdict(x) for x in scores],
    }
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"retrieval-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    return table(scores) + f"\n\nresults: {path}"
