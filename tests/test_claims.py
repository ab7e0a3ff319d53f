"""The claim checker, one test per way a sentence can be wrong while sharing the passage's words."""

from __future__ import annotations

import pytest

from assistant.claims.checker import ClaimChecker
from assistant.claims.extract import number_value, parse
from assistant.claims.passage import sentence_spans
from assistant.search.lexical import DanishAnalyzer
from assistant.types import Chunk, Passage

FOOD = ("65 kommuner er sammen om den fælleskommunale aftale for fødevarer og har stillet krav om et fuldt "
        "økologisk sortiment. Resultatet er, at priserne på økologiske fødevarer er faldet markant.\n\n"
        "Der er samtidig krav om, at visse varer kun kan købes, når det er sæson, og at leverandøren skal have "
        "politikker for at minimere madspild. Samlet understøtter aftalen 12 forskellige verdensmål.")
AARHUS = ("Aarhus Kommune har indført en klimaafgift på køb af udvalgte produkter og ydelser. Oksekød er én af "
          "de fødevarer, der er omfattet af klimaafgiften. Afgiften har nedbragt forbruget af okse-\n\nkød med "
          "over 30 pct. I 2021 blev 100 mio. kr. brugt på kaffe.")
CONTRACT = ("15.2 Opsigelse. Kunden kan opsige kontrakten med 3 måneders varsel, jf. § 12, stk. 2. "
            "Leverandøren kan ikke opsige kontrakten i kontraktperioden.")


def _passage(text: str, n: int, title: str = "Rapport") -> Passage:
    return Passage(Chunk(f"c{n}", f"d{n}", title, n, 0, len(text), text), 1.0)


PASSAGES = [_passage(FOOD, 1, "Indkøbsstrategi"), _passage(AARHUS, 2, "Sammen om indkøb"),
            _passage(CONTRACT, 3, "Rammekontrakt")]


@pytest.fixture(scope="module")
def checker() -> ClaimChecker:
    return ClaimChecker(DanishAnalyzer())


def _one(checker: ClaimChecker, sentence: str):
    [check] = checker.check(sentence, PASSAGES)
    return check


@pytest.mark.parametrize("sentence, passage", [
    ("65 kommuner har stillet krav om et fuldt økologisk sortiment i fødevareaftalen.", 1),
    ("Aftalen understøtter i alt 12 forskellige verdensmål.", 1),
    ("Leverandøren skal have politikker, der minimerer madspild.", 1),
    ("Aarhus' klimaafgift har nedbragt forbruget af oksekød med over 30 procent.", 2),
    ("Aarhus Kommune brugte i 2021 100 millioner kroner på kaffe.", 2),
    ("Kunden kan opsige kontrakten med tre måneders varsel, jf. § 12, stk. 2.", 3),
    ("Leverandøren kan ikke opsige kontrakten i kontraktperioden.", 3),
])
def test_faithful_sentences_are_supported(checker, sentence, passage):
    check = _one(checker, sentence)
    assert check.supported and check.support[0] == passage, check.problems


@pytest.mark.parametrize("sentence, reason", [
    # another number
    ("Aftalen understøtter i alt 14 forskellige verdensmål.", "tallet 14"),
    # the right number for the wrong measure
    ("Aftalen understøtter 65 forskellige verdensmål.", "65"),
    ("Madspildet i Aarhus er faldet med over 30 pct.", "30 pct."),
    # another unit
    ("Afgiften har nedbragt forbruget af oksekød med over 30 kr.", "30"),
    # another year
    ("Aarhus Kommune brugte i 2023 100 millioner kroner på kaffe.", "2023"),
    # another municipality, also as the first word
    ("Odenses klimaafgift har nedbragt forbruget af oksekød med over 30 pct.", "Odenses"),
    ("I Odense Kommune har klimaafgiften nedbragt forbruget af oksekød med over 30 pct.", "Odense"),
    # negation dropped or added
    ("Leverandøren kan opsige kontrakten i kontraktperioden.", "benægter"),
    ("Kunden kan ikke opsige kontrakten med 3 måneders varsel.", "benægter"),
    # modality changed for the same subject
    ("Leverandøren kan have politikker for at minimere madspild.", "uddraget siger »skal«"),
    # subject swapped
    ("Kommunerne skal have politikker for at minimere madspild.", "leverandøren"),
    # another paragraph
    ("Kunden kan opsige kontrakten med 3 måneders varsel, jf. § 14.", "§ 14"),
    # the source's bound dropped: "over 30 pct." is not exactly 30 pct.
    ("Afgiften har nedbragt forbruget af oksekød med 30 pct.", "uddraget siger over 30 pct., ikke præcis 30 pct."),
])
def test_a_changed_claim_is_unsupported_and_says_why(checker, sentence, reason):
    check = _one(checker, sentence)
    assert not check.supported
    assert any(reason in why for why in check.problems), check.problems


def test_a_figure_after_a_copula_counts_the_word_after_it():
    staff = _passage("Møbelcirklen består af 8 medarbejdere ansat i ordinære timer, hvor 2 er fuldtidsansatte.", 1)
    checker = ClaimChecker(DanishAnalyzer())
    [wrong] = checker.check("Møbellageret har 2 medarbejdere.", [staff])
    [right] = checker.check("Møbelcirklen har 2 fuldtidsansatte.", [staff])
    assert not wrong.supported and right.supported, (wrong.problems, right.problems)


def test_same_digits_counting_something_else_is_named_in_the_reason(checker):
    check = _one(checker, "Priserne på økologiske fødevarer er faldet med 12 pct.")
    assert not check.supported and check.missing_numbers == ()


def test_a_figure_in_no_passage_is_listed_as_missing(checker):
    check = _one(checker, "Aftalen understøtter 40 verdensmål.")
    assert not check.supported and check.missing_numbers == ("40",)


