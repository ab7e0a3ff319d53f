"""Does one passage say what one sentence says? Each claim is looked for in a short window of the passage
(at most three consecutive sentences); a number also needs the same unit and the words that say what it
counts in the sentence where it stands. Negation, modality and the subject are compared with the window's
sentence that shares most words with the claim. The verdict names each claim found or not, and why not,
in Danish, so a reviewer can see which part of a sentence the quote covers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assistant.claims.extract import Claim, SentenceClaims, modal_after, parties_in, tokens
from assistant.claims.passage import PassageSentence, PassageView
from assistant.search.lexical import DanishAnalyzer

WINDOW = 3
# Words that say how a figure moved or how precise it is, not what it counts: "faldt med 30 pct." says
# nothing about *what* fell.
_GENERIC = """
    fald faldet faldt falder steget steg stiger stigning reduceret reducere reduktion reduced reduction
    øget øge øgede forøget halveret nedbragt nedbringe nedbragte sænket mindsket udgør udgjorde samlet
    samlede i alt cirka omkring godt knap mindst næsten over under end mere mindre ud af op til
    gennemsnit gennemsnitligt årligt year years per om året approximately about around nearly almost
    least more than less total fell dropped rose increased decreased cut by some
""".split()
# English names of things the Danish corpus names in Danish.
ALIASES = {"copenhagen": "københavn", "denmark": "danmark", "eu": "eu", "un": "fn", "sdg": "verdensmål",
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


class Matcher:
    def __init__(self, analyzer: DanishAnalyzer) -> None:
        self.analyzer = analyzer
        self.generic = frozenset(s for w in _GENERIC for s in analyzer.terms(w))

    def content(self, words: Iterable[str]) -> set[str]:
        return {t for w in words for t in self.analyzer.terms(w)} - self.generic

    def verdict(self, index: int, claims: SentenceClaims, terms: set[str], view: PassageView, *,
                topic_ok: bool = False, min_overlap: float = 0.5) -> Verdict:
        """The best window of the passage for this sentence. ``topic_ok`` when another judge (the embedder,
        for an English sentence) has already found the passage on topic: then no term overlap is asked."""
        best: Verdict | None = None
        n = len(view.sentences)
        for first in range(n):
            for last in range(first, min(n, first + WINDOW)):
                window = view.sentences[first:last + 1]
                found = self._window(index, claims, terms, view, window, topic_ok, min_overlap)
                if best is None or _rank(found) > _rank(best):
                    best = found
        if best is None:
            return Verdict(index, False, 0.0, None, (), ("uddraget er tomt",))
        return best

    def _window(self, index: int, claims: SentenceClaims, terms: set[str], view: PassageView,
                window: tuple[PassageSentence, ...], topic_ok: bool, min_overlap: float) -> Verdict:
        window_terms = set().union(*(s.terms for s in window)) | view.heading_terms
        score = len(terms & window_terms) / len(terms) if terms else 1.0
        anchor = max(window, key=lambda s: (len(terms & s.terms), -s.start))
        results = tuple(self._claim(c, claims, window, view) for c in claims.claims)
        problems = [r.why for r in results if not r.found]
        if not topic_ok and score < min_overlap:
            problems.insert(0, "uddraget handler ikke om det samme")
        problems += _stance(claims, anchor.parsed, anchor.text.lower())
        span = (window[0].start, window[-1].end)
        return Verdict(index, not problems, round(score, 3), span, results, tuple(problems))

    def _claim(self, claim: Claim, sentence: SentenceClaims, window: tuple[PassageSentence, ...],
               view: PassageView) -> ClaimResult:
        if claim.kind == "number":
            return self._number(claim, window)
        if claim.kind == "year":
            years = {c.key for s in window for c in s.parsed.claims if c.kind == "year"}
            ok = claim.key in years
            return ClaimResult(claim, ok, "" if ok else f"årstallet {claim.text} står ikke i uddraget")
        if claim.kind == "paragraph":
            refs = {c.key for s in window for c in s.parsed.claims if c.kind == "paragraph"}
            ok = claim.key in refs
            return ClaimResult(claim, ok, "" if ok else f"henvisningen {claim.text} står ikke i uddraget")
        return self._name(claim, sentence, window, view)

    def _name(self, claim: Claim, sentence: SentenceClaims, window: tuple[PassageSentence, ...],
              view: PassageView) -> ClaimResult:
        """A name may stand anywhere in the window's paragraphs or the passage's headings: a case is
        usually named once, at the start of its paragraph."""
        key = ALIASES.get(claim.key, claim.key) if sentence.english else claim.key
        paragraphs = " ".join(view.paragraph_text(p) for p in sorted({s.paragraph for s in window}))
        haystack = f" {paragraphs} {view.heading} "
        ok = any(haystack.find(prefix + key) >= 0 for prefix in (" ", "(", "'", '"', "-", "»"))
        return ClaimResult(claim, ok, "" if ok else f"»{claim.text}« nævnes ikke i uddraget")

    def _number(self, claim: Claim, window: tuple[PassageSentence, ...]) -> ClaimResult:
        wanted = self.content(claim.about)
        same_value: list[tuple[Claim, PassageSentence]] = [
            (c, s) for s in window for c in s.parsed.claims if c.kind == "number" and c.key == claim.key]
        if not same_value:
            return ClaimResult(claim, False, f"tallet {claim.text} står ikke i uddraget")
        unit_ok = [(c, s) for c, s in same_value if _same_unit(claim, c)]
        if not unit_ok:
            other = same_value[0][0]
            return ClaimResult(claim, False, f"tallet {claim.text.split()[0]} står i uddraget som "
                                             f"»{other.text}«, ikke »{claim.text}«")
        for _, s in unit_ok:
            if not wanted or len(wanted & s.terms) * 2 >= len(wanted):
                return ClaimResult(claim, True)
        other_about = sorted(self.content(unit_ok[0][0].about))[:3]
        return ClaimResult(claim, False, f"tallet {claim.text} står i uddraget, men om "
                                         f"{', '.join(other_about) or 'noget andet'}, ikke om "
                                         f"{', '.join(sorted(wanted)[:3])}")


def _same_unit(claim: Claim, found: Claim) -> bool:
    if claim.unit == found.unit:
        return True
    # "100 milliarder" in the source, "100 mia. kr." in the answer: an amount that large is money.
    return claim.unit == "kr" and found.unit is None and float(found.key.split("–")[0]) >= 1e6


def _stance(claims: SentenceClaims, anchor: SentenceClaims, anchor_low: str) -> list[str]:
    problems = []
    anchor_words = [t.low for t in tokens(anchor.text)]
    if claims.negation and not anchor.negation:
        problems.append(f"sætningen benægter (»{claims.negation}«), det gør uddraget ikke")
    elif anchor.negation and not claims.negation:
        problems.append(f"uddraget benægter (»{anchor.negation}«), det gør sætningen ikke")
    if claims.modalities and anchor.modalities and not claims.modalities & anchor.modalities:
        problems.append(f"uddraget siger {_modal_text(anchor.modalities)}, sætningen siger "
                        f"{_modal_text(claims.modalities)}")
    if claims.subject and claims.subject_modal:
        theirs = modal_after(anchor_words, claims.subject)
        if theirs and theirs != claims.subject_modal:
            problems.append(f"uddraget siger {_MODAL_TEXT[theirs]} om {_PARTY_TEXT[claims.subject]}, "
                            f"sætningen {_MODAL_TEXT[claims.subject_modal]}")
    if claims.subject and anchor.subject and claims.subject != anchor.subject \
            and claims.subject not in parties_in(anchor_low):
        problems.append(f"uddraget siger det om {_PARTY_TEXT[anchor.subject]}, ikke om "
                        f"{_PARTY_TEXT[claims.subject]}")
    return problems


_MODAL_TEXT = {"pligt": "»skal«", "forbud": "»må ikke«", "mulighed": "»kan«", "anbefaling": "»bør«",
               "hensigt": "»vil«"}
_PARTY_TEXT = {"kommune": "kommunerne", "kl": "KL", "leverandør": "leverandøren", "kunde": "kunden",
               "stat": "staten", "region": "regionerne"}


def _modal_text(modalities: frozenset[str]) -> str:
    return " / ".join(_MODAL_TEXT[m] for m in sorted(modalities))


def _rank(v: Verdict) -> tuple[bool, int, float, int]:
    found = sum(r.found for r in v.claims)
    span = (v.span[1] - v.span[0]) if v.span else 0
    return (v.supported, found, v.score, -span)
