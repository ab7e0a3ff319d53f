"""Build llama-cpp-python for what this machine can really run, and install it into the venv.

Why this exists: llama.cpp's default build is native (every instruction the CPU *lists*). A virtual
machine may list AMX without letting a process use it, and then every generation dies with SIGILL.
A wheel built natively on one CPU and reused on another (pip's wheel cache, a cloned VM image, a shared
home) crashes the same way, far from the cause. So we:

- choose the CMake flags ourselves (``--cpu auto`` is the default: AVX-512 without AMX where this CPU
  lists it, else ``portable``: AVX2/FMA/F16C on x86-64, the baseline on aarch64; never ``-march=native``,
  never AMX);
- build with ``--no-cache-dir`` into a wheel folder inside the project, keyed by version, flags,
  machine and Python, so pip's own cache can never hand back a wheel built for another CPU;
- install from that folder only (``--no-index``) and record what was built in ``<venv>/llama-build.json``
  (``python -m assistant doctor`` reports it).

Standard library only: it runs before the project is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

VERSION = "0.3.36"
RECORD_NAME = "llama-build.json"

_X86_PORTABLE = ["-DGGML_NATIVE=OFF", "-DGGML_AVX=ON", "-DGGML_AVX2=ON", "-DGGML_FMA=ON",
                 "-DGGML_F16C=ON", "-DGGML_AVX_VNNI=OFF", "-DGGML_AVX512=OFF",
                 "-DGGML_AVX512_VBMI=OFF", "-DGGML_AVX512_VNNI=OFF", "-DGGML_AVX512_BF16=OFF",
                 "-DGGML_AMX_TILE=OFF", "-DGGML_AMX_INT8=OFF", "-DGGML_AMX_BF16=OFF"]
# AVX-512 without AMX: +45 % prompt speed where the CPU really runs it (shared/MODELS.md).
_X86_AVX512 = [f for f in _X86_PORTABLE if not f.startswith("-DGGML_AVX512")] + [
    "-DGGML_AVX512=ON", "-DGGML_AVX512_VBMI=ON", "-DGGML_AVX512_VNNI=ON", "-DGGML_AVX512_BF16=ON"]
_AVX512_FLAGS = {"avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512vbmi", "avx512_vnni",
                 "avx512_bf16"}
_X86_FLOOR_FLAGS = {"avx", "avx2", "fma", "f16c"}

CHOICES = ("auto", "portable", "avx512", "native")


def _is_x86(machine: str) -> bool:
    return machine in ("x86_64", "amd64", "AMD64")


def resolve(cpu: str, machine: str, flags: set[str]) -> str:
    """``auto`` (the default) is a choice checked at build time: AVX-512 without AMX where this CPU lists
    every flag that build uses, else portable. Never native, never AMX: the AMX crash came from a VM that
    lists AMX without granting it to the process, while Linux lists AVX-512 only where the kernel has
    enabled its register state. A venv carried to another CPU is caught by the runtime self-test."""
    if cpu != "auto":
        return cpu
    return "avx512" if _is_x86(machine) and _AVX512_FLAGS <= flags else "portable"


class BuildError(RuntimeError):
    pass


def cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return set()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("flags", "Features"):
            return set(value.split())
    return set()


def cmake_args(cpu: str, machine: str, flags: set[str]) -> list[str]:
    """The CMake flags for a build choice on this machine (raises when the CPU cannot run it)."""
    x86 = _is_x86(machine)
    if cpu == "native":
        return ["-DGGML_NATIVE=ON"]
    if cpu == "portable":
        if x86:
            missing = _X86_FLOOR_FLAGS - flags if flags else set()
            if missing:
                raise BuildError(f"this CPU lacks {sorted(missing)}; the portable build needs AVX2/FMA/F16C")
            return list(_X86_PORTABLE)
        return ["-DGGML_NATIVE=OFF"]
    if cpu == "avx512":
        if not x86:
            raise BuildError("LLAMA_CPU=avx512 is for x86-64 only")
        missing = _AVX512_FLAGS - flags
        if missing:
            raise BuildError(f"this CPU does not list {sorted(missing)}; use LLAMA_CPU=portable")
        return list(_X86_AVX512)
    raise BuildError(f"unknown LLAMA_CPU={cpu!r}; choose one of {', '.join(CHOICES)}")


def build_key(cpu: str, args: list[str], machine: str) -> str:
    ident = {"version": VERSION, "cpu": cpu, "cmake_args": args, "machine": machine,
             "python": sysconfig.get_platform() + "-" + sys.implementation.cache_tag}
    if cpu == "native":
        # A native wheel is only valid on the CPU it was built on.
        ident["cpu_flags"] = sorted(cpu_flags())
    return hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()[:12]


def _run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, env=env)


def ensure(venv: Path, cpu: str, cache: Path, force: bool = False) -> dict:
    machine, flags = platform.machine(), cpu_flags()
    cpu = resolve(cpu, machine, flags)
    args = cmake_args(cpu, machine, flags)
    key = build_key(cpu, args, machine)
    python = venv / "bin" / "python"
    record_path = venv / RECORD_NAME
    wheel_dir = cache / f"{VERSION}-{cpu}-{key}"
    if force:
        shutil.rmtree(wheel_dir, ignore_errors=True)
    if not force and record_path.is_file():
        try:
            current = json.loads(record_path.read_text())
        except ValueError:
            current = {}
        if current.get("key") == key and _installed_version(python) == VERSION:
            return current
    wheels = sorted(wheel_dir.glob("llama_cpp_python-*.whl"))
    if not wheels:
        tmp = wheel_dir.with_name(wheel_dir.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        env = dict(os.environ, CMAKE_ARGS=" ".join(args), FORCE_CMAKE="1")
        print(f"Building llama-cpp-python {VERSION} ({cpu}: {' '.join(args)}); ~5 min on 2 cores",
              flush=True)
        _run([str(python), "-m", "pip", "wheel", "-q", "--no-cache-dir", "--no-deps",
              "--no-binary", "llama-cpp-python", "-w", str(tmp), f"llama-cpp-python=={VERSION}"], env)
        tmp.replace(wheel_dir)
        wheels = sorted(wheel_dir.glob("llama_cpp_python-*.whl"))
    # Dependencies of llama-cpp-python (numpy, jinja2, diskcache, typing-extensions) come from the index;
    # the wheel itself only from our folder.
    _run([str(python), "-m", "pip", "install", "-q", "--no-cache-dir", "--force-reinstall", "--no-deps",
          str(wheels[-1])])
    _run([str(python), "-m", "pip", "install", "-q", "numpy", "jinja2>=2.11.3", "diskcache>=5.6.1",
          "typing-extensions>=4.5.0"])
    record = {"version": VERSION, "cpu": cpu, "cmake_args": args, "machine": machine, "key": key,
              "wheel": str(wheels[-1].resolve())}
    record_path.write_text(json.dumps(record, indent=2) + "\n")
    return record


def _installed_version(python: Path) -> str | None:
    out = subprocess.run([str(python), "-c", "import importlib.metadata as m;"
                          "print(m.version('llama_cpp_python'))"], capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=Path(".venv"))
    parser.add_argument("--cpu", default=os.environ.get("LLAMA_CPU", "auto"))
    parser.add_argument("--cache", type=Path, default=Path(".cache") / "llama-wheels")
    parser.add_argument("--force", action="store_true", help="rebuild even if a wheel is cached")
    args = parser.parse_args(argv)
    try:
        record = ensure(args.venv, args.cpu, args.cache.resolve(), force=args.force)
    except BuildError as exc:
        print(f"llama_build: {exc}", file=sys.stderr)
        return 2
    print(f"llama-cpp-python {record['version']} ({record['cpu']}) installed from {record['wheel']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