def test_the_claims_of_a_supported_sentence_are_each_marked_found(checker):
    check = _one(checker, "Aarhus Kommune brugte i 2021 100 mio. kr. på kaffe.")
    assert check.supported and {c.claim.kind for c in check.claims} == {"name", "year", "number"}
    assert all(c.found for c in check.claims)
    start, end = check.span
    assert "2021" in AARHUS[start:end]


def test_numbers_are_read_with_their_scale_and_convention():
    assert number_value("400.000") == 400000 and number_value("27,6") == 27.6
    assert number_value("400,000", english=True) == 400000 and number_value("27.6", english=True) == 27.6
    [claim] = parse("Kommunerne køber for knap 100 mia. kr.").claims
    assert (claim.key, claim.unit) == ("1e+11", "kr")
    [claim] = parse("The municipalities buy for DKK 100 billion.").claims
    assert (claim.key, claim.unit) == ("1e+11", "kr")


def test_a_passage_sentence_runs_over_a_hyphenated_line_break_and_abbreviations():
    spans = sentence_spans(AARHUS)
    assert any("okse-\n\nkød med over 30 pct." in AARHUS[a:b] for a, b in spans)
    spans = sentence_spans(CONTRACT)
    assert any(AARHUS[0:0] + "jf. § 12, stk. 2." in CONTRACT[a:b] for a, b in spans)


def test_an_answer_that_adds_nothing_to_the_question_adds_nothing(checker):
    question = "Hvor meget faldt Aarhus' forbrug af oksekød?"
    assert not checker.adds_to("Aarhus' forbrug af oksekød faldt.", question)
    assert checker.adds_to("Forbruget faldt med over 30 pct.", question)


SECTORS = ("Produktion indenfor fødevarer, bolig- og transportsektoren er de tre mest miljøbelastende sektorer, "
           "som indkøb derfor med fordel kan bruges til at rette blikket mod.")
SHIFT = ("Forbruget skal flyttes fra produkter og services med høj klima- og miljøbelastning til områder med "
         "lavere klima- og miljøbelastning, eksempelvis på transportområdet.")
ENERGY = ("Gentofte Kommune har i perioden 2018-2022 reduceret deres elforbrug med 1,8 mio. kWh svarende til ca. "
          "10 pct. af forbruget, og varmeforbruget er reduceret med ca. 1.500 MWh svarende til ca. 3 pct. af "
          "forbruget.")
FURNITURE = ("Møbelcirklen er Randers Kommunes interne møbellager, der har sikret genbrug af kommunens møbler siden "
             "1. april 2021. Møbelcirklen henter møbler, som ikke længere er i brug på Randers Kommunes "
             "arbejdspladser, og istandsætter dem.")
KKR = ("Principperne blev ifølge fagmediet Packmarket præsenteret i en første udgave på et KKR-møde den 3. maj. "
       "Årstallet er UVERIFICERET.")
JOINT = ("Samarbejde om at stille miljø, sociale eller totaløkonomiske krav via indkøb kan gøres via SKI eller "
         "indkøbsfællesskaberne. Heri ligger også et hensyn til at sikre dialog med de private leverandører, som "
         "skal levere løsningerne.")


TWENTY = ("Den nye fælleskommunale indkøbsstrategi indeholder 20 målsætninger, som udgør kommunernes fælles "
          "pejlemærker.")
GLADSAXE = "Driftsbesparelse på ca. 90.000 kr. årligt i forhold til et gennemsnitligt dagtilbud."
GENTOFTE = "Det svarer til, at de har reduceret CO<sub>2</sub>-udledningen med 495 ton pr. år."
BALLERUP = "Konsolideringen har resulteret i udgiftsreduktioner svarende til ca. 29 pct. i perioden 2020-2023."
PACKAGING = "Producenter skulle registrere forventede mængder senest den 31. august 2024."


COMPUTERS = ("Derfor indkøbes der kun computere med en garanti på 4 år. Ligesom der lægges vægt på "
             "HW-specifikationer for at sikre selve hardwarens levetid. Når kommunen er færdig med at anvende "
             "computerne typisk efter ca. 5 år, videresælges udstyret til recycling med genbrug for øje.")
SECTORS_THREE = ("Produktion indenfor fødevarer, bolig- og transportsektoren er de tre mest miljøbelastende sektorer, "
                 "som indkøb derfor med fordel kan bruges til at rette blikket mod.")
MEASURES = ("Indkøbscirklen ser ind i at indgå rammeaftaler dækkende følgende indsatser:\n\n"
            "- Ledsageordning til børn og unge efter barnets lov § 89 og voksne efter servicelovens § 97.\n"
            "- Støttende indsatser til børn og unge efter barnets lov § 32 og voksne efter servicelovens § 85 samt "
            "særforanstaltninger.")
ELDERLY = ("Antallet af ældre stiger voldsomt i disse år. Det presser også kommunernes økonomi. Samtidig stiger "
           "kravene til kommunernes service. Herunder krav om bæredygtighed i kommunens egen drift.")
FEES = ("Kommunerne vil i fællesskab afsøge muligheder for at optimere logistik og transport fx ved at overveje at "
        "indføre bestillingsgebyrer for mindre ordrer, krav om mindste ordrestørrelser for leverancer eller et loft "
        "på antal leveringer ugentligt.")
SMALL_ORDERS = ("På en række af de fælleskommunale aftaler er der indført gebyr ved bestilling af små ordrer, ligesom "
                "antallet af leveringsdage er begrænset. Det er med til at understøtte en indkøbsadfærd, hvor der købes "
                "større ind og leveres varer færre gange i ugen.")
FEES_PER_KILO = "Med producentansvaret for emballage betales der gebyrer pr. kilo fra 2025."
NEGOTIATORS = ("Flere kommuner har haft stor succes med at ansætte forhandlere til at understøtte kontraktstyring på "
               "socialområdet.")
