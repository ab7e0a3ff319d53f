"""`python -m evals badfiles`: the bad-file corpus through the default loader (child process, budgets).

Per kind: files, refused, accepted, slowest seconds and peak memory of the loading child. Then the
second user's wait: while the slowest file loads, another user's search is timed (the loader runs in a
child process, so it cannot hold this process's GIL).
"""

from __future__ import annotations

import json
import statistics
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from assistant.ingest.isolate import load_isolated
from assistant.ingest.load import LoadError, LoadLimits, doc_id_for
from assistant.services import Services
from assistant.settings import Settings


def _second_user_wait(settings: Settings, worst: Path, folder: Path) -> dict:
    local = settings.model_copy(update={"data_dir": folder / "data"})
    services = Services.build(local)
    try:
        services.indexer.sync()
        services.retriever.search("klimaafgift oksekød", 5)  # warm
        waits: list[float] = []
        loader = threading.Thread(target=services.indexer.add_files, args=([worst],))
        start = time.perf_counter()
        loader.start()
        while loader.is_alive():
            t = time.perf_counter()
            passages = services.retriever.search("Hvad er formålet med principperne for cirkulær emballage?", 5)
            waits.append(time.perf_counter() - t)
            assert passages
            time.sleep(0.2)
        loader.join()
        return {"worst_file": worst.name, "load_s": round(time.perf_counter() - start, 2),
                "searches": len(waits), "search_p50_s": round(statistics.median(waits), 3) if waits else None,
                "search_max_s": round(max(waits), 3) if waits else None}
    finally:
        services.close()


def run(settings: Settings, results_dir: Path, concurrency: bool = True) -> str:
    from tests.fixtures.badfiles import generate

    limits = LoadLimits.from_settings(settings)
    rows: dict[str, dict] = defaultdict(lambda: {"files": 0, "refused": 0, "accepted": 0, "max_s": 0.0,
                                                 "peak_mb": 0.0})
    slowest = (0.0, None)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = generate(folder / "bad")
        for bad in files:
            row = rows[bad.kind]
            row["files"] += 1
            start = time.perf_counter()
            try:
                _, stats = load_isolated(bad.path, limits, doc_id_for(bad.path), timeout_s=settings.load_timeout_s,
                                         memory_mb=settings.load_memory_mb)
                row["accepted"] += 1
                row["peak_mb"] = max(row["peak_mb"], stats.peak_mb or 0.0)
            except LoadError:
                row["refused"] += 1
            seconds = time.perf_counter() - start
            row["max_s"] = max(row["max_s"], round(seconds, 2))
            if seconds > slowest[0]:
                slowest = (seconds, bad.path)
        wait = _second_user_wait(settings, slowest[1], folder) if concurrency and slowest[1] else None
    total = {k: sum(r[k] for r in rows.values()) for k in ("files", "refused", "accepted")}
    results_dir.mkdir(parents=True, exist_ok=True)
    out = results_dir / f"badfiles-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"kinds": rows, "total": total, "second_user": wait}, ensure_ascii=False, indent=2))
    lines = ["| kind | files | refused | accepted | slowest s | peak MB (accepted) |", "|---|---|---|---|---|---|"]
    for kind, r in sorted(rows.items(), key=lambda kv: -kv[1]["max_s"]):
        lines.append(f"| {kind} | {r['files']} | {r['refused']} | {r['accepted']} | {r['max_s']:.2f} | "
                     f"{r['peak_mb']:.0f} |")
    lines.append(f"| **all** | {total['files']} | {total['refused']} | {total['accepted']} | "
                 f"{slowest[0]:.2f} | {max(r['peak_mb'] for r in rows.values()):.0f} |")
    if wait:
        lines.append(f"\nSecond user's search while {wait['worst_file']} loads ({wait['load_s']} s): "
                     f"{wait['searches']} searches, p50 {wait['search_p50_s']} s, max {wait['search_max_s']} s.")
    return "\n".join(lines) + f"\n\n(written to {out})"
