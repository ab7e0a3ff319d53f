"""`python -m evals runtime [--python OTHER …]`: prompt and generation tokens/s of the model runtime.

Runs ``assistant.llm.probe --bench`` (a ~500-token Danish prompt, 32 new tokens, 2 threads) in a child
process for this venv's build and for any other interpreter given (e.g. a venv with a native build,
made by ``tools/llama_build.py --venv DIR --cpu native``), twice each, and prints a table.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from assistant.llm.runtime_check import probe_command
from assistant.settings import ROOT, Settings


def _build_name(python: str) -> str:
    record = Path(python).parent.parent / "llama-build.json"  # <venv>/bin/python → <venv>/llama-build.json
    try:
        return json.loads(record.read_text()).get("cpu", "?")
    except (OSError, ValueError):
        return "?"


def run(settings: Settings, results_dir: Path, pythons: list[str], repeats: int = 2) -> str:
    rows = []
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for python in [sys.executable, *pythons]:
        for _ in range(repeats):
            proc = subprocess.run(probe_command(settings.gguf_path, settings.llm_threads, bench=True,
                                                python=python), capture_output=True, text=True, env=env, cwd=ROOT)
            if proc.returncode != 0:
                rows.append({"build": _build_name(python), "python": python, "error": proc.returncode})
                continue
            data = json.loads(proc.stdout.strip().splitlines()[-1])
            rows.append({"build": _build_name(python), "python": python, **{k: data[k] for k in (
                "load_s", "prompt_tokens", "prompt_tok_s", "gen_tok_s", "system_info")}})
    results_dir.mkdir(parents=True, exist_ok=True)
    out = results_dir / f"runtime-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(rows, ensure_ascii=False, indent=2))
    lines = ["| build | load s | prompt tok/s | generation tok/s |", "|---|---|---|---|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['build']} | crashed (exit {r['error']}) | | |")
        else:
            lines.append(f"| {r['build']} | {r['load_s']:.2f} | {r['prompt_tok_s']} | {r['gen_tok_s']} |")
    return "\n".join(lines) + f"\n\n(written to {out})"
