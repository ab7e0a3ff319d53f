"""Does one passage say what one sentence says? Each claim is looked for in a short window of the passage
(at most three consecutive sentences); a number also needs the same unit and the words that say what it
counts in the sentence where it stands. Negation, modality and the subject are compared with the window's
sentence that shares most words with the claim. The verdict names each claim found or not, and why not,
in Danish, so a reviewer can see which part of a sentence the quote covers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from assistant.claims.causes import cause_problem
from assistant.claims.extract import (
    ABSOLUTES,
    MOVEMENTS,
    MUNICIPALITIES,
    SUPERLATIVES,
    Claim,
    SentenceClaims,
    Token,
    parse,
    plain_words,
    tokens,
)
from assistant.claims.glossary import counted, rendered
from assistant.claims.lists import members
from assistant.claims.passage import PassageSentence, PassageView
from assistant.claims.relation import role_problems
from assistant.claims.rivals import compound_rival, moved_rival, per_problem
from assistant.claims.stance import Stance, compare, stance
from assistant.search.lexical import DanishAnalyzer
from assistant.text import plain_chemistry

WINDOW = 3
# Words that say how a figure moved or how precise it is, not what it counts: "faldt med 30 pct." says
# nothing about *what* fell.
_GENERIC = """
    fald faldet faldt falder steget steg stiger stigning reduceret reducere reduktion reduced reduction
    øget øge øgede forøget halveret nedbragt nedbringe nedbragte sænket mindsket udgør udgjorde samlet
    samlede i alt cirka omkring godt knap mindst næsten over under end mere mindre ud af op til
    gennemsnit gennemsnitligt årligt year years per om året approximately about around nearly almost
    least more than less total fell dropped rose increased decreased cut by some
    blev blevet bliver blive er var været