PLASTIC_GUIDE = ("Forum for Bæredygtige Indkøbs vejledning om plastemballager følger affaldshierarkiet i tre trin. "
                 "Hygiejnespørgsmål har betydet, at brugen af plastposer til at transportere værnemidler fastholdes.")
REMOTE = ("Erfaringen viser, at der er sket en stigning i fjerntolkning, så andelen af fjerntolkning i dag er mellem "
          "28-52 pct. af tolkeopgaverne.")
PRODUCERS = ("Med det udvidede producentansvar for emballage skulle producenter registrere forventede mængder senest "
             "den 31. august 2024.")
UNVERIFIED = "At gebyrerne skal betales fra 2025, er ubekræftet."
TCO_PARTS = ("At arbejde med total cost of ownership (TCO) indebærer, at kommunerne tager højde for såvel "
             "anskaffelsesprisen, produktets levetid, at produktet er effektivt i brug, følgeomkostninger og "
             "bortskaffelse.")
ORGANIC = ("Indkøbsfunktionerne kan bidrage til rammer, der understøtter at medarbejdere bruger kommunens "
           "indkøbsaftaler, så de politiske beslutninger om bl.a. reduceret plast, CO2-nedbringelse ved færre og "
           "større bestillinger, øget økologi eller at fokus på vedligehold efterleves.")
INVOICES = ("Samtidig betyder de forskellige indsatser, at man er lykkedes med at reducere antallet af fakturaer "
            "fra 0-500 kr., med ca. 20 pct.")
SWAN = ("- Driftsbesparelse på ca. 90.000 kr. årligt i forhold til et gennemsnitligt dagtilbud.\n"
        "- Yderligere reduktion i energiforbrug ved Svanemærket byggeri på ca. 10 pct.\n"
        "- Ekstra driftsbesparelse på ca. 3.000 kr. årligt")
SHOE_COVERS = ("Forsøgsordningen har ført til, at overtrækssko helt er udfaset på alle daginstitutionerne, og reduceret "
               "i hjemmeplejen. Således undgår Rødovre Kommune udgifter til og klimaaftryk fra i omegnen af 60.000 "
               "overtrækssko årligt.")
BEHAVIOUR = ("Kommunerne vil i den udstrækning det er muligt tage højde for adfærdsregulering i hele processen fra "
             "indkøb til afhændelse af produktet i kommunernes indkøb.")
EXPECTED = ("Forventningen er, at fællesudbuddet vil bidrage til:\n\n- En rammeaftale der sætter fokus på faglighed"
            "\n- Bedre priser\n- Dækningsgaranti")
GOALS = ("De mest relevante mål i forhold til den fælleskommunale indkøbsstrategi er målene om Bæredygtig energi "
         "(mål 7), Ansvarligt forbrug og produktion (mål 12) og Klimaindsats (mål 13).")
TEMPS = ("Eksempelvis blev kommunens seneste udbud af vikarer segmenteret som en strategisk vigtig kontrakt, og "
         "derfor blev der indarbejdet styringsmekanismer for at sikre høj kvalitet og leveringssikkerhed.")
FOOD_5090 = ("Den fælleskommunale aftale 50.90 Fødevarer. 65 kommuner er sammen om den fælleskommunale aftale "
             "for fødevarer og har stillet krav om et fuldt økologisk sortiment.")


