"""Many users at once: `python -m evals load --clients 20 --seconds 60` serves the app on loopback and runs that
many browser-less clients (gradio_client, each its own session) through the Gradio API for that long. Each client
asks a question (the real embedder, retrieval, quotes and the claim checker; the language model is replaced by a
scripted reply, since the one embedded model answers one question at a time and is timed by `bench`), opens the
tender and a requirement, and exports the tender to Word, over and over. Reported: calls, errors, p50/p95 per
kind, and the process's peak memory.
"""

from __future__ import annotations

import json
import resource
import statistics
import threading
import time
from pathlib import Path

QUESTIONS = ["Hvor meget faldt Aarhus' forbrug af oksekød efter klimaafgiften?",
             "Hvad er formålet med principperne for cirkulær emballage?",
             "Hvordan arbejder Fredensborg med kontraktstyring?"]


def _client_loop(url: str, tender_id: str, entry_id: str, deadline: float, seed: int,
                 times: dict[str, list[float]], errors: list[str], lock: threading.Lock) -> None:
    from gradio_client import Client

    client = Client(url, verbose=False)
    n = seed
    while time.monotonic() < deadline:
        n += 1
        for kind, call in (
            ("spørg", lambda n=n: (client.predict(QUESTIONS[n % 3], [], api_name="/show_question_1"),
                               client.predict([], None, api_name="/respond_pending_1"))),
            ("åbn krav", lambda: (client.predict(tender_id, "Alle", api_name="/refresh"),
                                  client.predict(tender_id, entry_id, api_name="/open_entry"))),
            ("eksportér", lambda: client.predict(tender_id, "Hele udbuddet", False, True, "Word (.docx)",
                                                 "Arbejdsversion (kilder, markeringer og gennemgang)",
                                                 api_name="/export")),
        ):
            started = time.perf_counter()
            try:
                call()
            except Exception as exc:  # every failure is counted and reported, never hidden
                with lock:
                    errors.append(f"{kind}: {type(exc).__name__}: {str(exc)[:200]}")
                continue
            with lock:
                times[kind].append(time.perf_counter() - started)
            if time.monotonic() >= deadline:
                break


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_load(services, clients: int = 20, seconds: float = 60.0) -> dict:
    """Serve the app built on ``services`` and load it; returns the figures."""
    import socket

    from assistant.settings import ROOT
    from assistant.tenders.tender import read_tender
    from assistant.ui.app import create_app, launch

    if not services.workspace.tenders():
        services.workspace.import_tender(read_tender(ROOT / "examples" / "tender-rengoering.json"), "load-test")
    tender_id = services.workspace.tenders()[0].tender_id
    entry_id = services.workspace.snapshot(tender_id).sections[0].entries[0].entry_id
    app = create_app(services)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    launch(app, port=port, prevent_thread_lock=True, quiet=True)
    url = f"http://127.0.0.1:{port}/"
    times: dict[str, list[float]] = {"spørg": [], "åbn krav": [], "eksportér": []}
    errors: list[str] = []
    lock = threading.Lock()
    rss_start, peak = _rss_mb(), _rss_mb()
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=_client_loop, args=(url, tender_id, entry_id, deadline, i, times, errors,
                                                           lock), daemon=True) for i in range(clients)]
    try:
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            peak = max(peak, _rss_mb())
            time.sleep(0.5)
            if time.monotonic() > deadline + 120:  # bounded: a stuck call cannot hold the script
                errors.append("clients still running 120 s after the end")
                break
    finally:
        app.demo.close()

    def pct(values: list[float], q: float) -> float:
        return sorted(values)[min(len(values) - 1, int(q * len(values)))] if values else float("nan")

    return {"clients": clients, "seconds": seconds, "errors": len(errors), "error_samples": errors[:10],
            "calls": {k: len(v) for k, v in times.items()},
            "p50_s": {k: round(statistics.median(v), 3) if v else None for k, v in times.items()},
            "p95_s": {k: round(pct(v, 0.95), 3) if v else None for k, v in times.items()},
            "rss_start_mb": round(rss_start), "rss_peak_mb": round(peak),
            "maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def report(figures: dict, results_dir: Path) -> str:
    lines = [f"{figures['clients']} clients for {figures['seconds']:g} s: {figures['errors']} errors; memory "
             f"{figures['rss_start_mb']} → peak {figures['rss_peak_mb']} MB", "",
             "| call | count | p50 s | p95 s |", "|---|---|---|---|"]
    for kind, count in figures["calls"].items():
        lines.append(f"| {kind} | {count} | {figures['p50_s'][kind]} | {figures['p95_s'][kind]} |")
    lines += [f"- {e}" for e in figures["error_samples"]]
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"load-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return "\n".join(lines) + f"\n\nresults: {path}"
