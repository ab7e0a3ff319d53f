"""Prompt templates are files in prompts/<name>/{system,user}.md with {named} slots.

Rendering fails on a missing or unexpected slot, so a renamed variable can never
silently produce a prompt with a literal "{question}" in it.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable


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
    """System text, optional worked examples (literal user/assistant turns) and the user template.

    Small local models follow a worked example given as a real chat turn far better
    than one described inside the system text (measured: see README, answering).
    """

    name: str
    system: str
    user: str
    examples: tuple[tuple[str, str], ...] = ()

    def messages(self, **values: str) -> list[tuple[str, str]]:
        """(role, text) pairs; the system part may use a subset of the slots."""
        sys_values = {k: v for k, v in values.items() if k in slots(self.system)}
        user_values = {k: v for k, v in values.items() if k in slots(self.user)}
        unused = values.keys() - sys_values.keys() - user_values.keys()
        if unused:
            raise PromptError(f"prompt {self.name}: unexpected slots {sorted(unused)}")
        turns = [("system", render(self.system, **sys_values))]
        for example_user, example_answer in self.examples:
            turns += [("human", example_user), ("ai", example_answer)]
        return [*turns, ("human", render(self.user, **user_values))]


def load_prompt(name: str, directory: Traversable | None = None) -> ChatPrompt:
    """prompts/<name>/system.md, user.md and any example-N.user.md / example-N.answer.md pairs.

    Read through importlib.resources (the top-level prompts/ ships as assistant.resources.prompts),
    so an installed wheel finds them as a checkout does.
    """
    folder = (directory or resources.files("assistant.resources.prompts")) / name

    def read(path: Traversable) -> str:
        return path.read_text(encoding="utf-8").strip()

    examples = tuple(
        (read(u), read(folder / u.name.replace(".user.md", ".answer.md")))
        for u in sorted(folder.iterdir(), key=lambda t: t.name)
        if u.name.startswith("example-") and u.name.endswith(".user.md")
    )
    return ChatPrompt(name=name, system=read(folder / "system.md"), user=read(folder / "user.md"),
                      examples=examples)