@pytest.mark.parametrize("sentence, passage, supported, reason", [
    # a superlative is a claim of its own, and "betyder mest" is "størst betydning"
    ("Transport er en af de mest miljøbelastende sektorer.", SECTORS, True, ""),
    ("Transport er en af de mest miljøbelastende sektorer.", SHIFT, False, "»mest«"),
    # a compound of the sentence needs its first part next to the figure, not just its head
    ("Gentofte Kommune har reduceret elforbruget med ca. 10 pct.", ENERGY, True, ""),
    ("Gentofte Kommune har reduceret varmeforbruget med ca. 10 pct.", ENERGY, False, "varmeforbruget"),
    # a denial must deny the same thing, not a neighbouring word in another sentence
    ("Møbelcirklen har ikke sikret genbrug af Randers Kommunes møbler.", FURNITURE, False, "benægter"),
    # nor does a denial of something at a named place deny a sentence about the place
    ("Møbelcirklen har sikret genbrug af Randers Kommunes møbler siden 1. april 2021.", FURNITURE, True, ""),
    # the window is where most is said, so a denial in the next sentence is not left out of it
    ("Årstallet for præsentationen af principperne på KKR-mødet er verificeret.", KKR, False, "uverificeret"),
    ("Årstallet for præsentationen af principperne på KKR-mødet er ikke verificeret.", KKR, True, ""),
    # "kan gøres" outranks the noun "krav", and "skal" in another matter's sentence does not count
    ("Kommunerne skal samarbejde om miljømæssige, sociale eller totaløkonomiske krav via SKI.", JOINT, False,
     "»skal«"),
    ("Samarbejde om miljømæssige, sociale eller totaløkonomiske krav kan ske via SKI.", JOINT, True, ""),
    # the title's period is said by every passage of the document, a single year of an event is not
    ("Den fælleskommunale indkøbsstrategi 2020-2024 indeholder 20 målsætninger.", TWENTY, True, ""),
    ("Den fælleskommunale indkøbsstrategi fra 2020 indeholder 20 målsætninger.", TWENTY, False, "2020"),
    ("Den fælleskommunale indkøbsstrategi 2021-2025 indeholder 20 målsætninger.", TWENTY, False, "2021"),
    # one word family: what "sparer" says, a "driftsbesparelse" says
    ("Børnehuset sparer ca. 90.000 kr. årligt i forhold til et gennemsnitligt dagtilbud.", GLADSAXE, True, ""),
    ("Børnehuset bruger ca. 90.000 kr. årligt i forhold til et gennemsnitligt dagtilbud.", GLADSAXE, False,
     "90.000"),
    # a formula however it is written, and a compound noun of change is a change
    ("Kommunen har reduceret CO₂-udledningen med 495 ton pr. år.", GENTOFTE, True, ""),
    ("Kommunen har reduceret CO₂-udledningen med 595 ton pr. år.", GENTOFTE, False, "595"),
    ("Udgifterne er reduceret med ca. 29 pct. i perioden 2020-2023.", BALLERUP, True, ""),
    ("Udgifterne er reduceret med ca. 39 pct. i perioden 2020-2023.", BALLERUP, False, "39"),
    # a word whose opposite the passage says instead
    ("Producenter skulle registrere de faktiske mængder senest den 31. august 2024.", PACKAGING, False,
     "»forventede«, ikke »faktiske«"),
    ("Producenter skulle registrere de forventede mængder senest den 31. august 2024.", PACKAGING, True, ""),
    # the same figure and unit in the passage, but another figure there is said of what the sentence counts
    ("Kommunen udskifter typisk computerne efter 4 år.", COMPUTERS, False, "5 år"),
    ("Kommunen udskifter typisk computerne efter ca. 5 år.", COMPUTERS, True, ""),
    ("Kommunen køber kun computere med en garanti på 4 år.", COMPUTERS, True, ""),
    # "den væsentligste årsag" is a superlative the passage must say too
    ("Det stigende antal ældre er den væsentligste årsag til, at kravene til kommunernes drift stiger.", ELDERLY,
     False, "»væsentligste«"),
    ("Antallet af ældre stiger, og samtidig stiger kravene til kommunernes service.", ELDERLY, True, ""),
    # each member of a list must be named: "energi" is not "bolig-", though five of six words match
    ("Fødevarer, energi og transport er de tre mest miljøbelastende sektorer.", SECTORS_THREE, False, "»energi«"),
    ("Fødevarer, bolig og transport er de tre mest miljøbelastende sektorer.", SECTORS_THREE, True, ""),
    # a paragraph that the passage gives for another measure than the sentence's
    ("Ledsageordning til voksne er omfattet efter servicelovens § 85.", MEASURES, False, "§ 85"),
    ("Ledsageordning til voksne er omfattet efter servicelovens § 97.", MEASURES, True, ""),
    ("Støttende indsatser til voksne er omfattet efter servicelovens § 85.", MEASURES, True, ""),
    # what the passage only considers, the sentence may not state as done or as working
    ("Kommunerne har besluttet at indføre bestillingsgebyrer for mindre ordrer og et loft over antallet af "
     "ugentlige leveringer.", FEES, False, "overvejes"),
    ("Gebyrer og mindste ordrestørrelser skubber til en indkøbsadfærd med færre og større bestillinger.", FEES,
     False, "kendsgerning"),
    ("Kommunerne vil overveje at indføre bestillingsgebyrer for mindre ordrer og mindste ordrestørrelser.", FEES,
     True, ""),
    # "mindste" and "afgørende" are claims of their own, like a superlative
    ("Gebyrer og mindste ordrestørrelser understøtter en indkøbsadfærd med færre og større bestillinger.",
     SMALL_ORDERS, False, "»mindste«"),
    ("Gebyr ved bestilling af små ordrer understøtter en indkøbsadfærd, hvor der leveres færre gange i ugen.",
     SMALL_ORDERS, True, ""),
    ("For vikarydelser er leveringssikkerhed afgørende for kvaliteten.", TEMPS, False, "»afgørende«"),
    ("Kommunens udbud af vikarer blev segmenteret som en strategisk vigtig kontrakt.", TEMPS, True, ""),
    # a word the passage says in its place: the basis of a rate, a compound's first part, an opposite
    ("Gebyrerne under producentansvaret for emballage betales pr. styk.", FEES_PER_KILO, False, "pr. kg"),
    ("Gebyrerne under producentansvaret for emballage betales pr. kg.", FEES_PER_KILO, True, ""),
    ("Flere kommuner har ansat forhandlere til at understøtte kontraktstyring på beskæftigelsesområdet.",
     NEGOTIATORS, False, "»socialområd«"),
    ("Flere kommuner har ansat forhandlere til at understøtte kontraktstyring på socialområdet.", NEGOTIATORS,
     True, ""),
    ("Brugen af plastposer til at transportere værnemidler er udfaset.", PLASTIC_GUIDE, False, "»fastholdes«"),
    # a share is a level, though the passage also tells of a rise; producers are a party of their own
    ("Brugen af fjerntolkning er steget med 28-52 pct.", REMOTE, False, "niveau"),
    ("Andelen af fjerntolkning er i dag mellem 28-52 pct. af tolkeopgaverne.", REMOTE, True, ""),
    ("Kommunerne skulle registrere de forventede mængder senest den 31. august 2024.", PRODUCERS, False,
     "producenterne"),
    ("Producenterne skulle registrere de forventede mængder senest den 31. august 2024.", PRODUCERS, True, ""),
    ("Det er bekræftet, at gebyrerne skal betales fra 2025.", UNVERIFIED, False, "»ubekræftet«"),
    ("Det er ikke bekræftet, at gebyrerne skal betales fra 2025.", UNVERIFIED, True, ""),
    # "kun en del af" says there are other parts; a passage listing the part among others says so too
    ("Anskaffelsesprisen er kun en del af de samlede omkostninger.", TCO_PARTS, True, ""),
    ("Anskaffelsesprisen er den største del af de samlede omkostninger.", TCO_PARTS, False, "»største«"),
    ("Kommunerne tager kun højde for anskaffelsesprisen.", TCO_PARTS, False, "»kun«"),
    # what moved must be what the passage says moved, in the same direction
    ("Økologi reducerer brugen af pesticider og understøtter politiske beslutninger om øget økologi.",
     ORGANIC, False, "mindskes"),
    ("Indkøbsfunktionerne kan bidrage til, at politiske beslutninger om reduceret plast efterleves.", ORGANIC,
     True, ""),
    # the ends of a range are figures of their own, everywhere; ", med ca. 20 pct." continues its sentence
    ("Andelen af fjerntolkning udgør i dag mellem 28 og 52 pct. af tolkeopgaverne.", REMOTE, True, ""),
    ("Indsatserne har reduceret antallet af fakturaer på 0-500 kr. med ca. 20 pct.", INVOICES, True, ""),
    ("Indsatserne har reduceret antallet af fakturaer på 0-500 kr. med ca. 30 pct.", INVOICES, False, "30"),
    # a list item's first word says what its figure counts
    ("Svanemærket byggeri gav en ekstra driftsbesparelse på ca. 90.000 kr. årligt.", SWAN, False, "3.000 kr."),
    ("Svanemærket byggeri gav en ekstra driftsbesparelse på ca. 3.000 kr. årligt.", SWAN, True, ""),
    # the municipality may be named after the sentence that says most
    ("Forsøgsordningen har udfaset overtrækssko på alle daginstitutioner, så Rødovre Kommune undgår omkring "
     "60.000 overtrækssko årligt.", SHOE_COVERS, True, ""),
    ("Forsøgsordningen har udfaset overtrækssko på alle daginstitutioner, så Hvidovre Kommune undgår omkring "
     "60.000 overtrækssko årligt.", SHOE_COVERS, False, "Hvidovre"),
    # "så vidt muligt" limits a statement, it makes no possibility of it
    ("Kommunerne vil så vidt muligt tage højde for adfærdsregulering fra indkøb til afhændelse.", BEHAVIOUR,
     True, ""),
    # a list introduced by an expectation is as tentative as its introduction
    ("Fællesudbuddet har givet bedre priser og dækningsgaranti.", EXPECTED, False, "kendsgerning"),
    ("Fællesudbuddet forventes at give bedre priser og dækningsgaranti.", EXPECTED, True, ""),
    # a figure in parentheses is said of what stands before them
    ("Det mest relevante verdensmål for strategien er mål 12 om bæredygtig energi.", GOALS, False, "7"),
    ("Et af de mest relevante verdensmål for strategien er mål 7 om bæredygtig energi.", GOALS, True, ""),
    # an authority is a name also where it opens the sentence
    ("Miljøstyrelsens vejledning om plastemballager følger affaldshierarkiet i tre trin.", PLASTIC_GUIDE, False,
     "»Miljøstyrelsens«"),
    ("Vejledningen om plastemballager følger affaldshierarkiet i tre trin.", PLASTIC_GUIDE, True, ""),
    # a figure the sentence gives itself is no rival of its other figure
    ("65 kommuner står sammen om den fælleskommunale aftale 50.90 Fødevarer.", FOOD_5090, True, ""),
])
def test_what_a_window_says_is_read_where_it_is_said(checker, sentence, passage, supported, reason):
    # Every passage is from the strategy 2020-2024, so its title's period is the passage's too.
    [check] = checker.check(sentence, [_passage(passage, 9, "Fælleskommunal indkøbsstrategi 2020-2024")])
    assert check.supported is supported, check.problems
    assert not reason or any(reason in why for why in check.problems), check.problems


