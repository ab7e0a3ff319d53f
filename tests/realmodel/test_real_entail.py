"""The embedded model's second opinion reads its first token's odds (one forward pass, no sampling)."""

from __future__ import annotations

import pytest

from assistant.claims.entail import EntailmentJudge
from assistant.llm.prompts import load_prompt

pytestmark = pytest.mark.realmodel

WINDOW = ("Forsøgsordningen har ført til, at overtrækssko helt er udfaset på alle daginstitutionerne, og "
          "reduceret i hjemmeplejen.")


def test_the_odds_tell_a_faithful_sentence_from_a_contradicted_one(real):
    judge = EntailmentJudge(real.chat_model, load_prompt("entail"))
    faithful = judge.judge("Forsøgsordningen har ført til, at overtrækssko er udfaset på alle daginstitutionerne.",
                           WINDOW)
    contradicted = judge.judge("Overtrækssko bruges fortsat på alle daginstitutionerne.", WINDOW)
    assert faithful.score is not None and contradicted.score is not None
    # Measured here: about +1.2 and -2.5. A subtler widening ("i både daginstitutionerne og hjemmeplejen")
    # is not told apart by this model; the claims eval reports how often.
    assert faithful.holds and not contradicted.holds, (faithful, contradicted)
    # The prefix (system prompt and worked examples) is kept: the same question again gives the same odds,
    # up to the rounding of a differently batched forward pass (-2.48 and -2.52 measured).
    again = judge.judge("Overtrækssko bruges fortsat på alle daginstitutionerne.", WINDOW)
    assert again.score == pytest.approx(contradicted.score, abs=0.2)
