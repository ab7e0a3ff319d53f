"""What a sentence says *about* its words: which of them it denies, which it makes an obligation, a
possibility or an intention, and which absolutes ("alle", "kun") it adds. Compared word by word with the
passage sentence that shares most words with it, so "Leverandøren kan ikke opsige kontrakten" and
"Leverandøren kan opsige kontrakten" differ although every content word is the same."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.claims.extract import (
    ABSOLUTES,
    MODALS,
    NEGATORS,
    NOT_NEGATING_NEXT,
    SUPERLATIVES,
    TENTATIVE,
    Modality,
    Party,
    SentenceClaims,
    Token,
    parties_in,
    subject,
    tokens,
)
from assistant.search.lexical import DanishAnalyzer

_REACH = 4  # a negator or modal governs the next few content words of its clause
_CLAUSE_END = frozenset(",;:()–—")
# Coordinators end a negator's reach too: in "er ikke den officielle tekst og må ikke citeres" each
# "ikke" denies its own half.
_COORDINATORS = frozenset("og men eller samt and but or".split())
# Words that deny by their prefix: "uverificeret" denies "verificeret".
_PREFIX_NEGATIVES = ("uverific", "ubekræft", "uafklar", "uopsig", "ulovlig", "ugyldig", "uklar", "usikker",
                     "ukendt", "unverif", "unconfirm", "unclear", "uncertain", "unknown", "invalid")
# In a passage, a requirement is often a noun: "der er krav om, at …", "kræver", "forpligtet".
_OBLIGATION_WORDS = ("krav", "kræv", "forpligt", "påkræv", "requir", "oblig", "mandator")
_MODAL_TEXT = {"pligt": "»skal«", "forbud": "»må ikke«", "mulighed": "»kan«", "anbefaling": "»bør«",
               "hensigt": "»vil«"}
_PARTY_TEXT = {"kommune": "kommunerne", "kl": "KL", "leverandør": "leverandøren", "kunde": "kunden",
               "stat": "staten", "region": "regionerne", "producent": "producenterne",
               "borger": "borgerne"}


@dataclass(frozen=True)
class Stance:
    negated: frozenset[str]  # content stems inside the reach of a negator
    negators: tuple[str, ...]
    negations: tuple[frozenset[str], ...]  # per negator, the stems it denies
    modal: dict[str, Modality]  # content stem → the modality that governs it
    modalities: frozenset[Modality]
    absolutes: frozenset[str]  # absolutes not themselves denied ("ikke kun" is not "kun"), superlatives by kind
    obligation_noun: bool
    absolute_words: tuple[tuple[str, str], ...] = ()  # (kind, the word as written), for messages
    party: Party | None = None  # the party named first, who the sentence is about
    negation_cores: tuple[str, ...] = ()  # per negator, the word it denies first ("har ikke sikret": sikr)
    parties: frozenset[Party] = frozenset()  # every party the sentence names
    tentative: frozenset[str] = frozenset()  # content stems only said to be possible, wanted or considered
    introduces: bool = False  # ends with a colon: a list follows
    # Per negator, the (modifier, noun) stems of the words it denies that stand side by side: "serveres ikke
    # rødt kød" denies only red meat.
    restricted: tuple[frozenset[tuple[str, str]], ...] = ()
    words: tuple[str, ...] = ()  # every word, lower-case, in order: English and Danish meet only here


def stance(text: str, analyzer: DanishAnalyzer) -> Stance:
    toks = tokens(text)
    words = [t.low for t in toks]
    negations: list[frozenset[str]] = []
    negators: list[str] = []
    cores: list[str] = []
    restricted: list[frozenset[tuple[str, str]]] = []
    modal: dict[str, Modality] = {}
    tentative: set[str] = set()
    for i, w in enumerate(words):
        if _is_negator(words, i):
            negators.append(w)
            negations.append(frozenset(_governed(toks, i, analyzer)))
            cores.append(_core(toks, i, analyzer))
            restricted.append(_restricted(toks, i, analyzer))
        elif w.startswith(_PREFIX_NEGATIVES):
            negators.append(w)
            negations.append(frozenset(analyzer.terms(w[2:] if w.startswith(("un", "in")) else w[1:])))
            cores.append(next(iter(negations[-1]), ""))
            restricted.append(frozenset())
        kind = _modal_at(words, i)
        if kind:
            for stem in _governed(toks, i, analyzer):
                modal.setdefault(stem, kind)
        if kind in ("mulighed", "anbefaling", "hensigt"):
            tentative.update(_governed(toks, i, analyzer))
        elif w in TENTATIVE or (w == "mål" and words[i + 1:i + 2] == ["at"]):
            # What is considered is often a list: "overveje at indføre A, B eller C" considers all three.
            tentative.update(t for tok in toks[i + 1:] for t in analyzer.terms(tok.text))
    written = tuple((SUPERLATIVES.get(w, w), w) for i, w in enumerate(words)
                    if (w in ABSOLUTES or w in SUPERLATIVES) and not (i and words[i - 1] == "ikke")
                    and not _partitive(words, i))
    absolutes = frozenset(kind for kind, _ in written)
    obligation = any(w.startswith(_OBLIGATION_WORDS) for w in words)
    negated = frozenset().union(*negations)
    return Stance(negated, tuple(negators), tuple(negations), modal, frozenset(modal.values()), absolutes,
                  obligation, written, subject(text), tuple(cores), frozenset(parties_in(text.lower())),
                  frozenset(tentative), text.rstrip().endswith(":"), tuple(restricted), tuple(words))


# "kun en del af de samlede omkostninger" limits rather than generalises: it says there are other parts,
# which a passage listing the part among others says too.
_PARTITIVES = (("en", "del"), ("én", "del"), ("en", "af"), ("én", "af"), ("part",), ("one", "of"), ("a", "part"))


def _partitive(words: list[str], i: int) -> bool:
    return words[i] in ("kun", "only") and any(tuple(words[i + 1:i + 1 + len(p)]) == p for p in _PARTITIVES)


def _is_negator(words: list[str], i: int) -> bool:
    w = words[i]
    if w.endswith("n't"):
        return True
    return w in NEGATORS and not (i + 1 < len(words) and words[i + 1] in NOT_NEGATING_NEXT)


# "så vidt muligt", "hvor det er muligt", "i den udstrækning det er muligt" limit a statement; they do not
# make it a possibility.
_AS_FAR_AS = frozenset("vidt hvor udstrækning omfang".split())


def _modal_at(words: list[str], i: int) -> Modality | None:
    w = words[i]
    if w == "muligt" and _AS_FAR_AS & set(words[max(0, i - 4):i]):
        return None
    following = words[i + 1:i + 2]
    if w == "må":
        return "forbud" if following == ["ikke"] else "mulighed"
    kind = MODALS.get(w)
    if kind in ("pligt",) and following in (["ikke"], ["not"]):
        return "forbud"
    return kind


def _core(toks: list[Token], i: int, analyzer: DanishAnalyzer) -> str:
    """The content word a negator denies first: the next one in its clause, or else the one before it
    ("gevinsten høstes ikke")."""
    for step in (1, -1):
        k = i + step
        while 0 <= k < len(toks):
            if toks[k].text in _CLAUSE_END or toks[k].text in ".!?" or toks[k].low in _COORDINATORS:
                break
            found = analyzer.terms(toks[k].text)
            if found:
                return found[0]
            k += step
    return ""


# Words that stand before a noun without narrowing it: "ikke bekræftet som princippernes egen ordlyd".
_NOT_NARROWING = frozenset("egen eget egne selve own very".split())


def _restricted(toks: list[Token], i: int, analyzer: DanishAnalyzer) -> frozenset[tuple[str, str]]:
    """Pairs of adjacent content words after a negator, inside its reach: the first may narrow the second."""
    pairs: set[tuple[str, str]] = set()
    count, k = 0, i + 1
    while k + 1 < len(toks) and count < _REACH:
        if toks[k].text in _CLAUSE_END or toks[k].text in ".!?" or toks[k].low in _COORDINATORS:
            break
        first, second = analyzer.terms(toks[k].text), analyzer.terms(toks[k + 1].text)
        if first:
            count += 1
            # The second word must end its phrase (a noun before "i", a comma or the end): "længere
            # serveres rødt" is an adverb and a verb, not a narrowed noun.
            ends = k + 2 >= len(toks) or not analyzer.terms(toks[k + 2].text)
            if second and ends and not toks[k].text[:1].isupper() and toks[k].low not in _NOT_NARROWING:
                pairs.add((first[-1], second[0]))
        k += 1
    return frozenset(pairs)


def _governed(toks: list[Token], i: int, analyzer: DanishAnalyzer) -> set[str]:
    """Content stems within reach on both sides, inside the clause: Danish puts "ikke" after the verb in
    a main clause ("gevinsten høstes ikke") and before it in a subordinate one ("at den ikke høstes")."""
    stems: set[str] = set()
    for step in (1, -1):
        count, k = 0, i + step
        while 0 <= k < len(toks) and count < _REACH:
            if step == 1 and k == i + 1 and toks[k].text == "," and k + 1 < len(toks) \
                    and toks[k + 1].low in ("at", "that"):
                # "En forudsætning … er ikke, at kommunerne har blik for …": the that-clause is what is
                # denied, though a comma stands between.
                k += 1
                continue
            if toks[k].text in _CLAUSE_END or toks[k].text in ".!?" or toks[k].low in _COORDINATORS:
                break
            # A name is where something is denied or required, not what: "møbler, som ikke længere er i
            # brug på Randers Kommunes arbejdspladser" denies no sentence about Randers Kommune.
            found = [] if k and toks[k].text[:1].isupper() else analyzer.terms(toks[k].text)
            if found:
                stems.update(found)
                count += 1
            k += step
    return stems


def compare(claim: SentenceClaims, terms: frozenset[str], mine: Stance, window: list[tuple[frozenset[str], Stance]],
            passage: list[tuple[frozenset[str], Stance]], anchor_text: str) -> list[str]:
    """Why the passage's stance differs from the sentence's, in Danish (empty when it does not).

    ``window`` holds the terms and stance of each sentence of the chosen window, ``passage`` those of every
    sentence of the passage: a window that leaves out "Det spor skal fastholdes" must not let "kan
    fastholdes" through, so contradictions are looked for in every passage sentence that is about the same
    (shares at least three terms, or half, with the sentence)."""
    if claim.english:
        return _english(claim, mine, window, passage)
    anchor = max(window, key=lambda w: len(w[0] & terms))
    relevant = [anchor] + [w for w in window if w is not anchor] + [
        (t, st) for t, st in passage if len(t & terms) >= 4 or len(t & terms) * 2 >= max(len(terms), 1)]
    problems = []
    # A denial about another party ("Leverandøren kan ikke opsige") does not back the same denial about
    # this one ("Kunden kan ikke opsige").
    denials = [n for _, st in relevant if not (claim.subject and st.party and st.party != claim.subject)
               for n in st.negations]
    narrowed = [pair for _, st in relevant if not (claim.subject and st.party and st.party != claim.subject)
                for pairs in st.restricted for pair in pairs]
    for mine_denies, word, core in zip(mine.negations, mine.negators, mine.negation_cores, strict=False):
        # The passage must deny the same thing, not merely a neighbouring word: "har ikke sikret genbrug af
        # Randers Kommunes møbler" is not backed by "møbler, som ikke længere er i brug på Randers Kommunes".
        # Or a paraphrase: most of what the sentence denies is denied there ("behøver ikke selv at omsætte
        # de politiske ambitioner" / "heller ikke selv oversætte de politiske ambitioner").
        if mine_denies and not any(core in theirs or 2 * len(mine_denies & theirs) > len(mine_denies)
                                   for theirs in denials):
            problems.append(f"sætningen benægter (»{word}«), det gør uddraget ikke")
            break
        # Denying less than the passage is no paraphrase: "serveres ikke længere rødt kød" does not back
        # "serveres ikke længere kød"; the word that narrowed the denial must stand in the sentence.
        dropped = next(((m, n) for m, n in narrowed if n in mine_denies and m not in terms
                        and not any(_related(m, t) for t in terms)), None)
        if mine_denies and dropped:
            problems.append(f"uddraget benægter det kun med »{dropped[0]}« foran »{dropped[1]}«, "
                            "sætningen benægter mere")
            break
    else:
        for _, st in relevant:
            # Two shared words at least: "ikke længere er i brug på Randers Kommunes arbejdspladser" is not
            # about the budget sentence that also names Randers.
            bad = [w for denied, w in zip(st.negations, st.negators, strict=False)
                   if len(denied & terms) >= (1 if w.startswith(_PREFIX_NEGATIVES) else 2)
                   and not any(denied & m for m in mine.negations)]
            if bad:
                problems.append(f"uddraget benægter (»{bad[0]}«), det gør sætningen ikke")
                break
    problems += _modal_problems(mine, [st for _, st in relevant], terms, relevant) or _modal_elsewhere(
        mine, [st for _, st in passage], [st for _, st in window]) or _stated_as_fact(mine, anchor, terms,
                                                                                  passage)
    said = frozenset().union(*(st.absolutes for _, st in window))
    missing = sorted(mine.absolutes - said)
    if missing:
        word = next((w for kind, w in mine.absolute_words if kind == missing[0]), missing[0])
        problems.append(f"»{word}« står ikke i uddraget")
    first = subject(anchor_text)
    if claim.subject and first and first != claim.subject and claim.subject not in parties_in(anchor_text.lower()):
        problems.append(f"uddraget siger det om {_PARTY_TEXT[first]}, ikke om {_PARTY_TEXT[claim.subject]}")
    elif claim.subject in _NAMED_PARTIES and not any(claim.subject in st.parties for _, st in window):
        # The municipalities are the corpus's default actor and often go unnamed; citizens, suppliers, the
        # state and producers do not: "Borgerne kan bestille" is not backed by "ledere og medarbejdere kan".
        problems.append(f"uddraget nævner ikke {_PARTY_TEXT[claim.subject]}")
    return problems


_NAMED_PARTIES = frozenset({"borger", "leverandør", "stat", "region", "producent"})


_ALL = frozenset("alle samtlige hver hvert ethvert enhver hele".split())
_ONLY = frozenset("kun udelukkende alene blot".split())
_FULLY = frozenset("helt fuldt fuldstændig fuldstændigt hele".split())
_ENGLISH_ABSOLUTES = {
    **dict.fromkeys(("all", "every"), _ALL),
    **dict.fromkeys(("only", "solely", "exclusively"), _ONLY),
    "always": frozenset({"altid"}),
    **dict.fromkeys(("entirely", "completely", "fully"), _FULLY),
    **dict.fromkeys(("total", "overall"), frozenset("samlet samlede alt total totale hele alle".split())),
}


def _english(claim: SentenceClaims, mine: Stance, window: list[tuple[frozenset[str], Stance]],
             passage: list[tuple[frozenset[str], Stance]]) -> list[str]:
    """An English sentence shares no words with the Danish passage, so only what can be compared across the
    languages is: whether the window denies anything at all when the sentence does, and whether the party
    it is about is named there ("the regions spend" is not backed by "Kommunerne køber")."""
    if mine.negators and not any(st.negators for _, st in window):
        return [f"sætningen benægter (»{mine.negators[0]}«), det gør uddraget ikke"]
    # "are required to" where the passage only says "kan": an obligation it does not state. The whole
    # passage is read, since no shared word tells which of its sentences the English one renders.
    said = set().union(*(st.modalities for _, st in passage))
    if "pligt" in mine.modalities and "mulighed" in said and "pligt" not in said \
            and not any(st.obligation_noun for _, st in passage):
        return ["sætningen siger »skal«, det gør uddraget ikke (uddraget: »kan«)"]
    # Superlatives and fractions have one kind in both languages ("halved" and "halveret" are "halvdelen").
    said_kinds = frozenset().union(*(st.absolutes for _, st in window))
    unsaid = sorted(kind for kind, word in mine.absolute_words if word in SUPERLATIVES and kind not in said_kinds)
    if unsaid:
        word = next(w for kind, w in mine.absolute_words if kind == unsaid[0])
        return [f"»{word}« står ikke i uddraget"]
    # "the total number of invoices" where the source counts only the small ones; "all", "only", "always"
    # and "entirely" need their Danish word in the window.
    said_words = {w for _, st in window for w in st.words}
    negated = {b for a, b in zip(mine.words, mine.words[1:], strict=False) if a == "not"}
    # "10 per cent of the total consumption" is a share of the whole, which "10 pct. af forbruget" is too.
    negated |= {c for a, b, c in zip(mine.words, mine.words[1:], mine.words[2:], strict=False)
                if (a, b) == ("of", "the") and c == "total"}
    for word in sorted((set(mine.words) & _ENGLISH_ABSOLUTES.keys()) - negated):
        if not said_words & _ENGLISH_ABSOLUTES[word]:
            return [f"»{word}« står ikke i uddraget"]
    named = frozenset().union(*(st.parties for _, st in window))
    if claim.subject and named and claim.subject not in named:
        other = next((st.party for _, st in window if st.party), min(named))
        return [f"uddraget siger det om {_PARTY_TEXT[other]}, ikke om {_PARTY_TEXT[claim.subject]}"]
    if claim.subject in _NAMED_PARTIES and claim.subject not in named:
        return [f"uddraget nævner ikke {_PARTY_TEXT[claim.subject]}"]
    return []


def _stated_as_fact(mine: Stance, anchor: tuple[frozenset[str], Stance], terms: frozenset[str],
                    passage: Sequence[tuple[frozenset[str], Stance]]) -> list[str]:
    """A sentence with no modal verb states a fact; where the passage's own sentence on it says only that
    something can, should or will be done ("vil … overveje at indføre bestillingsgebyrer"), the sentence
    says more than the passage ("Gebyrer … skubber til færre bestillinger"). A list introduced by such a
    sentence ("Forventningen er, at fællesudbuddet vil bidrage til:") is as tentative as its introduction."""
    if mine.modalities or mine.obligation_noun or mine.tentative:
        return []
    tentative = set(anchor[1].tentative)
    carried = False
    for their_terms, st in passage:
        if carried:
            tentative |= their_terms
        if st.introduces:
            carried = bool(st.tentative)
    # Pieces of a split compound ("co", "2") say nothing by themselves.
    stated = [t for t in terms if len(t) >= 3 and t.isalpha()]
    if sum(any(_related(t, stem) for stem in tentative) for t in stated) < 2:
        return []
    return ["uddraget siger, at det kan, bør eller vil ske, eller at det overvejes; sætningen siger det som "
            "en kendsgerning"]


def _related(a: str, b: str) -> bool:
    """The same stem, or one a compound of the other ("gebyr" / "bestillingsgebyr")."""
    short, long_ = sorted((a, b), key=len)
    return short == long_ or (len(short) >= 5 and (long_.startswith(short) or long_.endswith(short)))


def _modal_elsewhere(mine: Stance, passage: list[Stance], window: list[Stance]) -> list[str]:
    """A sentence of the passage that governs two or more of the same words with another modal verb ("Det
    spor skal fastholdes – men det skal også udbygges") contradicts "kan fastholdes og udbygges", even when
    it shares too few words to count as on the same subject. Not where the window itself says it with the
    sentence's own modal verb: "… kan være komplicerede at tage højde for" is the passage's own sentence,
    though another one says "når der skal tages højde for totaløkonomien"."""
    agreed = {stem for stem, kind in mine.modal.items() if any(st.modal.get(stem) == kind for st in window)}
    for st in passage:
        clash = {stem: st.modal[stem] for stem, kind in mine.modal.items() if stem not in agreed
                 and stem in st.modal and st.modal[stem] != kind and kind not in st.modal.values()}
        if len(clash) >= 2:
            stem, other = next(iter(clash.items()))
            return [f"uddraget siger {_MODAL_TEXT[other]}, sætningen {_MODAL_TEXT[mine.modal[stem]]}"]
    return []


def _modal_problems(mine: Stance, window: list[Stance], terms: frozenset[str] = frozenset(),
                    sentences: list[tuple[frozenset[str], Stance]] | None = None) -> list[str]:
    """A word the sentence makes an obligation must not be a possibility in the passage (or the other way
    round), and "skal", "bør" or "vil" must be said somewhere in the window."""
    for stem, kind in mine.modal.items():
        others = {st.modal[stem] for st in window if stem in st.modal}
        if others and kind not in others:
            return [f"uddraget siger {_MODAL_TEXT[sorted(others)[0]]}, sætningen {_MODAL_TEXT[kind]}"]
    strong = {m for m in mine.modalities if m in ("pligt", "forbud", "anbefaling", "hensigt")}
    if not strong:
        return []
    # Only a sentence on the same matter says it: "som skal levere løsningerne" in the last sentence of the
    # window does not make "Kommunerne skal samarbejde om krav" an obligation the passage states.
    near = [st for t, st in (sentences or [])
            if len(t & terms) >= 3 or 2 * len(t & terms) >= max(len(terms), 1)] if sentences else window
    # A modal verb outranks the noun "krav": "at stille krav … kan gøres via SKI" is a possibility.
    said = set().union(*(st.modalities for st in near)) or (
        {"pligt"} if any(st.obligation_noun for st in near) else set())
    if not said:
        said = set().union(*(st.modalities for st in window)) & {"mulighed"}
    # A passage that states a goal as a fact ("Det spor fastholdes") does not contradict "skal"; one that
    # says "kan" or "bør" about the same does.
    if strong & said or not said:
        return []
    kind = sorted(strong)[0]
    return [f"sætningen siger {_MODAL_TEXT[kind]}, det gør uddraget ikke"
            + (f" (uddraget: {_MODAL_TEXT[sorted(said)[0]]})" if said else "")]