def test_a_figure_written_in_the_other_convention_keeps_its_value():
    from assistant.claims.extract import number_value

    # "1,8 million kWh" in an English sentence is Danish decimal notation, not 18 or nothing.
    assert number_value("1,8", english=True) == 1.8 and number_value("1.5") == 1.5
    assert number_value("400,000", english=True) == number_value("400.000") == 400_000
    assert number_value("1.2.3", english=True) is None and number_value("1,5.3") is None


def test_an_english_sentence_about_another_party_is_not_backed():
    from assistant.claims.stance import compare, stance

    analyzer = DanishAnalyzer()
    passage = "Kommunerne køber samlet ind for op mod 100 mia. kr. årligt."
    window = [(frozenset(analyzer.terms(passage)), stance(passage, analyzer))]

    def problems(sentence: str) -> list[str]:
        return compare(parse(sentence), frozenset(analyzer.terms(sentence)), stance(sentence, analyzer), window,
                       window, passage)

    assert problems("The Danish regions spend about 100 billion kroner a year.") == [
        "uddraget siger det om kommunerne, ikke om regionerne"]
    assert problems("The municipalities spend about 100 billion kroner a year.") == []


PRINCIPLES = ("I regi af KKR-Hovedstaden er der udviklet en række principper for cirkulær emballage tilpasset "
              "kommunernes udbud. Principperne kan anvendes i dialog med markedet.\n\n"
              "Principperne anvendes af Partnerskab for Offentlige Grønne Indkøb (POGI) og SKI.")


@pytest.mark.parametrize("sentence, supported", [
    ("Principperne for cirkulær emballage er udviklet i regi af KKR-Hovedstaden.", True),
    ("Principperne for cirkulær emballage anvendes af SKI.", True),
    # The roles swapped: every name and word is the passage's own, only who did what differs.
    ("Principperne for cirkulær emballage er udviklet af SKI.", False),
    ("Principperne for cirkulær emballage anvendes af KKR-Hovedstaden.", False),
])
def test_what_a_named_party_did_must_be_what_the_passage_says_it_did(checker, sentence, supported):
    [check] = checker.check(sentence, [_passage(PRINCIPLES, 1, "Sammen om indkøb")])
    assert check.supported is supported, check.problems
    if not supported:
        assert any("ikke udviklet" in p or "ikke anvendt" in p for p in check.problems)


