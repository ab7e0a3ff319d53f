"""The one claim checker for answers, drafted cards, edited cards and the review view.

Every sentence is judged against every passage: it is supported by a passage only when one short window of
that passage holds each of its claims (number with unit and what it counts, year, name, paragraph) with the
same negation, modality and subject, and shares most of its words (or, for an English sentence, is close
in the multilingual embedder's space). The sentence's [n] marker is then set to that passage; a sentence no
passage supports keeps the reasons of the nearest one, in Danish, and is never shown as sourced.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.claims.entail import EntailmentJudge
from assistant.claims.extract import SentenceClaims
from assistant.claims.match import ClaimResult, Matcher, Verdict, has_term
from assistant.claims.passage import PassageView, view
from assistant.claims.question import asked, misfit
from assistant.claims.sentences import MARKER, split_sentences
from assistant.search.embed import Embedder
from assistant.search.lexical import DanishAnalyzer
from assistant.types import Passage


@dataclass(frozen=True)
class SentenceCheck:
    start: int  # span of the sentence (markers included) in the checked text
    end: int
    sentence: str  # without markers
    cited: tuple[int, ...]  # markers the model wrote (1-based)
    support: tuple[int, ...]  # passages that support it (1-based), best first
    score: float  # support score of the best passage, 0..1
    missing_numbers: tuple[str, ...]  # numbers found in no supporting passage
    problems: tuple[str, ...] = ()  # why the nearest passage does not support it, in Danish
    claims: tuple[ClaimResult, ...] = ()  # each claim, found or not, in the supporting (or nearest) passage
    span: tuple[int, int] | None = None  # the window of that passage's chunk text that was compared
    nearest: int | None = None  # that passage (1-based)

    @property
    def supported(self) -> bool:
        return bool(self.support) and not self.missing_numbers and not self.problems


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    na = math.sqrt(sum(x * x for x in a)) or 1.0
    nb = math.sqrt(sum(y * y for y in b)) or 1.0
    return dot / (na * nb)


class ClaimChecker:
    def __init__(self, analyzer: DanishAnalyzer, embedder: Embedder | None = None, *,
                 min_overlap: float = 0.5, min_similarity: float = 0.80,
                 judge: EntailmentJudge | None = None) -> None:
        self.analyzer = analyzer
        self.embedder = embedder
        # The second opinion for sentences whose claims all check out but whose words are not all the
        # passage's (a paraphrase, or one word swapped); None keeps the checker word-for-word only.
        self.judge = judge
        self.matcher = Matcher(analyzer)
        self.min_overlap = min_overlap
        self.min_similarity = min_similarity

    def check(self, text: str, passages: Sequence[Passage], question: str = "") -> list[SentenceCheck]:
        """``question`` is accepted for callers that have one; it no longer excuses anything: a year or a
        name the answer repeats from the question must stand in the passage like any other claim."""
        views = [view(p, self.analyzer) for p in passages]
        vectors: list[list[float]] | None = None
        results = []
        for start, end in split_sentences(text):
            raw = text[start:end]
            plain = re.sub(r"\s+([.,;:!?])", r"\1", MARKER.sub("", raw)).strip()
            cited = tuple(int(n) for n in MARKER.findall(raw))
            said = self.matcher.said(plain)
            if not said.terms and not said.claims.claims:
                results.append(SentenceCheck(start, end, plain, cited, (), 0.0, ()))
                continue
            topic = [False] * len(passages)
            if said.claims.english and self.embedder is not None and passages:
                # Danish passages share few terms with an English sentence: the multilingual embedder
                # judges the topic, the claims are still checked word for word.
                if vectors is None:
                    vectors = self.embedder.embed_passages([p.chunk.index_text() for p in passages])
                query = self.embedder.embed_query(plain)
                topic = [cosine(query, v) >= self.min_similarity for v in vectors]
            verdicts = [self.matcher.verdict(i, said, v, topic_ok=topic[i], min_overlap=self.min_overlap)
                        for i, v in enumerate(views)]
            result = self._result(start, end, plain, cited, said.claims, verdicts, views)
            results.append(self._second_opinion(result, said.terms, passages, views))
        return results

    def _second_opinion(self, check: SentenceCheck, terms: frozenset[str], passages: Sequence[Passage],
                        views: list[PassageView]) -> SentenceCheck:
        if self.judge is None or not check.supported or check.span is None:
            return check
        best = check.support[0] - 1
        a, b = check.span
        window = passages[best].chunk.text[a:b]
        window_terms = frozenset().union(*(s.terms for s in views[best].sentences if a <= s.start < b))
        if all(has_term(window_terms, t) for t in terms):
            return check  # every word is the passage's own; the claim checks have said all there is
        verdict = self.judge.judge(check.sentence, window)
        if verdict.holds:
            return check
        why = (f"sprogmodellens kontrol af ordlyden: uddraget siger ikke det samme ({verdict.verdict})"
               if verdict.verdict else "sprogmodellens kontrol af ordlyden gav intet svar")
        return replace(check, support=(), problems=(why,), nearest=best + 1)

    def adds_to(self, sentence: str, question: str) -> bool:
        """Whether a sentence says more than the question it answers: "Aarhus' forbrug af oksekød faldt"
        for "Hvor meget faldt Aarhus' forbrug af oksekød?" is supported and still no answer."""
        asked = set(self.analyzer.terms(question))
        return bool(set(self.analyzer.terms(sentence)) - asked)

    def misfit(self, question: str, check: SentenceCheck, passages: Sequence[Passage]) -> str:
        """Why a supported sentence does not answer ``question`` (its premises are not in the supporting
        passage, or it gives no figure, another unit or another thing counted), or "" when it does."""
        if not question.strip() or not check.supported:
            return ""
        said = self.matcher.said(check.sentence)
        return misfit(asked(question, self.analyzer), said.claims, said.terms,
                      view(passages[check.support[0] - 1], self.analyzer))

    @staticmethod
    def _result(start: int, end: int, plain: str, cited: tuple[int, ...], claims: SentenceClaims,
                verdicts: list[Verdict], views: list[PassageView]) -> SentenceCheck:
        # Best support first; on a tie, the passage the model cited.
        ranked = sorted(verdicts, key=lambda v: (not v.supported, -v.score, v.index + 1 not in cited, v.index))
        supporting = [v for v in ranked if v.supported]
        best = ranked[0] if ranked else None
        # Each end of a range stands alone too, as the matcher reads it ("28 og 52 pct." / "28-52 pct.").
        held = {key for v in views for s in v.sentences for c in s.parsed.claims if c.kind == "number"
                for key in (c.key, *c.key.split("–"))}
        missing = tuple(sorted({c.text.split()[0] for c in claims.claims if c.kind == "number" and c.key not in held}))
        if best is None:
            return SentenceCheck(start, end, plain, cited, (), 0.0, missing, problems=("ingen uddrag",))
        return SentenceCheck(
            start, end, plain, cited, tuple(v.index + 1 for v in supporting), best.score, missing,
            problems=() if supporting else best.problems, claims=best.claims, span=best.span,
            nearest=best.index + 1)
