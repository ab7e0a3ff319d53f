"""The passages as the model reads them: the best sentences of all passages under one budget, in their
order, the rest left out; an English question picks them by the embedder. Quotes and citations keep the
whole text."""

from __future__ import annotations

from assistant.answering.answer import Answerer, Checking, Final, Rereading, format_excerpts
from assistant.answering.compress import GAP, Compressor
from assistant.claims.checker import ClaimChecker
from assistant.llm.prompts import load_prompt
from assistant.search.lexical import DanishAnalyzer
from assistant.types import Chunk, Passage
from tests.fixtures.fakes import BagOfWordsEmbedder, ScriptedChatModel

ESBJERG = ("Esbjerg Kommune har siden 2019 arbejdet med indkøb af møbler. Kommunen har et stort lager af "
           "brugte møbler i kælderen. Arbejdet er forankret i indkøbsafdelingen og i byrådets klimaplan. "
           "Ved at genbruge møbler har kommunen sparet 1,2 mio. kr. om året. Medarbejderne er glade for "
           "løsningen, og der er nu en fast aftale med en lokal tømrer om reparationer. Lageret bliver "
           "gennemgået to gange om året, og ødelagte møbler sendes til genanvendelse. Projektet er beskrevet "
           "i kommunens årsrapport, og andre kommuner har spurgt til erfaringerne med ordningen.")
OTHER = ("Indkøb af fødevarer fylder meget i kommunernes klimaregnskab. Økologi og sæson er to greb. "
         "Madspild kan reduceres med bedre planlægning i køkkenerne. Mange kommuner har mål for økologi. "
         "Der findes vejledninger fra Forum for Bæredygtige Indkøb om både fødevarer og måltider.")


def _passage(text: str, n: int) -> Passage:
    return Passage(Chunk(f"c{n}", f"d{n}", f"Dokument {n}", 0, 0, len(text), text, ("Afsnit",)), 1.0 / n)


def test_a_danish_question_keeps_the_sentence_that_answers_it_and_leaves_out_the_rest():
    passages = [_passage(ESBJERG, 1), _passage(OTHER, 2)]
    first, second = Compressor(DanishAnalyzer(), budget_chars=200).excerpts(
        "Hvor meget har Esbjerg sparet på genbrug af møbler?", passages)
    assert "sparet 1,2 mio. kr. om året" in first.text and "lokal tømrer" not in first.text
    assert len(first.text) + len(second.text) <= 200
    # The kept sentences stand in their own order and are never run together.
    kept = [ESBJERG[a:b] for a, b in first.spans]
    assert first.text == GAP.join(kept) and [a for a, _ in first.spans] == sorted(a for a, _ in first.spans)
    assert format_excerpts([first, second]).startswith("[1] Dokument 1 — Afsnit\n")


def test_the_sentences_compete_across_passages_and_a_passage_left_out_keeps_the_others_numbers():
    passages = [_passage(OTHER, 1), _passage(ESBJERG, 2)]
    first, second = Compressor(DanishAnalyzer(), budget_chars=90).excerpts(
        "Hvor meget har Esbjerg sparet på genbrug af møbler?", passages)
    # The better-ranked passage does not win a sentence that shares none of the question's words.
    assert first.text == "" and "sparet 1,2 mio. kr." in second.text
    assert format_excerpts([first, second]).startswith("[2] Dokument 2 — Afsnit\n")


def test_a_title_is_written_once_and_without_its_subtitle():
    title = "Indkøb med mening – Fælleskommunal indkøbsstrategi 2020-2024"
    passages = [Passage(Chunk(f"c{n}", "d1", title, 0, 0, len(text), text, (heading,)), 1.0)
                for n, (text, heading) in enumerate([(ESBJERG, "Møbler"), (OTHER, "Mad")])]
    read = format_excerpts(Compressor(DanishAnalyzer()).excerpts("Hvad gør Esbjerg med møbler og madspild?",
                                                                 passages))
    assert read.startswith("[1] Indkøb med mening 2020-2024 — Møbler\n") and "\n\n[2] Mad\n" in read


class _Translating(BagOfWordsEmbedder):
    """Puts an English question in the Danish words of the passages, as a multilingual embedder would."""

    def embed_query(self, text: str) -> list[float]:
        for english, danish in (("save", "sparet"), ("furniture", "møbler"), ("reuse", "genbruge")):
            text = text.replace(english, danish)
        return super().embed_query(text)