""".split()
# Words that make a figure a share of something, so a level, whatever else the sentence tells.
_SHARES = frozenset("andel andelen andele andelene udgør udgjorde share proportion".split())
# English names of things the Danish corpus names in Danish.
ALIASES = {"copenhagen": "københavn", "denmark": "danmark", "eu": "eu", "un": "fn", "sdg": "verdensmål",
           "sdgs": "verdensmål", "epa": "miljøstyrels", "copenhagen's": "københavn",
           "local": "kl"}


@dataclass(frozen=True)
class ClaimResult:
    claim: Claim
    found: bool
    why: str = ""


@dataclass(frozen=True)
class Verdict:
    index: int  # the passage, 0-based
    supported: bool
    score: float  # share of the sentence's terms in the window, 0..1
    span: tuple[int, int] | None  # the window in the chunk's verbatim text
    claims: tuple[ClaimResult, ...]
    problems: tuple[str, ...]  # why not supported, in Danish


@dataclass(frozen=True)
class Said:
    """A sentence taken apart once, compared with every window of every passage."""

    claims: SentenceClaims
    terms: frozenset[str]
    stance: Stance
    words: frozenset[str] = frozenset()  # lower-case words, for opposites
    denied: frozenset[str] = frozenset()  # the words right after a negator


# Words whose opposite in the passage, without the word itself, says the contrary: "de faktiske mængder"
# is not "forventede mængder", "obligatorisk" not "frivillig", "nye møbler" not "brugte møbler".
_OPPOSITE_GROUPS = (
    ({"faktisk", "faktiske"}, {"forventet", "forventede", "forventes", "anslået", "anslåede", "skønnet"}),
    ({"obligatorisk", "obligatoriske", "lovpligtig", "lovpligtige", "lovpligtigt"},
     {"frivillig", "frivillige", "frivilligt"}),
    ({"intern", "interne", "internt"}, {"ekstern", "eksterne", "eksternt"}),
    ({"ny", "nye", "nyt"}, {"brugt", "brugte", "genbrugte", "istandsatte"}),
    ({"udfaset", "udfases", "afskaffet", "afskaffes"}, {"fastholdes", "fastholdt", "bevares", "bevaret"}),
    ({"bekræftet", "bekræftes", "verificeret", "fastslået"}, {"uverificeret", "ubekræftet", "uafklaret"}),
    ({"god", "godt", "gode"}, {"dårlig", "dårligt", "dårlige", "uheldig", "uheldigt", "uheldige", "badly", "poorly"}),
    ({"billig", "billigt", "billige", "billigere", "cheaper"}, {"dyr", "dyrt", "dyre", "dyrere", "costlier"}),
    # A trial is not a standing arrangement: "har permanent indført" against "en forsøgsordning".
    ({"permanent", "permanente", "permanently", "varigt", "varig"},
     {"forsøgsordning", "forsøgsordningen", "forsøgsordninger", "forsøg", "forsøget", "pilotprojekt",
      "pilotprojektet", "midlertidig", "midlertidigt", "midlertidige"}),
)
_OPPOSITES = {w: (group, other) for a, b in _OPPOSITE_GROUPS for group, other in ((a, b), (b, a)) for w in group}


def _words(text: str) -> set[str]:
    return set(plain_words(text))


def _since(toks: list[Token], position: int, reach: int = 12) -> str | None:
    """The year a change at ``position`` is measured from: the year after the nearest "siden" / "since"
    before the figure in its sentence, or else after it ("siden 2022 er omsætningen vækset med 35 pct.",
    "has grown by 35 per cent since 2021")."""
    def year_after(k: int) -> str | None:
        for tok in toks[k + 1:k + 5]:
            if tok.text.isdigit() and len(tok.text) == 4 and tok.text[:2] in ("19", "20"):
                return tok.text
        return None

    nearest = [*range(position - 1, max(-1, position - reach), -1),
               *range(position + 1, min(len(toks), position + reach))]
    for k in nearest:
        if toks[k].low in ("siden", "since"):
            return year_after(k)
    return None


def _opposites(words: frozenset[str], window: set[str], denied: frozenset[str] = frozenset()) -> list[str]:
    """``denied``: the sentence's words right after "ikke"; "ikke bekræftet" says what "uverificeret" says."""
    problems = []
    for word in sorted((words - denied) & _OPPOSITES.keys()):
        group, other = _OPPOSITES[word]
        said_there = sorted(window & other)
        if said_there and not window & group:
            problems.append(f"uddraget siger »{said_there[0]}«, ikke »{word}«")
    return problems


