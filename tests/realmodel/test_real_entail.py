"""The embedded model's second opinion reads its first token's odds (one forward pass, no sampling)."""

from __future__ import annotations

import pytest

from assistant.claims.entail import EntailmentJudge
from assistant.llm.prompts import load_prompt

pytestmark = pytest.mark.realmodel

WINDOW = ("Forsøgsordningen har ført til, at overtrækssko helt er udfaset på alle daginstitutionerne, og "
          "reduceret i hjemmeplejen.")


def test_the_odds_tell_a_faithful_sentence_from_a_widened_one(real):
    judge = EntailmentJudge(real.chat_model, load_prompt("entail"))
    faithful = judge.judge("Overtrækssko er udfaset på alle daginstitutionerne.", WINDOW)
    widened = judge.judge("Overtrækssko er helt udfaset i både daginstitutionerne og hjemmeplejen.", WINDOW)
    assert faithful.score is not None and widened.score is not None
    assert faithful.score > widened.score, (faithful, widened)
    # The prefix (system prompt and worked examples) is read once: the same question again is instant work.
    again = judge.judge("Overtrækssko er udfaset på alle daginstitutionerne.", WINDOW)
    assert again.score == pytest.approx(faithful.score, abs=1e-3)
