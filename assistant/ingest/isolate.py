"""Load a file in a child process with a wall-clock and a memory limit.

Parsing runs in C extensions and the regex engine while holding the GIL, so a hostile file parsed in
the app's process freezes every user's request, and a zip bomb or a PDF of repeated text operators can
take minutes or gigabytes. A child process can be killed: at ``timeout_s`` it is, and its address
space is capped at ``memory_mb``. What comes back is a Document or one Danish sentence.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import LoadError
from assistant.ingest.load_guard import LoadLimits
from assistant.types import Document, DocumentMeta, PageSpan, Section


@dataclass(frozen=True)
class LoadStats:
    seconds: float
    peak_mb: float | None  # the child's peak resident memory (None when it was killed)


def _limit_memory(memory_mb: int) -> Callable[[], None]:
    def apply() -> None:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def document_to_json(doc: Document) -> dict:
    return dataclasses.asdict(doc)


def document_from_json(data: dict) -> Document:
    return Document(meta=DocumentMeta(**data["meta"]), text=data["text"], sha256=data["sha256"],
                    sections=tuple(Section(s["start"], s["end"], tuple(s["heading_path"]))
                                   for s in data["sections"]),
                    pages=tuple(PageSpan(**p) for p in data["pages"]))


def load_isolated(path: Path, limits: LoadLimits, doc_id: str, *, timeout_s: float,
                  memory_mb: int) -> tuple[Document, LoadStats]:
    cmd = [sys.executable, "-m", "assistant.ingest.isolate", str(path), "--doc-id", doc_id,
           "--limits", json.dumps(dataclasses.asdict(limits))]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=_limit_memory(memory_mb))
    try:
        out, err = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise LoadError(f"Filen {path.name} tog mere end {timeout_s:g} s at læse, som er grænsen "
                        "(indstillingen UDB_LOAD_TIMEOUT_S); den er ikke indlæst.") from None
    seconds = time.perf_counter() - start
    try:
        reply = json.loads(out.decode("utf-8")) if proc.returncode == 0 else None
    except ValueError:
        reply = None
    if reply is None:
        tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        # MemoryError in Python, or a C allocation that aborted (SIGABRT) or was killed (SIGKILL).
        if "MemoryError" in tail[0] or proc.returncode in (-6, -9):
            raise LoadError(f"Filen {path.name} krævede mere end {memory_mb} MB hukommelse at læse, som er "
                            "grænsen (indstillingen UDB_LOAD_MEMORY_MB); den er ikke indlæst.")
        raise LoadError(f"Filen {path.name} kunne ikke læses (læseprocessen stoppede med kode "
                        f"{proc.returncode}); den er sandsynligvis beskadiget.")
    if "error" in reply:
        raise LoadError(reply["error"])
    return document_from_json(reply["document"]), LoadStats(seconds, reply.get("peak_mb"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path)
    parser.add_argument("--doc-id", required=True)
    parser.add_argument("--limits", required=True)
    args = parser.parse_args(argv)
    from assistant.ingest.load import load_file

    try:
        doc = load_file(args.path, LoadLimits(**json.loads(args.limits)), doc_id=args.doc_id)
        reply: dict = {"document": document_to_json(doc)}
    except LoadError as exc:
        reply = {"error": str(exc)}
    reply["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    sys.stdout.write(json.dumps(reply, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