class Matcher:
    def __init__(self, analyzer: DanishAnalyzer) -> None:
        self.analyzer = analyzer
        self.generic = frozenset(s for w in _GENERIC for s in analyzer.terms(w))
        self.absolute = frozenset(s for w in (*ABSOLUTES, *SUPERLATIVES) for s in analyzer.terms(w))

    def content(self, words: Iterable[str]) -> set[str]:
        return {t for w in words for t in self.analyzer.terms(w)} - self.generic

    def said(self, sentence: str) -> Said:
        sentence = plain_chemistry(sentence)
        words = plain_words(sentence)
        denied = frozenset(b for a, b in pairwise(words) if a in ("ikke", "not"))
        return Said(parse(sentence), frozenset(self.analyzer.terms(sentence)), stance(sentence, self.analyzer),
                    frozenset(words), denied)

    def verdict(self, index: int, said: Said, view: PassageView, *, topic_ok: bool = False,
                min_overlap: float = 0.5) -> Verdict:
        """The best window of the passage for this sentence. ``topic_ok`` when another judge (the embedder,
        for an English sentence) has already found the passage on topic: then no term overlap is asked."""
        best: Verdict | None = None
        n = len(view.sentences)
        moved = "" if said.claims.english else moved_rival(
            said.claims.text, [s.text for s in view.sentences], self.analyzer.terms, has_term)
        for first in range(n):
            for last in range(first, min(n, first + WINDOW)):
                found = self._window(index, said, view, first, last, topic_ok, min_overlap, moved)
                if best is None or _rank(found) > _rank(best):
                    best = found
        if best is None:
            return Verdict(index, False, 0.0, None, (), ("uddraget er tomt",))
        return best

    def _window(self, index: int, said: Said, view: PassageView, first: int, last: int, topic_ok: bool,
                min_overlap: float, moved: str = "") -> Verdict:
        """``moved``: what the whole passage says moved instead (``moved_rival``), the same for every window."""
        window = view.sentences[first:last + 1]
        terms = said.terms
        window_terms = set().union(*(s.terms for s in window)) | view.heading_terms
        frozen = frozenset(window_terms)
        # Absolutes are judged on their own (stance), so they do not also count against the topic.
        topical = terms - self.absolute or terms
        score = sum(has_term(frozen, t) for t in topical) / len(topical) if topical else 1.0
        anchor = max(window, key=lambda s: (len(terms & s.terms), -s.start))
        at = view.sentences.index(anchor)
        results = tuple(self._claim(c, said.claims, window, view, at) for c in said.claims.claims)
        problems = [r.why for r in results if not r.found]
        if not topic_ok and score < min_overlap:
            problems.insert(0, "uddraget handler ikke om det samme")
        problems += compare(said.claims, terms, said.stance, [(s.terms, s.stance) for s in window],
                            [(s.terms, s.stance) for s in view.sentences], anchor.text)
        window_text = " ".join(s.text for s in window)
        problems += [p for p in (per_problem(said.claims.text, window_text), cause_problem(said.claims.text,
                                                                                        window_text)) if p]
        if not said.claims.english:
            # The sentence right after the window counts too: "… fra 2025. Startdatoen … er UVERIFICERET."
            # qualifies what the window states.
            after = view.sentences[last + 1:last + 2]
            problems += _opposites(said.words, {w for s in (*window, *after) for w in _words(s.text)}, said.denied)
            problems += [f"»{word}« nævnes ikke i uddraget" for word in members(said.claims.text)
                         if not all(has_term(frozen, t, loose=True) for t in self.analyzer.terms(word))]
            if moved:
                problems.append(moved)
            rival = compound_rival([t for t in terms if t.isalpha() and not has_term(frozen, t)], frozen)
            if rival:
                problems.append(f"uddraget siger »{rival[1]}«, ikke »{rival[0]}«")
        # A name may stand anywhere in the window's paragraphs (see _name), so its role is read there too.
        paragraphs = {s.paragraph for s in window}
        problems += role_problems(said.claims.text, self._name_forms(said.claims),
                                  [s.text for s in view.sentences if s.paragraph in paragraphs])
        span = (window[0].start, window[-1].end)
        return Verdict(index, not problems, round(score, 3), span, results, tuple(problems))

    @staticmethod
    def _name_forms(claims: SentenceClaims) -> list[tuple[str, tuple[str, ...]]]:
        forms = []
        for c in claims.claims:
            if c.kind == "name":
                alias = ALIASES.get(c.text.lower().rstrip("'’s")) if claims.english else None
                forms.append((c.text, tuple({c.text.lower(), c.key.lower(), *([alias] if alias else [])})))
        return forms

    def _claim(self, claim: Claim, sentence: SentenceClaims, window: tuple[PassageSentence, ...],
               view: PassageView, anchor: int) -> ClaimResult:
        if claim.kind == "number":
            return self._number(claim, window, sentence, view.sentences)
        if claim.kind == "year":
            if claim.before:  # a whole date: where the passage gives that day and month, the year is theirs
                dated = [(s, c) for s in view.sentences for c in s.parsed.claims
                         if c.kind == "year" and c.before == claim.before]
                if dated and not any(c.key == claim.key and s in window for s, c in dated):
                    return ClaimResult(claim, False, f"uddraget giver en anden dato end {claim.before} {claim.text}")
                other = next((c.before for s in window for c in s.parsed.claims if c.kind == "year"
                              and c.key == claim.key and c.before and c.before != claim.before), None)
                if other and not dated:
                    return ClaimResult(claim, False,
                                       f"uddraget siger {other} {claim.text}, ikke {claim.before} {claim.text}")
            years = {c.key for s in window for c in s.parsed.claims if c.kind == "year"}
            # The title's period counts when the sentence names that period: "strategien 2020-2024" is said
            # by any passage of "Fælleskommunal indkøbsstrategi 2020-2024", but "lovpligtig i 2020" is not.
            named = {c.key for c in sentence.claims if c.kind == "year"}
            if len(named) >= 2 and named <= view.heading_years:
                years |= view.heading_years
            ok = claim.key in years
            return ClaimResult(claim, ok, "" if ok else f"årstallet {claim.text} står ikke i uddraget")
        if claim.kind == "paragraph":
            return self._paragraph(claim, sentence, window, view)
        return self._name(claim, sentence, window, view, anchor)

    def _paragraph(self, claim: Claim, sentence: SentenceClaims, window: tuple[PassageSentence, ...],
                   view: PassageView) -> ClaimResult:
        """The reference must stand in the window, and in a sentence that says as much of what the sentence
        says as any sentence of the passage that cites another paragraph: "Ledsageordning til voksne … § 85"
        is not backed by a list where § 85 is the law for "støttende indsatser" and ledsageordning's is § 97."""
        cited = [(c, s) for s in window for c in s.parsed.claims if c.kind == "paragraph" and c.key == claim.key]
        if not cited:
            return ClaimResult(claim, False, f"henvisningen {claim.text} står ikke i uddraget")
        # "servicelovens § 32" is not "barnets lov § 32": where both name the law, it must be the same.
        holding = [s for c, s in cited if not (claim.before and c.before) or c.before == claim.before]
        if not holding:
            return ClaimResult(claim, False, f"{claim.text} står i uddraget, men i en anden lov")
        # Words, not the numbers: the paragraph's own number would count for the sentence that holds it.
        wanted = frozenset(t for t in self.content(_words(sentence.text)) if t.isalpha())

        def fit(s: PassageSentence) -> int:
            return sum(has_term(s.terms, t) for t in wanted)

        mine = max(fit(s) for s in holding)
        for s in view.sentences:
            others = [c for c in s.parsed.claims if c.kind == "paragraph" and c.key != claim.key]
            if others and claim.key not in {c.key for c in s.parsed.claims} and fit(s) > mine:
                return ClaimResult(claim, False, f"uddraget henviser til {others[0].text} om det, sætningen "
                                                 f"siger; {claim.text} står der om noget andet")
        return ClaimResult(claim, True)

    def _name(self, claim: Claim, sentence: SentenceClaims, window: tuple[PassageSentence, ...],
              view: PassageView, anchor: int) -> ClaimResult:
        """A municipality must be the one the case is about: named in the sentence that says the most of
        what the claim says, or else the last one named before it (a case names its municipality once, at
        the start). Other names may stand anywhere in the window's paragraphs or the passage's headings."""
        alias = ALIASES.get(claim.text.lower().rstrip("'’s")) or ALIASES.get(claim.text.lower())
        key = (alias or claim.key) if sentence.english else claim.key
        if is_municipality(key):
            earlier = [s.municipalities for s in view.sentences[:anchor + 1] if s.municipalities]
            # None named yet: the one the window names further on ("… Således undgår Rødovre Kommune"),
            # else the heading's.
            later = [m for s in window for m in s.municipalities]
            named = list(earlier[-1]) if earlier else later or [m for m in MUNICIPALITIES if m in view.heading]
            ok = any(m.startswith(key) or key.startswith(m[:max(4, len(m) - 2)]) for m in named)
            why = f"»{claim.text}« er ikke den kommune, uddraget handler om" + (
                f" ({', '.join(sorted(set(named)))})" if named else "")
            return ClaimResult(claim, ok, "" if ok else why)
        paragraphs = " ".join(view.paragraph_text(p) for p in sorted({s.paragraph for s in window}))
        haystack = f" {paragraphs} {view.heading} "
        whole = _acronym(claim.text) and key == claim.key
        ok = any(_name_at(haystack, prefix + key, whole) for prefix in (" ", "(", "'", '"', "-", "»"))
        return ClaimResult(claim, ok, "" if ok else f"»{claim.text}« nævnes ikke i uddraget")

    def _number(self, claim: Claim, window: tuple[PassageSentence, ...], sentence: SentenceClaims,
                passage: Sequence[PassageSentence]) -> ClaimResult:
        english = sentence.english
        own = frozenset(c.key for c in sentence.claims if c.kind == "number")
        same_value = [(c, s) for s in window for c in _numbers_of(s) if c.key == claim.key]
        if not same_value:
            return ClaimResult(claim, False, f"tallet {claim.text} står ikke i uddraget")
        unit_ok = [(c, s) for c, s in same_value if _same_unit(claim, c)]
        if not unit_ok:
            other = same_value[0][0]
            return ClaimResult(claim, False, f"tallet {claim.text.split()[0]} står i uddraget som "
                                             f"»{other.text}«, ikke »{claim.text}«")
        # An English sentence cannot share the words that say what a Danish figure counts; its value,
        # unit and qualifier still have to match.
        wanted = set() if english else self.content(claim.about)
        reason = ""
        for found, s in unit_ok:
            if claim.qualifier and claim.qualifier != "omkring" and found.qualifier != claim.qualifier:
                reason = f"uddraget siger ikke »{_QUALIFIER_TEXT[claim.qualifier]} {claim.text}«"
                continue
            if claim.qualifier is None and found.qualifier in ("over", "under"):
                # "100 mia." where the source says "knap 100 mia." states a figure the source does not give.
                reason = f"uddraget siger {_QUALIFIER_TEXT[found.qualifier]} {found.text}, ikke præcis {claim.text}"
                continue
            if claim.per and found.per != claim.per:
                reason = f"tallet {claim.text} står i uddraget, men ikke pr. {claim.per}"
                continue
            if claim.moved and not found.moved and (_SHARES & set(found.about)
                                                    or not any(_movement(w) for w in _words(s.text))):
                # "andelen af fjerntolkning er 28-52 pct." is a level even where the sentence also tells
                # of a "stigning".
                reason = f"uddraget giver {claim.text} som et niveau, ikke som en ændring"
                continue
            if english:
                things = counted([t.text for t in tokens(sentence.text)], claim.position)
                danish = plain_words(s.text)
                if things and not any(rendered(thing, danish) for thing in things):
                    thing = things[0]
                    # "10 per cent of emissions" is not "ca. 10 pct. af forbruget".
                    reason = f"tallet {claim.text} står i uddraget, men ikke om »{thing}«"
                    continue
            start, theirs = _since(tokens(sentence.text), claim.position), _since(tokens(s.text), found.position)
            if start and theirs and start != theirs:
                # "vokset med 35 pct. siden opstarten i 2021" where the source measures the 35 pct. from 2022.
                reason = f"uddraget måler {found.text} fra {theirs}, ikke fra {start}"
                continue
            missing = "" if english else self._missing_key_words(claim, found, s)
            if missing:
                reason = (f"tallet {claim.text} står i uddraget om »{found.counted or found.before or 'noget andet'}«, "
                          f"ikke om »{missing}«")
                continue
            rival = "" if english else self._rival(claim, found, passage, own)
            if rival:
                reason = rival
                continue
            if not wanted or any(has_term(s.terms, t) for t in wanted):
                return ClaimResult(claim, True)
        if not reason:
            other_about = sorted(self.content(unit_ok[0][0].about))[:3]
            reason = (f"tallet {claim.text} står i uddraget, men om {', '.join(other_about) or 'noget andet'}, "
                      f"ikke om {', '.join(sorted(wanted)[:3])}")
        return ClaimResult(claim, False, reason)

    def _rival(self, claim: Claim, found: Claim, passage: Sequence[PassageSentence], own: frozenset[str]) -> str:
        """Another figure in the same unit that the passage says of what the sentence's figure counts: in
        "computere med en garanti på 4 år … færdig med computerne typisk efter ca. 5 år", "udskifter
        computerne typisk efter 4 år" takes the warranty's figure for the replacement's. A figure the sentence
        gives itself is no rival: the words next to it are its own ("65 kommuner står sammen om … 50.90")."""
        wanted = self.content([*claim.about, claim.counted or "", claim.before or ""])
        if len(wanted) < 2:
            return ""

        def fit(c: Claim) -> int:
            local = frozenset(self.content([*c.about, c.counted or "", c.before or ""]))
            return sum(has_term(local, t) for t in wanted)

        mine = fit(found)
        for s in passage:
            for other in _numbers_of(s):
                if (other.key != claim.key and other.key not in own and _same_unit(claim, other)
                        and fit(other) >= max(2, mine + 1)):
                    near = sorted(t for t in wanted if has_term(frozenset(self.content(other.about)), t))[:3]
                    return (f"uddraget giver {other.text} om »{' '.join(near) or other.counted}«; "
                            f"{found.text} står der om noget andet")
        return ""

    def _missing_key_words(self, claim: Claim, found: Claim, sentence: PassageSentence) -> str:
        """The word that says what the sentence's figure counts, if the passage's figure counts something
        else. The word right after the number ("400.000 ansatte") must be the passage's word after its
        number, or stand in its sentence when the passage has none there. Only without such a word is the
        nearest word before the number asked for ("køber varer for 700 mio. kr."), and then next to the
        passage's figure: in "elforbrug … ca. 10 pct. af forbruget, og varmeforbruget … ca. 3 pct." the
        10 pct. is not about heat."""
        counted = self.content([claim.counted]) if claim.counted else set()
        if counted:
            theirs = frozenset(self.content([found.counted or ""]) | self.content([found.before or ""]))
            where = theirs if self.content([found.counted or ""]) else sentence.terms
            return "" if all(has_term(where, t) for t in counted) else (claim.counted or "")
        before = self.content([claim.before]) if claim.before else set()
        if not before:
            return ""
        local = frozenset(self.content([*found.about, found.counted or "", found.before or ""]))
        # Or the very compound stands earlier in the passage's sentence ("reduceret deres elforbrug med 1,8
        # mio. kWh svarende til ca. 10 pct."), where the nearest word is a measure.
        preceding = frozenset(self.analyzer.terms(" ".join(t.text for t in tokens(sentence.text)[:found.position])))
        return "" if all(has_term(local, t, sentence.terms) or _headed(preceding, t) for t in before) else (
            claim.before or "")


