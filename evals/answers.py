"""Answer eval with the configured LLM: does it answer what the corpus covers, cite
the passage holding the evidence, quote verbatim, and refuse what is not covered?"""

from __future__ import annotations

import json
import time
from pathlib import Path

from assistant.services import Services
from evals.dataset import gold_for, load_questions
from evals.metrics import is_hit


def run(services: Services, results_dir: Path, limit: int = 0) -> str:
    services.indexer.sync()
    questions = load_questions()
    if limit:
        answerable = [q for q in questions if q.answerable][:limit]
        questions = answerable + [q for q in questions if not q.answerable][: max(2, limit // 4)]
    rows = []
    for q in questions:
        t0 = time.perf_counter()
        answer = services.answerer.ask(q.question)
        seconds = time.perf_counter() - t0
        verbatim = all(c.quote in (services.catalog.document_text(c.doc_id) or "") for c in answer.citations)
        row = {"id": q.id, "answerable": q.answerable, "answered": answer.answered,
               "answer": answer.text, "seconds": round(seconds, 2), "verbatim": verbatim,
               "cited": [c.chunk_id for c in answer.citations]}
        if q.answerable:
            gold = gold_for(q, services.catalog.document_text(q.doc_id) or "")
            chunks = services.catalog.chunks(row["cited"])
            row["cites_evidence"] = any(is_hit(chunks[cid], gold) for cid in row["cited"] if cid in chunks)
        rows.append(row)

    pos = [r for r in rows if r["answerable"]]
    neg = [r for r in rows if not r["answerable"]]
    metrics = {
        "answerable_questions": len(pos),
        "answered_rate": sum(r["answered"] for r in pos) / max(len(pos), 1),
        "cites_evidence_rate": sum(r.get("cites_evidence", False) for r in pos) / max(len(pos), 1),
        "unanswerable_questions": len(neg),
        "refusal_rate": sum(not r["answered"] for r in neg) / max(len(neg), 1),
        "quotes_verbatim_rate": sum(r["verbatim"] for r in rows) / max(len(rows), 1),
        "seconds_mean": sum(r["seconds"] for r in rows) / max(len(rows), 1),
    }
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"answers-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "metrics": metrics,
                                "min_similarity": services.settings.answer_min_similarity,
                                "rows": rows}, ensure_ascii=False, indent=2), encoding="utf-8")
    table = ["| metric | value |", "|---|---|"] + [
        f"| {k} | {v:.3f} |" if isinstance(v, float) else f"| {k} | {v} |" for k, v in metrics.items()]
    return "\n".join(table) + f"\n\nresults: {path}"