def test_an_english_sentence_keeps_the_roles_of_the_parties_it_names():
    from assistant.claims.relation import role_problems

    sentences = [PRINCIPLES.split(". ")[0], "Principperne anvendes af Partnerskab for Offentlige Grønne Indkøb (POGI) og SKI."]
    assert role_problems("The principles were developed by POGI and SKI.", [("POGI", ("pogi",))], sentences) == [
        "uddraget siger om »POGI«: anvendt, ikke udviklet"]
    assert role_problems("The principles are used by POGI and SKI.", [("POGI", ("pogi",))], sentences) == []
    assert role_problems("The principles were developed under KKR.", [("KKR", ("kkr",))], sentences) == []
    # A verb outside the list proves nothing, and a sentence with two roles is not bound to either.
    assert role_problems("POGI endorses the principles.", [("POGI", ("pogi",))], sentences) == []
    assert role_problems("KKR developed the principles, which POGI uses.", [("POGI", ("pogi",))], sentences) == []
    assert role_problems("The tool was useful to POGI.", [("POGI", ("pogi",))], sentences) == []


TCO = ("Hele værdikæden i et indkøbsområde granskes, når der skal tages højde for totaløkonomien i forhold til "
       "forbrug og indkøb. Kommunerne får derved samlet mest værdi for pengene. Totaløkonomiske hensyn og "
       "gevinster kan være komplicerede at tage højde for.")
ROSKILDE = ("Som led i arbejdet med implementeringen af Roskilde Kommunes fødevarerstrategi har kommunens "
            "køkkenpersonale modtaget vejledning. Fra 2019 til 2022 er den fødevarerrelaterede CO2-udledning "
            "faldet med 27,6 pct.")


@pytest.mark.parametrize("sentence, passage, supported", [
    # The passage's own sentence, though another sentence says "skal" of the same words.
    ("Totaløkonomiske hensyn og gevinster kan være komplicerede at tage højde for.", TCO, True),
    ("Totaløkonomiske hensyn og gevinster skal være komplicerede at tage højde for.", TCO, False),
    # "blevet" says nothing about what fell, and the food is what "fødevarerelateret" is about.
    ("CO2-udledningen fra maden i Roskilde Kommune er blevet mindre med 27,6 pct. fra 2019 til 2022.", ROSKILDE, True),
    ("CO2-udledningen fra maden i Roskilde Kommune er blevet mindre med 27,6 pct. fra 2015 til 2022.", ROSKILDE,
     False),
])
def test_plain_words_and_the_passages_own_modal_verb_are_support(checker, sentence, passage, supported):
    [check] = checker.check(sentence, [_passage(passage, 1, "Sammen om indkøb")])
    assert check.supported is supported, check.problems


def test_a_list_is_three_or_more_single_words_between_commas_and_a_closing_og():
    from assistant.claims.lists import members

    assert members("Vi ønsker økologi, sæson og madspild i aftalen.") == ["økologi", "sæson", "madspild"]
    assert members("Krav til løn- og arbejdsvilkår og til miljø.") == []
    assert members("Kunden og leverandøren mødes.") == []
    assert members("a, " * 2000 + "b") == []  # no closing word: no list, in linear time


def test_a_shared_ending_is_a_rival_only_when_it_is_a_head_of_its_own():
    from assistant.claims.rivals import compound_rival, per_words

    assert compound_rival(["beskæftigelsesområd"], ["socialområd"]) == ("beskæftigelsesområd", "socialområd")
    assert compound_rival(["digitalisering"], ["professionalisering"]) is None  # a suffix, not a head
    assert compound_rival(["område"], ["socialområd"]) is None  # the head alone has no first part
    assert per_words("Der betales 5 kr. pr. kilo og 10 per cent om året") == {"kg"}


def test_an_english_obligation_or_rate_basis_the_danish_passage_does_not_state_is_not_backed():
    from assistant.claims.stance import compare, stance

    analyzer = DanishAnalyzer()
    passage = ("Den kommunale indkøbsstrategi kan omsættes lokalt og inddrages i kommunernes egne "
               "indkøbspolitikker. Samtidig samler KL kommunerne om at udbrede erfaringer.")
    sentences = [(frozenset(analyzer.terms(t)), stance(t, analyzer)) for t in passage.split(". ")]

    def problems(sentence: str) -> list[str]:
        # The second sentence as the window: an English sentence shares no word that picks the first.
        return compare(parse(sentence), frozenset(analyzer.terms(sentence)), stance(sentence, analyzer),
                       sentences[1:], sentences, passage)

    assert problems("The municipalities are required to incorporate the strategy into their own policies.") == [
        "sætningen siger »skal«, det gør uddraget ikke (uddraget: »kan«)"]
    assert problems("The municipalities may incorporate the strategy into their own policies.") == []

    from assistant.claims.rivals import per_problem

    assert per_problem("Fees are charged per tonne from 2025.", "der betales gebyrer pr. kilo fra 2025") == \
        "uddraget siger pr. kg, ikke pr. ton"
    assert per_problem("Fees are charged per kilogram from 2025.", "der betales gebyrer pr. kilo fra 2025") == ""


def test_a_movement_is_compared_with_the_same_direction_only():
    from assistant.claims.rivals import moved_rival

    analyzer = DanishAnalyzer()

    def rival(sentence: str, passage: str) -> str:
        return moved_rival(sentence, [passage], analyzer.terms, lambda terms, t: t in terms)

    passage = "Afgiften har nedbragt forbruget af oksekød med over 30 pct., og prisen er steget."
    assert rival("Klimaafgiften har reduceret forbruget af oksekød.", passage) == ""
    assert "mindskes" in rival("Momsen har reduceret prisen.", passage)
    assert rival("Prisen er steget.", passage) == ""
    assert rival("Antallet af ansatte er faldet.", "Kommunen har ansat flere medarbejdere.") == ""  # no movement
    assert rival("Kommunen køber mindst 30 pct. økologisk.", "Forbruget af plast er reduceret.") == ""  # a floor
    assert rival("Transaktionsomkostningerne skal bl.a. nedbringes.",
                 "Fokus er at reducere transaktionsomkostninger.") == ""  # "bl.a." ends no clause