# Nouns of change that head a compound: "udgiftsreduktioner svarende til ca. 29 pct." is a change.
_MOVEMENT_HEADS = ("reduktion", "reduktioner", "besparelse", "besparelser", "stigning", "stigninger", "nedgang")


def _movement(word: str) -> bool:
    return word in MOVEMENTS or word.endswith(_MOVEMENT_HEADS)


def _headed(terms: frozenset[str], term: str) -> bool:
    """The term, a word of its family, or a compound headed by one of them ("driftsbesparelse" is a
    "besparelse"): not a compound that merely starts with it ("tjenesteydelser" are not "tjenester")."""
    return any(t == alt or (len(alt) >= 5 and t.endswith(alt)) for alt in (term, *_FAMILY.get(term, ()))
               for t in terms)


def _numbers_of(sentence: PassageSentence) -> list[Claim]:
    """The sentence's figures, with each end of a range ("1-3", "28-52 pct.") also standing alone."""
    out = []
    for c in sentence.parsed.claims:
        if c.kind != "number":
            continue
        out.append(c)
        if "–" in c.key:
            out += [replace(c, key=end) for end in c.key.split("–")]
    return out


# Stems of one word family that the stemmer leaves apart: "sparer" is said of a "driftsbesparelse".
_FAMILY = {"spar": ("bespar",), "bespar": ("spar",), "udled": ("udledning",), "udledning": ("udled",),
           "genanv": ("genanvend",), "genanvend": ("genanv",), "anv": ("anvend",), "anvend": ("anv",),
           "reduc": ("reduktion",), "reduktion": ("reduc",),
           # Plain words for the corpus's terms: "maden" is what "fødevarerelateret" is about.
           "mad": ("fødevar",), "fødevar": ("mad",)}


