"""Packaging: every subpackage of assistant/ ships, and the installed package finds its prompts and
clause library through importlib.resources (tests/system/test_installed_package.py installs it)."""

from __future__ import annotations

import tomllib

from assistant.settings import ROOT


def test_every_subpackage_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "assistant").rglob("__init__.py")}
    assert found <= listed, sorted(found - listed)
    mapped = config["package-dir"]
    assert mapped == {"assistant.resources.prompts": "prompts", "assistant.resources.clauses": "corpus/clauses"}
    assert "evals" not in listed  # never installed as a top-level package


def test_prompts_and_clauses_come_from_the_package_resources():
    from importlib import resources

    from assistant.drafting.clauses import load_library
    from assistant.llm.prompts import load_prompt

    assert (resources.files("assistant.resources.prompts") / "answer" / "system.md").is_file()
    assert load_prompt("answer").system and load_prompt("draft").user
    assert len(load_library().templates) >= 50
