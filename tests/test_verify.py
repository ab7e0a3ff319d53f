from __future__ import annotations

from assistant.search.lexical import DanishAnalyzer
from assistant.types import Chunk, Passage
from assistant.answering.verify import SupportChecker, split_sentences


def _passage(text: str, n: int) -> Passage:
    return Passage(Chunk(f"c{n}", "doc", "Rapport", n, 0, len(text), text), 1.0)


PASSAGES = [
    _passage("Alle nye biler i kommunen er elbiler.", 0),
    _passage("Kommunen har halveret madspildet i kantinerne siden 2021, og 12 køkkener deltager.", 1),
]


def test_split_sentences_keeps_markers_and_abbreviations_together():
    text = "Madspildet faldt med 30 pct. i kantinerne [2]. Bilerne er elbiler [1].\n- Et punkt."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Madspildet faldt med 30 pct. i kantinerne [2].", "Bilerne er elbiler [1].", "- Et punkt."]


def test_support_picks_the_passage_that_holds_the_words_and_numbers():
    checker = SupportChecker(DanishAnalyzer())
    [ok, invented] = checker.check(
        "Madspildet i kantinerne er halveret siden 2021 [1]. Kommunen sparede 400.000 kr. på biler [1].",
        PASSAGES, "Hvad er der sket med madspildet?")
    assert ok.supported and ok.support[0] == 2 and ok.cited == (1,)
    assert not invented.supported and invented.missing_numbers == ("400.000",)


def test_numbers_from_the_question_need_no_source_but_new_ones_do():
    checker = SupportChecker(DanishAnalyzer())
    [check] = checker.check("I 2030 deltager 12 køkkener i kantinerne.", PASSAGES, "Hvad sker der i 2030?")
    assert check.supported and check.missing_numbers == ()
    [check] = checker.check("I 2030 deltager 14 køkkener i kantinerne.", PASSAGES, "Hvad sker der i 2030?")
    assert not check.supported and check.missing_numbers == ("14",)


def test_a_name_the_question_asks_about_must_stand_in_the_passage():
    checker = SupportChecker(DanishAnalyzer())
    [check] = checker.check("Esbjerg Kommune har halveret madspildet i kantinerne siden 2021.", PASSAGES,
                            "Hvor meget har Esbjerg Kommune reduceret madspildet?")
    assert not check.supported and check.missing_names == ("esbjerg",)


def test_a_placeholder_after_an_abbreviation_does_not_start_a_sentence():
    text = "Leverandøren betaler bod efter kontraktens pkt. [X]; gentagen misligholdelse giver ret til ophævelse."
    assert [text[s:e] for s, e in split_sentences(text)] == [text]


class _SameVector:
    name = "same"

    def embed_passages(self, texts):
        return [[1.0, 0.0] for _ in texts]

    def embed_query(self, text):
        return [1.0, 0.0]


def test_dense_similarity_only_judges_english_sentences():
    checker = SupportChecker(DanishAnalyzer(), _SameVector(), min_similarity=0.82)
    [danish] = checker.check("Skolerne får nye tage af genbrugt tegl.", PASSAGES, "Hvad sker der?")
    [english] = checker.check("The municipality has halved food waste in the canteens.", PASSAGES, "What happened?")
    assert not danish.supported
    assert english.supported
