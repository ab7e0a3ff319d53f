"""Benchmarks on this machine: index build (chunks/s vs the raw embedder), query
latency p50/p95, and time to first token / total time for `ask` with the LLM."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from assistant.answering.answer import Final, Token
from assistant.ingest.chunk import ChunkConfig, chunk_document
from assistant.ingest.load import load_file
from assistant.services import Services
from assistant.settings import Settings
from evals.dataset import load_questions


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _tender_figures(services: Services, repeats: int = 5) -> dict[str, float]:
    """Workspace and export speed on the shipped example tender (9 cards)."""
    from assistant.tenders.export import ExportOptions, to_docx, to_markdown
    from assistant.tenders.review import source_documents
    from assistant.settings import ROOT
    from assistant.tenders.tender import read_tender

    example = read_tender(ROOT / "examples" / "tender-rengoering.json")
    ws = services.workspace
    t0 = time.perf_counter()
    tender_id = ws.import_tender(example, "bench")
    figures = {"tender_import_ms": round((time.perf_counter() - t0) * 1000, 1)}
    timings: dict[str, list[float]] = {"tender_snapshot_ms": [], "export_docx_ms": [], "export_md_ms": []}
    for _ in range(repeats):
        t0 = time.perf_counter()
        tender = ws.snapshot(tender_id, source_documents(services.catalog))
        t1 = time.perf_counter()
        data = to_docx(tender, ExportOptions(review_annex=True))
        t2 = time.perf_counter()
        to_markdown(tender, ExportOptions(review_annex=True))
        t3 = time.perf_counter()
        for key, seconds in zip(timings, (t1 - t0, t2 - t1, t3 - t2)):
            timings[key].append(seconds * 1000)
    figures.update({k: round(statistics.median(v), 1) for k, v in timings.items()})
    figures["export_docx_kb"] = round(len(data) / 1024, 1)
    return figures


def run(settings: Settings, results_dir: Path, ask_count: int = 5, draft_count: int = 3) -> str:
    figures: dict[str, float | int | str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        fresh = settings.model_copy(update={"data_dir": Path(tmp)})
        services = Services.build(fresh)
        try:
            services.embedder.embed_query("opvarmning")  # load the model outside the timings
            # Raw embedder throughput over the very chunks the index will hold: the ceiling.
            config = ChunkConfig(fresh.chunk_chars, fresh.chunk_min_chars)
            texts = [c.index_text() for p in services.indexer.source_files()
                     for c in chunk_document(load_file(p), config)]
            t0 = time.perf_counter()
            for i in range(0, len(texts), fresh.embed_batch):
                services.embedder.embed_passages(texts[i:i + fresh.embed_batch])
            raw = time.perf_counter() - t0
            figures["chunks"] = len(texts)
            figures["embedder_chunks_per_s"] = round(len(texts) / raw, 1)

            t0 = time.perf_counter()
            report = services.indexer.sync()
            build = time.perf_counter() - t0
            figures["index_build_s"] = round(build, 2)
            figures["index_chunks_per_s"] = round(report.chunks_embedded / build, 1)
            t0 = time.perf_counter()
            services.indexer.sync()
            figures["reindex_unchanged_s"] = round(time.perf_counter() - t0, 3)

            questions = load_questions()
            latencies = []
            for q in questions:
                t0 = time.perf_counter()
                services.retriever.search(q.question, fresh.retrieve_k)
                latencies.append((time.perf_counter() - t0) * 1000)
            figures["query_ms_p50"] = round(_percentile(latencies, 0.5), 1)
            figures["query_ms_p95"] = round(_percentile(latencies, 0.95), 1)

            figures.update(_tender_figures(services))

            if ask_count:
                t0 = time.perf_counter()
                services.chat_model.invoke("Hej")  # loads the GGUF (hash check included)
                figures["llm_load_and_first_call_s"] = round(time.perf_counter() - t0, 2)
                ttfts, totals = [], []
                for q in [q for q in questions if q.answerable][:ask_count]:
                    t0 = time.perf_counter()
                    first = None
                    for event in services.answerer.stream(q.question):
                        if isinstance(event, Token) and first is None:
                            first = time.perf_counter() - t0
                        elif isinstance(event, Final):
                            totals.append(time.perf_counter() - t0)
                    ttfts.append(first or totals[-1])
                figures["ask_questions"] = len(totals)
                figures["ask_ttft_s_p50"] = round(statistics.median(ttfts), 2)
                figures["ask_total_s_p50"] = round(statistics.median(totals), 2)
                figures["ask_total_s_max"] = round(max(totals), 2)
            if draft_count:
                from evals.drafting import load_tasks

                seconds = []
                for task in [t for t in load_tasks() if t["kind"] == "normal"][:draft_count]:
                    t0 = time.perf_counter()
                    services.drafter.draft(task["request"])
                    seconds.append(time.perf_counter() - t0)
                figures["draft_cards"] = len(seconds)
                figures["draft_s_per_card_p50"] = round(statistics.median(seconds), 2)
        finally:
            services.close()

    record = {"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "embedder": settings.embedder,
              "llm": settings.llm, "threads": settings.llm_threads, "figures": figures}
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    rows = ["| figure | value |", "|---|---|"] + [f"| {k} | {v} |" for k, v in figures.items()]
    return "\n".join(rows) + f"\n\nresults: {path}"
