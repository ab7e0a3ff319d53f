"""Benchmarks on this machine: index build (chunks/s vs the raw embedder), query
latency p50/p95, and time to first token / total time for `ask` with the LLM."""

from __future__ import annotations

import json
import resource
import statistics
import tempfile
import time
from pathlib import Path

from assistant.answering.answer import Final, Quoted, Rereading, Retrieved, Token
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
    from assistant.settings import ROOT
    from assistant.tenders.export import ExportOptions, to_docx, to_markdown
    from assistant.tenders.review import source_documents
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


def _ask_figures(services: Services, questions: list, count: int) -> dict[str, float | int]:
    """Seconds per stage of ``ask`` for ``count`` answerable questions spread over the set (so English ones
    are among them), and the prompt tokens the model reads for each."""
    def spread(items: list, n: int) -> list:
        return [items[i * len(items) // n] for i in range(min(n, len(items)))]

    english = count // 3  # about the share of English questions in the set
    chosen = (spread([q for q in questions if q.answerable and q.lang != "en"], count - english)
              + spread([q for q in questions if q.answerable and q.lang == "en"], english))
    stages: dict[str, list[float]] = {"sources": [], "quotes": [], "first_token": [], "total": []}
    tokens = []
    rereads = 0
    for q in chosen:
        t0 = time.perf_counter()
        seen: dict[str, float] = {}
        for event in services.answerer.stream(q.question):
            now = time.perf_counter() - t0
            if isinstance(event, Retrieved):
                seen["sources"] = now
            elif isinstance(event, Quoted):
                seen["quotes"] = now
            elif isinstance(event, Token):
                seen.setdefault("first_token", now)
            elif isinstance(event, Rereading):
                rereads += 1
            elif isinstance(event, Final):
                seen["total"] = now
                tokens.append(_prompt_tokens(services, q.question, event.answer.passages))
        seen.setdefault("first_token", seen["total"])
        for stage, values in stages.items():
            values.append(seen[stage])
    figures: dict[str, float | int] = {"ask_questions": len(chosen),
                                       "ask_english_questions": sum(q.lang == "en" for q in chosen),
                                       "ask_reread": rereads}
    for stage, values in stages.items():
        figures[f"ask_{stage}_s_p50"] = round(statistics.median(values), 2)
    figures["ask_total_s_max"] = round(max(stages["total"]), 2)
    figures["ask_first_token_s_max"] = round(max(stages["first_token"]), 2)
    counted = [t for t in tokens if t]
    if counted:
        figures["ask_prompt_tokens_p50"] = int(statistics.median(counted))
    return figures


def _prompt_tokens(services: Services, question: str, passages: tuple) -> int | None:
    """The tokens of the whole answer prompt as the embedded model reads it (chat template included)."""
    from assistant.answering.answer import format_excerpts, format_passages
    from assistant.llm.chat import LlamaCppChatModel

    chat, answerer = services.chat_model, services.answerer
    if not isinstance(chat, LlamaCppChatModel) or chat._llama is None:
        return None
    read = (format_excerpts(answerer.compressor.excerpts(question, list(passages))) if answerer.compressor
            else format_passages(list(passages)))
    messages = answerer.prompt.messages(question=question.strip(), passages=read)
    roles = {"system": "system", "human": "user", "ai": "assistant"}
    rendered = "".join(f"<|im_start|>{roles[role]}\n{text}<|im_end|>\n" for role, text in messages)
    rendered += "<|im_start|>assistant\n"
    return len(chat._llama.tokenize(rendered.encode("utf-8"), add_bos=False))


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
                figures.update(_ask_figures(services, questions, ask_count))
            if draft_count:
                from evals.drafting import load_tasks

                # Per card, since a request naming several aspects gets several cards (each drafted in turn,
                # and the UI shows each as it is done).
                seconds, cards = [], 0
                for task in [t for t in load_tasks() if t["kind"] == "normal"][:draft_count]:
                    plan = services.drafter.plan(task["request"])
                    for index in range(len(plan.chosen)):
                        t0 = time.perf_counter()
                        services.drafter.card_for(plan, index)
                        seconds.append(time.perf_counter() - t0)
                        cards += 1
                figures["draft_requests"] = draft_count
                figures["draft_cards"] = cards
                if seconds:
                    figures["draft_s_per_card_p50"] = round(statistics.median(seconds), 2)
                    figures["draft_s_per_card_max"] = round(max(seconds), 2)
            # Peak resident memory of this process, which holds what the app holds: both models, the stores.
            figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        finally:
            services.close()

    record = {"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "embedder": settings.embedder,
              "llm": settings.llm, "threads": settings.llm_threads, "figures": figures}
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    rows = ["| figure | value |", "|---|---|"] + [f"| {k} | {v} |" for k, v in figures.items()]
    return "\n".join(rows) + f"\n\nresults: {path}"
