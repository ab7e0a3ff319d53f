"""A sentence true to its passage may answer another question. The near misses of the answers eval, each
as it happened: another period, another municipality, another unit, another thing counted, no figure."""

from __future__ import annotations

import pytest

from assistant.claims.checker import ClaimChecker
from assistant.search.lexical import DanishAnalyzer
from assistant.types import Chunk, Passage

ROSKILDE = ("Styrket fokus på uddannelse i klimavenlig mad i Roskilde Kommune. Fra 2019 til 2022 er den "
            "fødevarerelaterede CO2-udledning faldet med 27,6 pct.")
FOOD = "65 kommuner er sammen om den fælleskommunale aftale for fødevarer og har stillet krav om økologi."
BALLERUP = ("Ballerup Kommune har konsolideret leverandørfeltet. Det har resulteret i udgiftsreduktioner "
            "svarende til ca. 29 pct. i perioden 2020-2023.")
PACKAGING = ("Med det udvidede producentansvar for emballage skulle producenter registrere forventede mængder "
             "senest den 31. august 2024, og der betales gebyrer pr. kilo fra 2025.")
MONEY = "Kommunerne køber samlet ind for op mod 100 mia. kr. årligt."


def _passage(text: str, title: str = "Sammen om indkøb og forbrug") -> Passage:
    return Passage(Chunk("c1", "d1", title, 1, 0, len(text), text), 1.0)


@pytest.fixture(scope="module")
def checker() -> ClaimChecker:
    return ClaimChecker(DanishAnalyzer())


@pytest.mark.parametrize("question, sentence, passage, reason", [
    # the question's own period, municipality or figure must stand in the passage
    ("Hvor meget faldt den fødevarerelaterede CO2-udledning i Roskilde Kommune fra 2023 til 2025?",
     "Den fødevarerelaterede CO2-udledning er faldet med 27,6 pct.", ROSKILDE, "2023, 2025"),
    ("Hvor meget faldt den fødevarerelaterede CO2-udledning i Køge Kommune?",
     "Den fødevarerelaterede CO2-udledning er faldet med 27,6 pct.", ROSKILDE, "Køge"),
    # the kind of answer: a figure, in the unit asked, of the thing counted
    ("Hvor mange kroner svarer Ballerups udgiftsreduktion til?", "Udgifterne er reduceret med ca. 29 pct.",
     BALLERUP, "kr"),
    ("Hvor mange regioner er med i aftalen for fødevarer?",
     "65 kommuner er sammen om den fælleskommunale aftale for fødevarer.", FOOD, "tæller"),
    ("Hvor meget faldt udledningen i Roskilde?", "Roskilde Kommune har styrket fokus på klimavenlig mad.",
     ROSKILDE, "intet"),
    # the public body asked about, and a date is no amount
    ("How much do the Danish regions spend on goods and services each year?",
     "Kommunerne køber samlet ind for op mod 100 mia. kr. årligt.", MONEY, "regions"),
    ("Hvor store er gebyrerne pr. kilo emballage?",
     "Producenter skulle registrere forventede mængder senest den 31. august 2024.", PACKAGING, "intet"),
])
def test_a_true_sentence_that_answers_another_question_is_named(checker, question, sentence, passage, reason):
    [check] = checker.check(sentence, [_passage(passage)])
    assert check.supported, check.problems  # true to its passage ...
    why = checker.misfit(question, check, [_passage(passage)])
    assert reason in why, why  # ... and still no answer


@pytest.mark.parametrize("question, sentence, passage", [
    ("Hvor meget faldt den fødevarerelaterede CO2-udledning i Roskilde Kommune fra 2019 til 2022?",
     "Den fødevarerelaterede CO2-udledning er faldet med 27,6 pct.", ROSKILDE),
    ("How much did Roskilde's food-related emissions fall?", "Den fødevarerelaterede CO2-udledning er faldet "
     "med 27,6 pct.", ROSKILDE),
    ("Hvor mange penge køber kommunerne samlet varer og tjenester for om året?",
     "Kommunerne køber samlet ind for op mod 100 mia. kr. årligt.", MONEY),
    ("Hvor mange kommuner er med i aftalen for fødevarer?",
     "65 kommuner er sammen om den fælleskommunale aftale for fødevarer.", FOOD),
    # the title's period is the passage's too
    ("Hvor mange kommuner er med i strategien 2020-2024?",
     "65 kommuner er sammen om den fælleskommunale aftale for fødevarer.", FOOD),
])
def test_a_sentence_that_answers_the_question_fits(checker, question, sentence, passage):
    passages = [_passage(passage, "Fælleskommunal indkøbsstrategi 2020-2024")]
    [check] = checker.check(sentence, passages)
    assert check.supported, check.problems
    assert checker.misfit(question, check, passages) == ""


def test_an_english_question_s_to_is_not_the_number_two():
    from assistant.claims.question import asked

    question = asked("What did it cost to build Gladsaxe's Nordic Swan Ecolabelled children's house?", DanishAnalyzer())
    assert [c.text for c in question.premises] == ["Gladsaxe"]  # no "to", no "Nordic"
    assert [c.key for c in asked("Hvor mange kommuner er to?", DanishAnalyzer()).premises] == ["2"]


def test_the_party_asked_about_is_the_regions_or_the_state_never_the_verb_state():
    from assistant.claims.question import asked

    assert [w for w, _ in asked("How much do the Danish regions spend?", DanishAnalyzer()).parties] == ["regions"]
    assert [w for w, _ in asked("Hvad bruger staten og staten?", DanishAnalyzer()).parties] == ["staten"]
    assert [w for w, _ in asked("What does the state spend?", DanishAnalyzer()).parties] == ["state"]
    assert asked("What does the strategy state about packaging?", DanishAnalyzer()).parties == ()