def has_term(terms: frozenset[str], term: str, context: frozenset[str] | None = None, *, loose: bool = False) -> bool:
    """A term, or a compound that starts with it, or one that ends with it where the sentence's own term is
    the shorter one or the compound's first part is in ``context`` (the terms themselves by default):
    "aftale for fødevarer" holds "fødevareaftal", "tolkens transport" does not hold "vejtransport". Or a
    one-letter slip in a long word ("fødevarerelat" / "fødevarerrelat"). Or another stem of the same word
    family. ``loose`` drops the compound rule, for ranking quotes against a question rather than judging
    support."""
    return any(_has_one(terms, t, context, loose) for t in (term, *_FAMILY.get(term, ())))


def _has_one(terms: frozenset[str], term: str, context: frozenset[str] | None, loose: bool) -> bool:
    if term in terms:
        return True
    for other in terms:
        short, long_ = sorted((term, other), key=len)
        if len(short) >= 5 and long_.startswith(short):
            return True
        if len(short) >= 5 and long_.endswith(short) and (
                loose or long_ == other or _modifier_in(context or terms, term, other)):
            return True
        if len(short) >= 8 and len(long_) - len(short) <= 1 and _one_edit(short, long_):
            return True
    return False


def _modifier_in(terms: frozenset[str], compound: str, head: str) -> bool:
    """A compound of the sentence ("varmeforbrug") is found through its head ("forbrug") only when its
    first part is there too ("aftale for fødevarer" holds "fødevareaftal"; "elforbrug" does not hold
    "varmeforbrug", nor "tolkens transport" "vejtransport")."""
    modifier = compound[:len(compound) - len(head)].rstrip("s")
    if len(modifier) < 3:
        return False
    # The modifier must stand on its own: "varmeforbruget" elsewhere in the sentence does not put "varme"
    # next to the figure that counts "elforbrug".
    return any(len(t) >= 3 and not t.endswith(head) and (t.startswith(modifier) or modifier.startswith(t))
               for t in terms)


