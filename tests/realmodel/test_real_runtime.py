"""The real model runtime: built portably (no AMX instruction in the installed library), the
self-test passes in a child process and is remembered, and the doctor reports it all."""

from __future__ import annotations

import io
import json
import sys

import pytest

from assistant.cli import main as cli
from assistant.llm.doctor import BUILD_RECORD, amx_instructions
from assistant.llm.runtime_check import ModelGate, runtime_libraries

pytestmark = pytest.mark.realmodel


def test_the_installed_runtime_holds_no_amx_instruction():
    record = json.loads(BUILD_RECORD.read_text())
    assert record["cpu"] in ("portable", "avx512", "native")
    assert "-DGGML_NATIVE=ON" not in record["cmake_args"] or record["cpu"] == "native"
    cpu_lib = next(p for p in runtime_libraries() if p.name.startswith("libggml-cpu"))
    if record["cpu"] != "native":
        assert amx_instructions(cpu_lib) == 0


def test_the_self_test_passes_on_this_machine_and_is_remembered(real_settings, tmp_path):
    cache = tmp_path / "selftest.json"
    gate = ModelGate(real_settings.gguf_path, real_settings.llm_threads, cache)
    result = gate.result()
    assert result.ok, result.message
    assert json.loads(cache.read_text())["ok"] is True
    again = ModelGate(real_settings.gguf_path, real_settings.llm_threads, cache,
                      command=[sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGILL)"])
    assert again.result().ok  # same runtime, CPU and model: the child is not started again


def test_doctor_reports_build_model_and_speed(real_settings):
    out = io.StringIO()
    code = cli.run(["doctor", "--json"], lambda: None, out=out, settings_factory=lambda: real_settings)
    checks = {c["name"]: c for c in json.loads(out.getvalue())}
    assert code == 0, checks
    assert checks["Model"]["data"]["sha256"].startswith("cc324af0")
    probe = checks["Prøvekørsel"]["data"]
    assert probe["prompt_tok_s"] > 0 and probe["gen_tok_s"] > 0 and probe["prompt_tokens"] > 300
    assert "AVX2 = 1" in probe["system_info"] and "AMX" not in probe["system_info"]