_SCHOOL_MEAT = ("Et flertal i Københavns Borgerrepræsentation har besluttet, at der fra skoleåret 2024/2025 ikke "
                "længere serveres rødt kød i Københavns Kommunes skoler og dagtilbud.")
_PRODUCER_DEADLINE = ("Med det udvidede producentansvar for emballage skulle producenter registrere forventede "
                      "mængder senest den 31. august 2024, og der betales gebyrer pr. kilo fra 2025.")
_SERVICES = ("- Støttende indsatser til børn og unge efter barnets lov § 32 og voksne efter servicelovens § 85 "
             "samt særforanstaltninger/projektydelser")
_DATA = ("Data og ledelsesinformation for indkøb og forbrug genereres i dag i den enkelte kommune og i regi af "
         "indkøbsdatabaserne forankret i SKI, så vi kan passe på klimaet.")
_DRIVING = ("Frederiksberg Kommune forventer på baggrund af en omfattende gennemgang af kørselsopgaverne at "
            "opnå lavere udgifter og dermed frigjort tid til andre opgaver.")
_REMOTE_SHARE = "Andelen af fjerntolkning er i dag mellem 28-52 pct. af tolkeopgaverne."
_COPENHAGEN_TRIAL = ("I Københavns Kommune er der ultimo 2023 igangsat en forsøgsordning, hvor flyrejser, "
                     "skriveborde og kontorstole pålægges klimaafgifter.")
_AARHUS_AIM = ("Aarhus Kommune har indført en klimaafgift på køb af udvalgte produkter og ydelser. Målet er at "
               "reducere CO2-udledningen fra kommunens indkøb og forbrug.")
_LABOUR = ("Socialt ansvar kan udøves ved at stille krav om, at leverandørerne overholder danske løn- og "
           "arbejdsvilkår. Kommunerne kan stille krav om, at leverandørerne overholder danske løn- og arbejdsvilkår.")
_ROSKILDE = ("Som led i arbejdet med fødevarestrategien har køkkenpersonalet fået vejledning om vegetarisk kost. "
             "Fra 2019 til 2022 er den fødevarerelaterede CO2-udledning faldet med 27,6 pct.")
_WEBSHOP = ("Møblerne bliver sat til salg på en intern webshop, hvorfra ledere og medarbejdere kan bestille det "
            "inventar, de mangler.")

_GENTOFTE = ("Gentofte Kommune har i perioden 2018-2022 reduceret deres elforbrug med 1,8 mio. kWh svarende til "
             "ca. 10 pct. af forbruget. Det svarer til, at de har reduceret CO2-udledningen med 495 ton pr. år, "
             "svarende til 9 pct. af udledningen fra energiforbruget.")
_UNVERIFIED = " Startdatoen for gebyrerne angives forskelligt i kilderne og er UVERIFICERET."
_FURNITURE = ("Samlet set har Møbelcirklen skabt besparelser for over 4 mio. kr. siden opstarten i 2021, og siden "
              "2022 er omsætningen vækset med ca. 35 pct.")
_TEMPS = "Alligevel kom vikarkontrakten uheldigt fra start, og der var mange annulleringer fra begge parter."
_UNCONFIRMED = "Uddraget er ikke bekræftet som princippernes egen ordlyd."
_PREREQUISITE = ("En forudsætning for, at e-handel reducerer transaktionsomkostningerne er, at kommunerne har øje "
                 "for størrelse på og hyppigheden af indkøbene samt brugervenlighed.")


