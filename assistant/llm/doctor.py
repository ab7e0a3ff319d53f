"""`python -m assistant doctor`: what a municipality's IT department needs to see on its own server.

CPU and flags, the llama.cpp build in use (our build record and llama.cpp's own system info), the model
file's sha256, load time and prompt/generation tokens per second. The runtime only ever runs in a child
process here (``assistant.llm.probe``), so a build that would die with SIGILL is reported, not suffered.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant.llm.model_store import GGUF_SHA256, ModelError, verify
from assistant.llm.runtime_check import cpu_description, describe_failure, probe_command, runtime_libraries
from assistant.settings import Settings
from assistant.text import danish_int

BUILD_RECORD = Path(sys.prefix) / "llama-build.json"
_RELEVANT_FLAG = re.compile(r"^(sse4_2|avx|avx2|fma|f16c|avx_vnni|avx512\w*|amx\w*|neon|asimd\w*|sve\w*)$")
# Mnemonics that only AMX code contains (the crash in issue 14 was `tilezero`).
_AMX_MNEMONICS = ("tilezero", "ldtilecfg", "tileloadd", "tdpbssd", "tdpbf16ps")


@dataclass
class Check:
    name: str
    ok: bool
    summary: str
    data: dict = field(default_factory=dict)


def amx_instructions(library: Path) -> int | None:
    """How many AMX instructions the library's code holds (None when objdump is missing)."""
    if not shutil.which("objdump"):
        return None
    proc = subprocess.run(["objdump", "-d", "--no-show-raw-insn", str(library)], capture_output=True,
                          text=True, timeout=120)
    return sum(1 for line in proc.stdout.splitlines() if any(m in line for m in _AMX_MNEMONICS))


def check_machine() -> Check:
    name, flags = cpu_description()
    relevant = [f for f in flags if _RELEVANT_FLAG.match(f)]
    data = {"platform": platform.platform(), "machine": platform.machine(), "cpu": name,
            "cores": os.cpu_count(), "python": platform.python_version(), "cpu_flags": relevant}
    listed_amx = any(f.startswith("amx") for f in flags)
    summary = f"{name}, {os.cpu_count()} kerner; flag: {' '.join(relevant) or '(ingen læst)'}"
    if listed_amx:
        summary += (" — processoren angiver AMX; en virtuel maskine tillader det ikke altid, derfor bygges "
                    "motoren uden AMX")
    return Check("Maskine", True, summary, data)


def check_build() -> Check:
    try:
        version = importlib.metadata.version("llama_cpp_python")
    except importlib.metadata.PackageNotFoundError:
        return Check("llama.cpp-byg", False, "llama-cpp-python er ikke installeret. Kør 'make setup'.")
    record: dict = {}
    if BUILD_RECORD.is_file():
        try:
            record = json.loads(BUILD_RECORD.read_text())
        except ValueError:
            record = {}
    libs = runtime_libraries()
    cpu_lib = next((p for p in libs if p.name.startswith("libggml-cpu")), None)
    amx = amx_instructions(cpu_lib) if cpu_lib else None
    data = {"version": version, "record": record, "libraries": [str(p) for p in libs],
            "amx_instructions": amx}
    if record:
        summary = f"llama-cpp-python {version}, bygget '{record.get('cpu')}': {' '.join(record.get('cmake_args', []))}"
    else:
        summary = (f"llama-cpp-python {version}, ukendte byggeflag (ikke bygget af 'make setup'; "
                   "'make rebuild-llm LLAMA_CPU=portable' bygger den portabelt)")
    ok = True
    if amx:
        summary += f"; biblioteket indeholder {amx} AMX-instruktioner"
        ok = record.get("cpu") == "native"
    elif amx == 0:
        summary += "; ingen AMX-instruktioner i libggml-cpu"
    return Check("llama.cpp-byg", ok, summary, data)


def check_model(path: Path) -> Check:
    start = time.perf_counter()
    try:
        verify(path)
    except ModelError as exc:
        return Check("Model", False, str(exc), {"path": str(path)})
    seconds = time.perf_counter() - start
    return Check("Model", True, f"{path} ({danish_int(path.stat().st_size)} bytes), sha256 stemmer "
                 f"({GGUF_SHA256[:12]}…, kontrolleret på {seconds:.1f} s)",
                 {"path": str(path), "sha256": GGUF_SHA256, "hash_s": round(seconds, 2)})


def run_probe(path: Path, threads: int, timeout_s: float = 300.0) -> Check:
    try:
        proc = subprocess.run(probe_command(path, threads, bench=True), capture_output=True, text=True,
                              timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return Check("Prøvekørsel", False, f"Sprogmodellen svarede ikke inden for {timeout_s:.0f} s.")
    if proc.returncode != 0:
        message, detail = describe_failure(proc.returncode, proc.stderr)
        return Check("Prøvekørsel", False, message, {"detail": detail})
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    summary = (f"indlæst på {data['load_s']:.1f} s; prompt {data['prompt_tok_s']} token/s "
               f"({data['prompt_tokens']} token), generering {data['gen_tok_s']} token/s "
               f"({data['generated_tokens']} token), {threads} tråde")
    return Check("Prøvekørsel", True, summary, data)


def run_doctor(settings: Settings) -> list[Check]:
    checks = [check_machine(), check_build()]
    if settings.llm == "openai":
        checks.append(Check("Model", True, f"OpenAI-kompatibel server: {settings.openai_base_url} "
                            f"({settings.openai_model}); den indlejrede motor bruges ikke"))
        return checks
    model = check_model(settings.gguf_path)
    checks.append(model)
    if model.ok:
        checks.append(run_probe(settings.gguf_path, settings.llm_threads))
    return checks


def render(checks: list[Check]) -> str:
    lines = []
    for c in checks:
        lines.append(f"{'OK ' if c.ok else 'FEJL'} {c.name}: {c.summary}")
        info = c.data.get("system_info")
        if info:
            lines.append(f"     llama.cpp: {info}")
    return "\n".join(lines)


def as_json(checks: list[Check]) -> list[dict]:
    return [{"name": c.name, "ok": c.ok, "summary": c.summary, "data": c.data} for c in checks]
