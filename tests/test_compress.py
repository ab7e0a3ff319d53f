"""The passages as the model reads them: the best sentences of all passages under one budget, in their
order, the rest left out; an English question picks them by the embedder. Quotes and citations keep the
whole text."""

from __future__ import annotations

from assistant.answering.answer import Answerer, format_excerpts
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