def test_an_english_question_picks_its_sentences_by_the_embedder_or_reads_the_whole_passages():
    passages = [_passage(ESBJERG, 1), _passage("Kort tekst om møbler.", 2)]
    question = "How much did Esbjerg save on furniture reuse?"
    whole = Compressor(DanishAnalyzer(), budget_chars=120).excerpts(question, passages)
    assert [e.text for e in whole] == [ESBJERG, "Kort tekst om møbler."]
    first, _ = Compressor(DanishAnalyzer(), _Translating(), budget_chars=120).excerpts(question, passages)
    assert "sparet 1,2 mio. kr." in first.text and "lokal tømrer" not in first.text


class _NoCatalog:
    def entries(self):
        return []


class _OnePassageRetriever:
    def __init__(self, passages):
        self.passages = passages
        self.catalog = _NoCatalog()

    def search(self, query, k, doc_ids=None):
        return self.passages


def test_the_model_reads_the_excerpts_but_the_answer_cites_the_whole_passage():
    passages = [_passage(ESBJERG, 1), _passage(OTHER, 2)]
    chat = ScriptedChatModel(replies=["Esbjerg har sparet 1,2 mio. kr. om året ved at genbruge møbler [1]."])
    answerer = Answerer(_OnePassageRetriever(passages), chat, load_prompt("answer"),
                        ClaimChecker(DanishAnalyzer()), compressor=Compressor(DanishAnalyzer(), budget_chars=200))
    answer = answerer.ask("Hvor meget har Esbjerg sparet på genbrug af møbler?")
    prompt = " ".join(str(m.content) for m in chat.calls[-1])
    assert "sparet 1,2 mio. kr. om året" in prompt and "lokal tømrer" not in prompt
    assert answer.answered and answer.citations[0].quote == ESBJERG


def test_passages_with_no_whole_sentence_are_read_whole():
    passages = [_passage("# Møbler\n- Genbrug\n- Lager", 1)]
    [excerpt] = Compressor(DanishAnalyzer()).excerpts("Hvad gør kommunen med møbler?", passages)
    assert excerpt.text == "# Møbler\n- Genbrug\n- Lager"


def test_the_wide_reading_gives_each_passage_its_own_budget():
    passages = [_passage(OTHER, 1), _passage(ESBJERG, 2)]
    short, wide = Compressor(DanishAnalyzer(), budget_chars=90).readings(
        "Hvor meget har Esbjerg sparet på genbrug af møbler?", passages)
    assert short[0].text == ""  # under one shared budget the first passage lost its place
    assert wide[0].text and len(wide[0].text) <= 90 + len(GAP)  # wide: the first keeps its best sentence
    # Each passage's best sentence is kept even when it alone is over its budget; nothing more then.
    assert wide[1].text == "Ved at genbruge møbler har kommunen sparet 1,2 mio. kr. om året."


def test_a_withheld_answer_from_the_short_reading_is_tried_again_on_the_wide_one():
    passages = [_passage(ESBJERG, 1), _passage(OTHER, 2)]
    chat = ScriptedChatModel(replies=["Esbjerg har sparet 5 mio. kr. om året [1].",
                                      "Esbjerg har sparet 1,2 mio. kr. om året ved at genbruge møbler [1]."])
    answerer = Answerer(_OnePassageRetriever(passages), chat, load_prompt("answer"),
                        ClaimChecker(DanishAnalyzer()), compressor=Compressor(DanishAnalyzer(), budget_chars=150))
    events = list(answerer.stream("Hvor meget har Esbjerg sparet på genbrug af møbler?"))
    kinds = [type(e) for e in events]
    assert kinds.count(Rereading) == 1 and kinds.count(Checking) == 2 and kinds[-1] is Final
    # The second prompt reads more of the passages than the first.
    assert len(str(chat.calls[1][-1].content)) > len(str(chat.calls[0][-1].content))
    answer = events[-1].answer
    assert answer.answered and "1,2 mio. kr." in answer.text and "5 mio." not in answer.text


def test_an_answer_that_holds_is_not_tried_again_and_rereading_can_be_switched_off():
    passages = [_passage(ESBJERG, 1), _passage(OTHER, 2)]
    good = "Esbjerg har sparet 1,2 mio. kr. om året ved at genbruge møbler [1]."
    for reply, reread, calls in ((good, True, 1), ("Esbjerg har sparet 5 mio. kr. [1].", False, 1)):
        chat = ScriptedChatModel(replies=[reply])
        answerer = Answerer(_OnePassageRetriever(passages), chat, load_prompt("answer"),
                            ClaimChecker(DanishAnalyzer()), compressor=Compressor(DanishAnalyzer(), budget_chars=150),
                            reread=reread)
        answerer.ask("Hvor meget har Esbjerg sparet på genbrug af møbler?")
        assert len(chat.calls) == calls