def _acronym(name: str) -> bool:
    return len(name) <= 5 and name.isupper()


def _name_at(haystack: str, needle: str, whole: bool) -> bool:
    """``needle`` in the text; an acronym as a whole word only (with a genitive "s" or a hyphen), so "KL" is
    not found in "klimaet"."""
    at = haystack.find(needle)
    while at >= 0:
        after = haystack[at + len(needle):at + len(needle) + 2]
        if not whole or not after[:1].isalnum() or (after[:1] == "s" and not after[1:2].isalnum()):
            return True
        at = haystack.find(needle, at + 1)
    return False


def _one_edit(a: str, b: str) -> bool:
    """``b`` is ``a`` with at most one letter inserted or changed (``len(b) - len(a)`` is 0 or 1)."""
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


_QUALIFIER_TEXT = {"over": "over", "under": "under", "omkring": "ca."}


def is_municipality(key: str) -> bool:
    return any(m.startswith(key) for m in MUNICIPALITIES) and len(key) >= 4


def _same_unit(claim: Claim, found: Claim) -> bool:
    if claim.unit == found.unit:
        return True
    # "100 milliarder" in the source, "100 mia. kr." in the answer: an amount that large is money.
    return claim.unit == "kr" and found.unit is None and float(found.key.split("–")[0]) >= 1e6


def _rank(v: Verdict) -> tuple[int, float, bool, int]:
    found = sum(r.found for r in v.claims)
    span = (v.span[1] - v.span[0]) if v.span else 0
    # The window where most of the sentence is said, not the one that happens to pass: a window that
    # leaves out "Årstallet er UVERIFICERET" must not be picked because it leaves it out.
    return (found, v.score, v.supported, -span)