@pytest.mark.parametrize("sentence, passage, supported, reason", [
    # a school year is two years
    ("Fra skoleåret 2024/2025 serveres der ikke rødt kød i Københavns Kommunes skoler.", _SCHOOL_MEAT, True, ""),
    ("Fra skoleåret 2023/2024 serveres der ikke rødt kød i Københavns Kommunes skoler.", _SCHOOL_MEAT, False,
     "2023"),
    # a deadline is its whole date, also in English
    ("Producenterne skulle registrere forventede mængder senest den 31. august 2024.", _PRODUCER_DEADLINE, True, ""),
    ("Producers had to register expected quantities by 31 August 2025.", _PRODUCER_DEADLINE, False, "dato"),
    # a paragraph of another law
    ("Støttende indsatser til børn og unge gives efter barnets lov § 32.", _SERVICES, True, ""),
    ("Støttende indsatser til børn og unge gives efter servicelovens § 32.", _SERVICES, False, "anden lov"),
    # an acronym is a whole word: "KL" is not in "klimaet"
    ("Indkøbsdatabaserne er forankret i SKI.", _DATA, True, ""),
    ("Indkøbsdatabaserne er forankret i KL.", _DATA, False, "»KL«"),
    # what is expected or aimed at is not done
    ("Gennemgangen af kørselsopgaverne har givet lavere udgifter og frigjort tid.", _DRIVING, False,
     "kendsgerning"),
    ("Frederiksberg Kommune forventer lavere udgifter af gennemgangen af kørselsopgaverne.", _DRIVING, True, ""),
    ("Klimaafgiften har reduceret CO2-udledningen fra kommunens indkøb og forbrug.", _AARHUS_AIM, False,
     "kendsgerning"),
    ("Aarhus Kommune har indført en klimaafgift med det mål at reducere CO2-udledningen fra indkøb og forbrug.",
     _AARHUS_AIM, True, ""),
    # a fraction is a figure
    ("Mere end halvdelen af tolkeopgaverne løses som fjerntolkning.", _REMOTE_SHARE, False, "halvdelen"),
    ("Remote interpreting has halved the interpreting tasks.", _REMOTE_SHARE, False, "»halved«"),
    # a trial is not a standing arrangement
    ("Københavns Kommune har permanent indført klimaafgifter på flyrejser og kontorstole.", _COPENHAGEN_TRIAL,
     False, "forsøgsordning"),
    # a cause or a result is a claim of its own; "som led i" is no "led to"
    ("Krav om danske løn- og arbejdsvilkår forhindrer social dumping hos leverandørerne.", _LABOUR, False,
     "»forhindrer«"),
    ("Kommunerne kan stille krav om, at leverandørerne overholder danske løn- og arbejdsvilkår.", _LABOUR, True,
     ""),
    ("Faldet i CO2-udledningen skyldes, at køkkenerne er gået over til vegetarisk kost.", _ROSKILDE, False,
     "»skyldes«"),
    # a denial is read up to the narrowing word: "ikke rødt kød" denies no meat in general
    ("Fra skoleåret 2024/2025 serveres der ikke længere kød i Københavns Kommunes skoler.", _SCHOOL_MEAT, False,
     "»rødt«"),
    ("Uddraget er ikke bekræftet som princippernes ordlyd.", _UNCONFIRMED, True, ""),
    # "er ikke, at …" denies the that-clause after the comma
    ("En forudsætning for e-handel er ikke, at kommunerne har øje for indkøbenes størrelse.", _PREREQUISITE,
     False, "benægter"),
    ("En forudsætning for e-handel er, at kommunerne har øje for indkøbenes størrelse.", _PREREQUISITE, True, ""),
    # the part of a year is part of the date
    ("Københavns Kommune igangsatte i begyndelsen af 2023 en forsøgsordning med klimaafgifter.", _COPENHAGEN_TRIAL,
     False, "ultimo 2023"),
    ("Københavns Kommune igangsatte i slutningen af 2023 en forsøgsordning med klimaafgifter.", _COPENHAGEN_TRIAL,
     True, ""),
    ("Københavns Kommune igangsatte i 2023 en forsøgsordning med klimaafgifter.", _COPENHAGEN_TRIAL, True, ""),
    # what the next sentence says of it counts: the start date is unverified
    ("Det er bekræftet, at der betales gebyrer pr. kilo fra 2025.", _PRODUCER_DEADLINE + _UNVERIFIED, False,
     "»uverificeret«"),
    ("Der betales gebyrer pr. kilo fra 2025.", _PRODUCER_DEADLINE + _UNVERIFIED, True, ""),
    # a change is measured from a year: the same figure since another year is another change
    ("Møbelcirklens omsætning er vokset med ca. 35 pct. siden opstarten i 2021.", _FURNITURE, False, "fra 2022"),
    ("Møbelcirklens omsætning er vokset med ca. 35 pct. siden 2022.", _FURNITURE, True, ""),
    # good is not bad
    ("Vikarkontrakten kom godt fra start.", _TEMPS, False, "»uheldigt«"),
    ("Vikarkontrakten kom uheldigt fra start.", _TEMPS, True, ""),
    # citizens are a party
    ("Borgerne kan bestille møbler fra den interne webshop.", _WEBSHOP, False, "borgerne"),
    ("Ledere og medarbejdere kan bestille møbler fra den interne webshop.", _WEBSHOP, True, ""),
])
def test_dates_laws_acronyms_aims_fractions_and_parties(checker, sentence, passage, supported, reason):
    [check] = checker.check(sentence, [_passage(passage, 9, "Sammen om indkøb og forbrug")])
    assert check.supported is supported, check.problems
    assert not reason or any(reason in why for why in check.problems), check.problems


class _SameTopic:
    """An embedder that finds every English sentence on the passage's topic, so only the claims decide."""

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        return [[1.0, 0.0] for _ in texts]

    def embed_query(self, text: str) -> list[float]:
        return [1.0, 0.0]


_BALLERUP = ("Samlet set har Ballerup Kommunes fokus på indkøbsadfærd og udbud af beskæftigelsesindsatser "
             "resulteret i udgiftsreduktioner svarende til ca. 29 pct.")


@pytest.mark.parametrize("sentence, passage, supported", [
    ("Gentofte has cut its CO2 emissions by 495 tonnes a year, equal to 10 per cent of emissions from energy use.",
     _GENTOFTE, False),
    ("Gentofte has cut its CO2 emissions by 495 tonnes a year, equal to 9 per cent of emissions from energy use.",
     _GENTOFTE, True),
    ("Gentofte has cut its electricity consumption by 10 per cent.", _GENTOFTE, True),
    # "total", "all", "only" need their Danish word: the 9 pct. are of the emissions from energy use only
    ("Gentofte has cut its total CO2 emissions by 9 per cent.", _GENTOFTE, False),
    # what is counted may stand before the figure, as the head or its object
    ("Ballerup reduced its spending on employment services by about 29 per cent.", _BALLERUP, True),
    ("Ballerup reduced its staff by about 29 per cent.", _BALLERUP, False),
    # "of the total" is a share of the whole
    ("The expenditure fell by about 29 per cent of the total.", _BALLERUP, True),
])
def test_what_an_english_figure_counts_is_read_in_the_danish_passage(sentence, passage, supported):
    checker = ClaimChecker(DanishAnalyzer(), _SameTopic())  # type: ignore[arg-type]
    [check] = checker.check(sentence, [_passage(passage, 9, "Sammen om indkøb og forbrug")])
    assert check.supported is supported, check.problems
    assert supported or any(w in why for why in check.problems for w in ("»emissions«", "»total«", "»staff«")), \
        check.problems


def test_an_english_sentence_about_citizens_needs_them_named():
    checker = ClaimChecker(DanishAnalyzer(), _SameTopic())  # type: ignore[arg-type]
    passage = _passage(_WEBSHOP, 9, "Sammen om indkøb og forbrug")
    [check] = checker.check("Citizens can order furniture from the internal webshop.", [passage])
    assert not check.supported and any("borgerne" in why for why in check.problems), check.problems
    [check] = checker.check("Managers and staff can order furniture from the internal webshop.", [passage])
    assert check.supported, check.problems
