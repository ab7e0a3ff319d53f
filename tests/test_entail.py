"""The second opinion: only asked when the claims check out and the words are not all the passage's."""

from __future__ import annotations

from assistant.claims.checker import ClaimChecker
from assistant.claims.entail import Entailment, EntailmentJudge
from assistant.llm.prompts import load_prompt
from assistant.search.lexical import DanishAnalyzer
from assistant.types import Chunk, Passage
from tests.fixtures.fakes import ScriptedChatModel

TEXT = ("Produktion indenfor fødevarer, bolig- og transportsektoren er de tre mest miljøbelastende sektorer, "
        "som indkøb derfor med fordel kan bruges til at rette blikket mod.")
PASSAGES = [Passage(Chunk("c1", "d1", "Strategi", 0, 0, len(TEXT), TEXT), 1.0)]


def _checker(replies: list[str]) -> tuple[ClaimChecker, ScriptedChatModel]:
    chat = ScriptedChatModel(replies=replies)
    return ClaimChecker(DanishAnalyzer(), judge=EntailmentJudge(chat, load_prompt("entail"))), chat


def test_a_swapped_word_the_claims_miss_is_caught_by_the_second_opinion():
    checker, chat = _checker(['{"svar": "nej"}'])
    # A list would be caught by the claims now ("»energi« nævnes ikke"); two members are no list.
    [check] = checker.check("Fødevarer og energi er blandt de tre mest miljøbelastende sektorer.", PASSAGES)
    assert not check.supported and "sprogmodellens kontrol" in check.problems[0]
    [call] = chat.calls
    assert "energi" in call[-1].content and "bolig" in call[-1].content  # the sentence and its window


def test_a_sentence_in_the_passages_own_words_needs_no_second_opinion():
    checker, chat = _checker(['{"svar": "nej"}'])
    [check] = checker.check("Fødevarer, bolig og transport er de tre mest miljøbelastende sektorer.", PASSAGES)
    assert check.supported and chat.calls == []


def test_a_yes_keeps_the_support_and_a_garbled_reply_does_not():
    checker, chat = _checker(['{"svar": "ja"}'])
    [check] = checker.check("Fødevarer, bolig og transport er de tre mest miljøbelastende brancher.", PASSAGES)
    assert check.supported and len(chat.calls) == 1
    checker, _ = _checker(["måske"])
    [check] = checker.check("Fødevarer og energi er blandt de tre mest miljøbelastende sektorer.", PASSAGES)
    assert not check.supported and "intet svar" in check.problems[0]


def test_the_judge_is_asked_for_exactly_one_word():
    chat = ScriptedChatModel(replies=['{"svar": "delvist"}'])
    verdict = EntailmentJudge(chat, load_prompt("entail")).judge("En sætning.", "Et uddrag.")
    assert verdict.verdict == "delvist" and not verdict.holds
    assert "ja" in chat.calls[0][0].content and "nej" in chat.calls[0][0].content


class _OddsModel(ScriptedChatModel):
    """A chat model that gives its first token's log-probabilities, as the embedded llama.cpp model does."""

    odds: dict[str, float] = {}

    def first_token_logprobs(self, messages, choices):
        self.calls.append(messages)
        return {c: self.odds[c] for c in choices}


def test_where_the_model_gives_odds_the_threshold_decides():
    chat = _OddsModel(replies=[], odds={"ja": -1.2, "nej": -0.4})
    prompt = load_prompt("entail")
    assert EntailmentJudge(chat, prompt).judge("En sætning.", "Et uddrag.") == Entailment("nej", -0.8)
    assert EntailmentJudge(chat, prompt, threshold=-1.0).judge("En sætning.", "Et uddrag.").holds
    # The worked examples are real turns before the sentence, so the prefix the model caches is fixed.
    roles = [m.type for m in chat.calls[0]]
    assert roles[0] == "system" and roles[-1] == "human" and roles.count("ai") >= 4
    assert "Et uddrag." in chat.calls[0][-1].content and "Et uddrag." not in chat.calls[0][-2].content


def test_the_claims_eval_sweeps_the_threshold_over_the_recorded_odds(tmp_path):
    import json

    from evals.claims import run_entailment

    chat = _OddsModel(replies=[], odds={"ja": -2.0, "nej": -0.1})  # every judged sentence scores -1.9
    out = run_entailment(tmp_path, None, EntailmentJudge(chat, load_prompt("entail")), ("card",),
                         thresholds=(-2.0, 0.0))
    [written] = tmp_path.glob("entailment-*.json")
    metrics = json.loads(written.read_text())["metrics"]["card"]
    assert metrics["-2.0"] == metrics["rules only"]  # -1.9 clears -2.0: nothing changes
    judged = sum(s is not None for s in json.loads(written.read_text())["scores"].values())
    assert judged == len(chat.calls) and judged > 0 and "Judged" in out
    assert metrics["+0.0"]["recall"] < metrics["rules only"]["recall"]  # judged true sentences lose support
