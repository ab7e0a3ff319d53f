"""The second opinion: where words are not enough, the embedded model reads the one sentence and the one
window of the passage and answers ja / nej / delvist, constrained to that choice by a JSON schema.

It runs only for a sentence the claim checks already let through and that still has words the passage
does not use (a paraphrase or a swapped word: "energi" where the source says "bolig"); its cost is one
short prompt per such sentence, measured in `python -m evals claims --entail`."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Literal

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import convert_to_messages

from assistant.llm.chat import structured_output_kwargs
from assistant.llm.prompts import ChatPrompt

log = logging.getLogger(__name__)

Verdict = Literal["ja", "nej", "delvist"]
_SCHEMA = {"type": "object", "properties": {"svar": {"type": "string", "enum": ["ja", "nej", "delvist"]}},
           "required": ["svar"]}


@dataclass(frozen=True)
class Entailment:
    verdict: Verdict | None  # None when the model gave no usable answer
    score: float | None = None  # log P(ja) - log P(nej), where the model's probabilities can be read

    @property
    def holds(self) -> bool:
        return self.verdict == "ja"


class EntailmentJudge:
    """``threshold``: the least log-odds of "ja" over "nej" that counts as "ja", where the chat model gives
    its first token's probabilities (the embedded model); elsewhere the constrained reply decides."""

    def __init__(self, chat_model: BaseChatModel, prompt: ChatPrompt, *, max_window_chars: int = 900,
                 threshold: float = 0.0) -> None:
        self.chat_model = chat_model
        self.prompt = prompt
        self.max_window_chars = max_window_chars
        self.threshold = threshold
        self._kwargs = structured_output_kwargs(chat_model, _SCHEMA, "entailment")

    def judge(self, sentence: str, window: str) -> Entailment:
        messages = self.prompt.messages(passage=window[:self.max_window_chars], sentence=sentence)
        scorer = getattr(self.chat_model, "first_token_logprobs", None)
        if scorer is not None:
            # A sampled "ja" from a small model is nearly a coin; its odds, against a threshold measured on
            # the claims eval, are a graded judgement (README: claim checker, second opinion).
            odds = scorer(convert_to_messages(messages), ("ja", "nej"))
            score = odds["ja"] - odds["nej"]
            return Entailment("ja" if score >= self.threshold else "nej", round(score, 3))
        try:
            reply = self.chat_model.invoke(messages, max_tokens=12, temperature=0.0, **self._kwargs)
            verdict = json.loads(str(reply.content)).get("svar")
        except (ValueError, AttributeError) as exc:
            log.warning("entailment check gave no usable answer: %s", exc)
            return Entailment(None)
        return Entailment(verdict if verdict in ("ja", "nej", "delvist") else None)
