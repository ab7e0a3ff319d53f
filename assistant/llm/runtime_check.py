"""The self-test that runs before the in-process model is trusted.

A llama.cpp build that uses instructions the machine does not allow (AMX listed by a VM that does not
enable it, a native wheel copied to another CPU) kills the whole process with SIGILL at the first
matrix multiplication: the CLI exits 132, the web app dies for every user. So before the first load we
generate a few tokens in a child process (``assistant.llm.probe``). A crash there becomes one Danish
sentence naming the cause and the fix, and the caller keeps running without the model.

A passing result is remembered in the data folder, keyed by the runtime's library files, the CPU and
the model file, so a later start skips the child; any rebuild, CPU change or new model checks again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import platform
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.llm.model_store import ModelError

log = logging.getLogger(__name__)

FIX = ("Kør 'make rebuild-llm LLAMA_CPU=portable' for at bygge sprogmodellens motor portabelt, og derefter "
       "'make doctor'.")


class ModelUnavailable(ModelError):
    """The model runtime failed its self-test; the message is the Danish sentence to show."""


@dataclass(frozen=True)
class SelfTestResult:
    ok: bool
    message: str  # Danish, for users; empty when ok
    detail: str  # technical, for logs and the doctor
    seconds: float
    fingerprint: str = ""


def cpu_description() -> tuple[str, list[str]]:
    """The CPU's model name and flags from /proc/cpuinfo (empty where there is none)."""
    name, flags = platform.processor() or platform.machine(), list[str]()
    try:
        text = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return name, flags
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "model name" and value.strip():
            name = value.strip()
        elif key in ("flags", "Features") and not flags:
            flags = value.split()
    return name, flags


def runtime_libraries() -> list[Path]:
    """llama-cpp-python's shared libraries, found without importing (and so without loading) them."""
    import importlib.util

    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or not spec.origin:
        return []
    lib = Path(spec.origin).parent / "lib"
    return sorted(p for p in lib.glob("*.so*") if p.is_file()) if lib.is_dir() else []


def fingerprint(model_path: Path) -> str:
    parts: list[str] = [sys.executable]
    for path in [*runtime_libraries(), model_path]:
        try:
            st = path.stat()
            parts.append(f"{path}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{path}:missing")
    name, flags = cpu_description()
    parts += [name, " ".join(sorted(flags))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def describe_failure(returncode: int, stderr: str) -> tuple[str, str]:
    """(Danish sentence, technical detail) for a probe that did not pass."""
    tail = stderr.strip().splitlines()[-1][:300] if stderr.strip() else ""
    if returncode < 0:
        try:
            sig = signal.Signals(-returncode).name
        except ValueError:
            sig = f"signal {-returncode}"
        if sig == "SIGILL":
            return ("Sprogmodellen kan ikke køre på denne maskine: dens motor (llama.cpp) er bygget til "
                    "processorinstruktioner, som maskinen ikke tillader (typisk AMX eller AVX-512 i en "
                    f"virtuel maskine), og den stoppede med 'Illegal instruction'. {FIX}",
                    f"probe died with {sig}")
        return (f"Sprogmodellens motor (llama.cpp) brød sammen ved prøvekørslen ({sig}). {FIX}",
                f"probe died with {sig}; {tail}")
    return (f"Sprogmodellen kunne ikke indlæses ved prøvekørslen (afslutningskode {returncode}: {tail}). "
            f"{FIX}", f"probe exited {returncode}; {tail}")


def probe_command(model_path: Path, threads: int, *, bench: bool = False,
                  python: str = sys.executable) -> list[str]:
    """The child that runs the runtime: 4 tokens for the self-test, a ~500-token prompt for --bench."""
    cmd = [python, "-m", "assistant.llm.probe", "--model", str(model_path), "--threads", str(threads)]
    return [*cmd, "--bench"] if bench else [*cmd, "--tokens", "4"]


class ModelGate:
    """Runs the child-process self-test once per process (and once per runtime/CPU/model on disk).

    ``command`` replaces the probe (tests use a fake runtime that dies with a signal).
    """

    def __init__(self, model_path: Path, threads: int, cache_path: Path | None,
                 command: Sequence[str] | None = None, timeout_s: float = 180.0):
        self.model_path = Path(model_path)
        self.threads = threads
        self.cache_path = cache_path
        self.command = list(command) if command else None
        self.timeout_s = timeout_s
        self._result: SelfTestResult | None = None
        self._lock = threading.Lock()

    def _probe_command(self) -> list[str]:
        return self.command or probe_command(self.model_path, self.threads)

    def _cached(self, key: str) -> SelfTestResult | None:
        if self.cache_path is None or not self.cache_path.is_file():
            return None
        try:
            data = json.loads(self.cache_path.read_text())
            if data.get("fingerprint") == key and data.get("ok") is True:
                return SelfTestResult(**data)
        except (OSError, ValueError, TypeError):
            pass
        return None

    def _remember(self, result: SelfTestResult) -> None:
        if self.cache_path is None or not result.ok:
            return
        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            self.cache_path.write_text(json.dumps(asdict(result), ensure_ascii=False) + "\n")
        except OSError as exc:
            log.warning("could not remember the model self-test: %s", exc)

    def result(self) -> SelfTestResult:
        with self._lock:
            if self._result is None:
                self._result = self._run()
            return self._result

    def _run(self) -> SelfTestResult:
        key = fingerprint(self.model_path)
        cached = self._cached(key)
        if cached:
            return cached
        start = time.perf_counter()
        try:
            proc = subprocess.run(self._probe_command(), capture_output=True, text=True,
                                  timeout=self.timeout_s)
        except subprocess.TimeoutExpired:
            return SelfTestResult(False, "Sprogmodellen svarede ikke inden for "
                                  f"{self.timeout_s:.0f} s ved prøvekørslen. {FIX}", "probe timed out",
                                  time.perf_counter() - start, key)
        except OSError as exc:
            return SelfTestResult(False, f"Prøvekørslen af sprogmodellen kunne ikke startes ({exc}).",
                                  str(exc), time.perf_counter() - start, key)
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            message, detail = describe_failure(proc.returncode, proc.stderr)
            log.error("model self-test failed: %s", detail)
            return SelfTestResult(False, message, detail, seconds, key)
        result = SelfTestResult(True, "", proc.stdout.strip()[-500:], seconds, key)
        self._remember(result)
        return result

    def ensure(self) -> None:
        """Raise ModelUnavailable with the Danish sentence unless the runtime passed."""
        result = self.result()
        if not result.ok:
            raise ModelUnavailable(result.message)
