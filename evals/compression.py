"""What the model reads: does the sentence that answers the question survive when each passage is cut to
the sentences that bear on it, and how many prompt tokens does that save? No model runs; the tokens are
counted with the packaged GGUF's own tokenizer (vocabulary only)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from assistant.answering.answer import format_excerpts, format_passages
from assistant.answering.compress import Compressor
from assistant.services import Services
from evals.dataset import gold_for, load_questions
from evals.metrics import Gold, is_hit


def _kept(excerpt, gold: Gold) -> bool:
    """The kept sentences hold at least half of the evidence span (the retrieval eval's hit rule)."""
    chunk = excerpt.passage.chunk
    if chunk.doc_id != gold.doc_id:
        return False
    overlap = sum(max(0, min(chunk.start + end, gold.end) - max(chunk.start + start, gold.start))
                  for start, end in excerpt.spans)
    return overlap >= (gold.end - gold.start) / 2


def _tokenizer(services: Services):
    from llama_cpp import Llama

    model = Llama(model_path=str(services.settings.gguf_path), vocab_only=True, verbose=False)
    return lambda text: len(model.tokenize(text.encode("utf-8"), add_bos=False))


def run(services: Services, results_dir: Path, k: int = 5, no_prior: bool = False) -> str:
    services.indexer.sync()
    count = _tokenizer(services)
    analyzer, embedder = services.catalog.analyzer, services.embedder
    setups: dict[str, Compressor | None] = {
        "whole passages": None,
        "best sentences, 600 characters (English: by the embedder)": Compressor(analyzer, embedder),
        "best sentences, 450 characters": Compressor(analyzer, embedder, budget_chars=450),
        "best sentences, 800 characters": Compressor(analyzer, embedder, budget_chars=800),
        "best sentences, 550 characters": Compressor(analyzer, embedder, budget_chars=550)}
    if no_prior:
        setups["best sentences, 600, no rank prior"] = Compressor(analyzer, embedder, rank_prior=0.0)
    rows = []
    for q in load_questions():
        passages = services.retriever.search(q.question, k)
        row: dict = {"id": q.id, "lang": q.lang, "answerable": q.answerable}
        gold = gold_for(q, services.catalog.document_text(q.doc_id) or "") if q.answerable else None
        row["retrieved"] = bool(gold and any(is_hit(p.chunk, gold) for p in passages))
        for name, compressor in setups.items():
            started = time.perf_counter()
            if compressor is None:
                text, kept = format_passages(passages), row["retrieved"]
            else:
                excerpts = compressor.excerpts(q.question, passages)
                text = format_excerpts(excerpts)
                kept = bool(gold and any(_kept(e, gold) for e in excerpts))
            row[name] = {"tokens": count(text), "kept": kept, "ms": round(1000 * (time.perf_counter() - started))}
        rows.append(row)

    lines = ["| passages as the model reads them | evidence kept (of retrieved) | Danish | English "
             "| prompt tokens for the passages, p50 / mean | ms to cut, p50 |", "|---|---|---|---|---|---|"]
    summary = {}
    found = [r for r in rows if r["retrieved"]]
    for name in setups:
        def kept(items: list[dict], name: str = name) -> float:
            return sum(r[name]["kept"] for r in items) / max(len(items), 1)

        tokens = sorted(r[name]["tokens"] for r in rows)
        ms = sorted(r[name]["ms"] for r in rows)
        summary[name] = {"kept": kept(found), "kept_da": kept([r for r in found if r["lang"] == "da"]),
                         "kept_en": kept([r for r in found if r["lang"] == "en"]),
                         "tokens_p50": tokens[len(tokens) // 2], "tokens_mean": sum(tokens) / len(tokens),
                         "ms_p50": ms[len(ms) // 2]}
        s = summary[name]
        lines.append(f"| {name} | {s['kept']:.3f} ({len(found)}) | {s['kept_da']:.3f} | {s['kept_en']:.3f} "
                     f"| {s['tokens_p50']} / {s['tokens_mean']:.0f} | {s['ms_p50']} |")
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"compression-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"summary": summary, "rows": rows}, ensure_ascii=False, indent=2), encoding="utf-8")
    return "\n".join(lines) + f"\n\nresults: {path}"
