"""Prompt templates are files in prompts/<name>/{system,user}.md with {named} slots.

Rendering fails on a missing or unexpected slot, so a renamed variable can never
silently produce a prompt with a literal "{question}" in it.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

from assistant.settings import ROOT

PROMPTS_DIR = ROOT / "prompts"


class PromptError(KeyError):
    pass


def slots(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def render(template: str, **values: str) -> str:
    wanted = slots(template)
    missing, extra = wanted - values.keys(), values.keys() - wanted
    if missing or extra:
        raise PromptError(f"prompt slots: missing {sorted(missing)}, unexpected {sorted(extra)}")
    return template.format(**values)


@dataclass(frozen=True)
class ChatPrompt:
    name: str
    system: str
    user: str

    def messages(self, **values: str) -> list[tuple[str, str]]:
        """(role, text) pairs; the system part may use a subset of the slots."""
        sys_values = {k: v for k, v in values.items() if k in slots(self.system)}
        user_values = {k: v for k, v in values.items() if k in slots(self.user)}
        unused = values.keys() - sys_values.keys() - user_values.keys()
        if unused:
            raise PromptError(f"prompt {self.name}: unexpected slots {sorted(unused)}")
        return [("system", render(self.system, **sys_values)),
                ("human", render(self.user, **user_values))]


def load_prompt(name: str, directory: Path = PROMPTS_DIR) -> ChatPrompt:
    folder = directory / name
    return ChatPrompt(
        name=name,
        system=(folder / "system.md").read_text(encoding="utf-8").strip(),
        user=(folder / "user.md").read_text(encoding="utf-8").strip(),
    )
