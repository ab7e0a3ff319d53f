"""Drafting: request → vetted template(s) + corpus evidence → the LLM adapts the
template under a JSON schema → every sentence checked → RequirementCards.

The 1.5B embedded model is weak at free writing, so the template carries the
card: the model may only adapt it, each adapted field must stay close to the
template (and testable), and a field that drifts is replaced by the template's
own text with a flag saying so.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field, replace

from langchain_core.language_models.chat_models import BaseChatModel

from assistant.answering.answer import format_excerpts, format_passages
from assistant.answering.compress import Compressor
from assistant.claims.checker import ClaimChecker, cosine
from assistant.claims.match import has_term
from assistant.claims.repeats import near_repeats
from assistant.claims.sentences import numbers_in, split_sentences
from assistant.drafting.aspects import EXPECTED_SETS, MAX_ASPECTS, asks_for_one, split_aspects
from assistant.drafting.cards import (
    FIELD_LABELS,
    CardCitation,
    CardField,
    CardSlot,
    DraftedBy,
    DraftResult,
    LegalRef,
    RequirementCard,
    SentenceSupport,
    SupportBasis,
    TemplateOption,
    unsupported_flag,
)
from assistant.drafting.clauses import AMBITIONS, SLOT, ClauseLibrary, ClauseTemplate, LevelText
from assistant.drafting.judge import PARAGRAPH, Judgement, judge_sentence
from assistant.drafting.request import PROCUREMENT_WORDS, ParsedRequest, parse_request
from assistant.drafting.slots import card_slots, markers, open_flag, prefill, render
from assistant.llm.prompts import ChatPrompt
from assistant.search.catalog import Catalog
from assistant.search.dating import dating_notes
from assistant.search.embed import Embedder
from assistant.search.lexical import DanishAnalyzer
from assistant.search.retrieve import Retriever
from assistant.types import Chunk, Passage

log = logging.getLogger(__name__)

FIELDS = ("title", "text", "documentation", "follow_up", "rationale")
# What the model may adapt: the clause text, and nothing else. The title names the vetted clause;
# documentation and follow-up are the stage's verification and the reference to the contract's sanctions,
# and the rationale is the template's vetted reasoning, all fixed by the library and filled in code (slots).
# On two CPU cores writing costs some 8 tokens/s: the four other fields as JSON under a grammar took a card
# to 35-50 s, the clause alone as plain text takes about half of that.
ADAPTED = "text"
REFUSAL = ("Jeg kan kun hjælpe med krav og vilkår til offentlige indkøb og udbud. "
           "Skriv fx: \"Skriv et mindstekrav om emballage til en rammeaftale om rengøringsartikler\".")
NO_TEMPLATE = ("Ingen skabelon i det kontrollerede kravbibliotek dækker forespørgslen, så der er ikke "
               "udarbejdet et kort. Omformulér forespørgslen, eller vælg en anden type eller kategori.")


# The clause opening in a template profile: enough for its plain sentences, short of its slots and details.
PROFILE_CLAUSE_CHARS = 300
# Stages a buyer names when wanting them (points, weights, references); never the default reading.
_STAGE_ASKED = frozenset({"tildelingskriterium", "udvælgelse"})


# How many next-best templates a card offers (the buyer's "wrong template, no alternative").
ALTERNATIVES = 3


@dataclass(frozen=True)
class DraftOptions:
    type: str | None = None
    ambition: str | None = None
    category: str | None = None
    max_cards: int = 0  # 0: one card per aspect the request names (drafting/aspects.py); n: the n best
    template_id: str | None = None  # the buyer's own choice of template (one card, no ranking)


@dataclass
class DraftPlan:
    """What a request will be drafted from, before any model call: the UI shows it at once and then
    drafts the cards one at a time, with real progress."""

    request: ParsedRequest
    options: DraftOptions
    chosen: list[tuple[ClauseTemplate, str | None]]  # each template with the part of the request it answers
    notes: list[str] = field(default_factory=list)
    refusal: str | None = None
    alternatives: list[list[TemplateOption]] = field(default_factory=list)  # per chosen template


def profile_text(t: ClauseTemplate) -> str:
    """What a request is compared with: the labels, and the opening of the first level's clause, whose
    plain sentences ("Leverandøren skal hente paller og rullebure retur") meet a buyer's own words, also
    across languages, where titles and keywords alone did not (evals templates: the first held-out set's
    top-1 0.688 -> 0.875; the second, written before the change, 0.667 -> 0.875)."""
    clause = next(iter(t.levels.values())).text
    return (f"{t.title}. {t.area}. {t.type}. {', '.join(t.categories)}. {', '.join(t.keywords)}. "
            f"{clause[:PROFILE_CLAUSE_CHARS]}")


class Drafter:
    def __init__(self, library: ClauseLibrary, retriever: Retriever, catalog: Catalog,
                 embedder: Embedder, chat_model: BaseChatModel, prompt: ChatPrompt,
                 checker: ClaimChecker, *, min_template_similarity: float = 0.85,
                 evidence_k: int = 4, max_tokens: int = 700, compressor: Compressor | None = None) -> None:
        self.max_tokens = max_tokens
        # The evidence as the model reads it: the sentences on the request (see answering.compress).
        self.compressor = compressor
        self.library = library
        self.retriever = retriever
        self.catalog = catalog
        self.embedder = embedder
        self.chat_model = chat_model
        self.prompt = prompt
        self.checker = checker
        self.analyzer: DanishAnalyzer = checker.analyzer
        self.min_template_similarity = min_template_similarity
        self.evidence_k = evidence_k
        self._profiles: list[list[float]] | None = None
        # Words every request may hold ("rammeaftale", "krav", "leverandør"): a template title that has
        # them ("Miljømærket sortiment på rammeaftaler") must not win on them.
        self._generic = frozenset(t for w in PROCUREMENT_WORDS for t in self.analyzer.terms(w))

    # --- template choice -------------------------------------------------
    def _profile_vectors(self) -> list[list[float]]:
        if self._profiles is None:  # embedded once per Drafter, on first use
            self._profiles = self.embedder.embed_passages([profile_text(t) for t in self.library.templates])
        return self._profiles

    def rank_templates(self, request: ParsedRequest, options: DraftOptions) -> list[tuple[float, ClauseTemplate]]:
        query = self.embedder.embed_query(request.text)
        words = set(self.analyzer.terms(request.text))
        wanted_type = options.type or request.type
        category = options.category or request.category
        ranked = []
        for vector, t in zip(self._profile_vectors(), self.library.templates, strict=False):
            score = cosine(query, vector)
            keyword_terms = frozenset(self.analyzer.terms(" ".join([*t.keywords, t.title])))
            # A keyword counts in any form the buyer writes it ("genbrugelig" / "genbrug", "elbiler" /
            # "el- eller biogasbiler" does not, "underleverandørerne" / "underleverandør" does).
            score += 0.02 * sum(has_term(keyword_terms, w, loose=True) for w in words - self._generic)
            if request.area and t.area == request.area:
                score += 0.03
            if category and (category in t.categories or "alle" in t.categories):
                score += 0.01
            if not wanted_type and t.type in _STAGE_ASKED:
                # A plain request ("krav om lærlinge") asks for a requirement; an award or selection
                # criterion is a different stage, chosen only when the buyer's words name it.
                score -= 0.03
            ranked.append((score, t))
        ranked.sort(key=lambda pair: -pair[0])
        if wanted_type:
            typed = [pair for pair in ranked if pair[1].type == wanted_type]
            ranked = typed + [pair for pair in ranked if pair[1].type != wanted_type] if typed else ranked
            if typed and options.type:
                ranked = typed  # an explicit choice in the UI or CLI is a hard filter
        return ranked

    # --- main entry ------------------------------------------------------
    def draft(self, raw_request: str, options: DraftOptions = DraftOptions()) -> DraftResult:
        plan = self.plan(raw_request, options)
        cards = [self.card_for(plan, i) for i in range(len(plan.chosen))]
        return self.result(plan, cards)

    def result(self, plan: DraftPlan, cards: list[RequirementCard]) -> DraftResult:
        return DraftResult(requirements=cards, refusal=plan.refusal, notes=plan.notes,
                           alternatives={c.id: options for c, options in zip(cards, plan.alternatives, strict=False)})

    def card_for(self, plan: DraftPlan, index: int) -> RequirementCard:
        template, focus = plan.chosen[index]
        return self._card(template, plan.request, plan.options, plan.notes, focus)

    def plan(self, raw_request: str, options: DraftOptions = DraftOptions()) -> DraftPlan:
        request = parse_request(raw_request)
        plan = DraftPlan(request, options, [])
        if request.injected:
            plan.notes.append("Instruktioner i forespørgslen blev ignoreret: " + " | ".join(request.injected))
        if not request.text:
            plan.refusal = REFUSAL
            return plan
        ranked = self.rank_templates(request, options)
        if options.template_id:
            # The buyer picked this template among a card's alternatives: draft it, whatever it scores.
            picked = [t for _, t in ranked if t.id == options.template_id]
            if not picked:
                plan.notes.append(f"Skabelonen «{options.template_id}» findes ikke i kravbiblioteket.")
                return plan
            plan.chosen = [(picked[0], None)]
            plan.alternatives = [self._alternatives(request, ranked, {picked[0].id})]
            return plan
        best = ranked[0][0] if ranked else 0.0
        about_procurement = bool(request.procurement_words or request.area or request.category)
        # e5 similarities are compressed (off-topic requests still score ~0.8), so a
        # request without a single procurement word must clear a much higher bar.
        if not about_procurement and best < self.min_template_similarity + 0.05:
            plan.refusal = REFUSAL
            return plan
        if best >= self.min_template_similarity:
            chosen = self._choose(request, options, ranked)
        else:
            # A long request in plain words (often English) can miss the bar as a whole while a part of it
            # ("We want eco-labelled cleaning products") clears it: draft what clears it, nothing else.
            chosen = self._aspects_above_bar(request, options) if options.max_cards == 0 else []
            if not chosen:
                plan.notes.append(NO_TEMPLATE)
                return plan
        if len(chosen) > 1 and options.max_cards == 0:
            plan.notes.append(f"Forespørgslen nævner flere emner; der er udarbejdet {len(chosen)} krav (ét pr. emne).")
        plan.chosen = chosen
        taken = {t.id for t, _ in chosen}
        for _, focus in chosen:
            part = request if focus is None else replace(parse_request(focus), type=request.type,
                                                         category=request.category)
            plan.alternatives.append(self._alternatives(
                part, ranked if focus is None else self.rank_templates(part, options), taken))
        return plan

    def _alternatives(self, request: ParsedRequest, ranked: list[tuple[float, ClauseTemplate]],
                      taken: set[str]) -> list[TemplateOption]:
        """The next-best templates, each with why it fits: the request's words it shares, its area, its type."""
        words = set(self.analyzer.terms(request.text)) - self._generic
        options = []
        for _, t in ranked:
            if t.id in taken:
                continue
            profile = frozenset(self.analyzer.terms(" ".join([*t.keywords, t.title])))
            shared = sorted({w for w in request.text.lower().replace(",", " ").split()
                             if any(has_term(profile, term, loose=True) for term in self.analyzer.terms(w)
                                    if term in words)})
            why = (f"Fælles ord: {', '.join(shared[:4])}. " if shared else "") + f"{t.area}, {t.type}."
            options.append(TemplateOption(template_id=t.id, title=t.title, area=t.area, type=t.type, why=why))
            if len(options) == ALTERNATIVES:
                break
        return options

    def _choose(self, request: ParsedRequest, options: DraftOptions,
                ranked: list[tuple[float, ClauseTemplate]]) -> list[tuple[ClauseTemplate, str | None]]:
        """The templates to draft, each with the part of the request it answers (None: the whole)."""
        if options.max_cards > 0:
            return [(t, None) for _, t in ranked[: options.max_cards]]
        chosen: list[tuple[ClauseTemplate, str | None]] = [(ranked[0][1], None)]
        if asks_for_one(request.text):
            return chosen
        by_id = {t.id: t for t in self.library.templates}
        for template_id in EXPECTED_SETS.get((request.area or "", request.category or ""), ()):
            if template_id in by_id and all(t.id != template_id for t, _ in chosen):
                chosen.append((by_id[template_id], None))
        # An aspect's own best template counts only if it is also among the best for the whole request:
        # a side remark ("til kommunens institutioner") must not pull in an unrelated clause.
        plausible = {t.id for _, t in ranked[:10]}
        for aspect in split_aspects(request.text)[:8]:
            if len(chosen) >= MAX_ASPECTS:
                break
            part = parse_request(aspect)
            part = replace(part, type=part.type or request.type, category=part.category or request.category)
            score, best = self.rank_templates(part, options)[0]
            if score >= self.min_template_similarity and best.id in plausible \
                    and all(t.id != best.id for t, _ in chosen):
                chosen.append((best, aspect))
        return chosen

    def _aspects_above_bar(self, request: ParsedRequest,
                           options: DraftOptions) -> list[tuple[ClauseTemplate, str | None]]:
        if asks_for_one(request.text):
            return []
        chosen: list[tuple[ClauseTemplate, str | None]] = []
        for aspect in split_aspects(request.text)[:8]:
            part = parse_request(aspect)
            part = replace(part, type=part.type or request.type, category=part.category or request.category)
            score, best = self.rank_templates(part, options)[0]
            if score >= self.min_template_similarity and all(t.id != best.id for t, _ in chosen):
                chosen.append((best, aspect))
        return chosen[:MAX_ASPECTS]

    # --- one card --------------------------------------------------------
    def _card(self, template: ClauseTemplate, request: ParsedRequest, options: DraftOptions,
              notes: list[str], focus: str | None = None) -> RequirementCard:
        flags: list[str] = []
        ambition = options.ambition or next(a for a in AMBITIONS if a in template.levels)
        if ambition not in template.levels:
            nearest = min(template.levels, key=lambda a: abs(AMBITIONS.index(a) - AMBITIONS.index(ambition)))
            flags.append(f"Skabelonen har ikke niveauet '{ambition}'; niveauet '{nearest}' er brugt.")
            ambition = nearest
        raw = template.levels[ambition]
        used = set(SLOT.findall(" ".join([raw.text, raw.documentation, raw.on_request, raw.follow_up,
                                          template.rationale])))
        # Only the slots this level uses: another level's gap is not a gap in this card.
        slots = prefill(card_slots(s for s in template.slots if s.id in used), ("forespørgsel", request.text))
        level = _rendered(raw, slots)
        category = options.category or request.category or ", ".join(template.categories)
        if options.type and options.type != template.type:
            flags.append(f"Ingen skabelon af typen '{options.type}' passer; typen er '{template.type}'.")

        located = {(s.doc_id, s.quote): self.catalog.locate(s.doc_id, s.quote) for s in template.sources}
        passages = self._evidence(template, focus or request.text, located)
        rationale = render(template.rationale, slots)
        fields, drafted_by = self._adapt(template, level, rationale, request, category, ambition, passages, flags)
        legal = [LegalRef(id=b, rule=self.library.legal_basis[b].rule, gist=self.library.legal_basis[b].gist,
                          unverified=self.library.legal_basis[b].unverified) for b in template.legal_basis]
        citations, support = self._verify(template, level, rationale, fields, passages, legal, request, located,
                                          flags)
        if any(ref.unverified for ref in legal) or template.note:
            flags.append(template.note or "Et juridisk grundlag er markeret UVERIFICERET.")
        flags += dating_notes((c.doc_id for c in citations), self.catalog)
        open_slots = [s.label for s in slots if not s.value]
        if open_slots:
            flags.append(open_flag(open_slots))
        digest = hashlib.sha1(f"{request.text}|{category}|{ambition}".encode()).hexdigest()[:6]
        return RequirementCard(
            id=f"{template.id}-{ambition}-{digest}", template_id=template.id, title=fields["title"],
            area=template.area, type=template.type, ambition=ambition, category=category,
            text=fields["text"], documentation=fields["documentation"], follow_up=fields["follow_up"],
            rationale=fields["rationale"], legal_basis=legal, citations=citations, support=support,
            flags=flags, drafted_by=drafted_by, note=template.note, slots=slots, open_slots=open_slots,
            template_version=template.version,
        )

    def _evidence(self, template: ClauseTemplate, query: str,
                  located: dict[tuple[str, str], Chunk | None]) -> list[Passage]:
        """Template source chunks first (vetted), then retrieved passages, without duplicates."""
        passages: list[Passage] = []
        seen: set[str] = set()
        for chunk in located.values():
            if chunk and chunk.chunk_id not in seen:
                seen.add(chunk.chunk_id)
                passages.append(Passage(chunk, 1.0))
        # The card's own aspect and clause title, so each card cites passages on its own topic.
        for p in self.retriever.search(f"{query} {template.title}", self.evidence_k):
            if p.chunk.chunk_id not in seen and len(passages) < len(template.sources) + self.evidence_k:
                seen.add(p.chunk.chunk_id)
                passages.append(p)
        return passages

    def _adapt(self, template: ClauseTemplate, level: LevelText, rationale: str, request: ParsedRequest,
               category: str, ambition: str, passages: list[Passage],
               flags: list[str]) -> tuple[dict[str, str], DraftedBy]:
        base = {"title": template.title, "text": level.text, "documentation": level.documentation,
                "follow_up": level.follow_up, "rationale": rationale}
        evidence = passages[:4]
        read = (format_excerpts(self.compressor.excerpts(f"{request.text} {template.title}", evidence))
                if self.compressor else format_passages(evidence))
        messages = self.prompt.messages(
            request=request.text, category=category, type=template.type, ambition=ambition,
            template_id=template.id, title=template.title, text=level.text, passages=read)
        # A cap a little above the template's own length (Danish is some 2.3 characters a token): a text that
        # runs on is cut, and a cut text is rejected below, so the template stands.
        reply = self.chat_model.invoke(messages, max_tokens=min(self.max_tokens, len(level.text) // 2 + 60))
        allowed = " ".join([*base.values(), request.text, category, *(p.chunk.text for p in passages)])
        fields = dict(base)
        value = _plain_reply(str(reply.content), echoes=(request.text, template.title))
        # A request of a few words may stand in a good clause ("genbrugelig emballage"); a sentence may not.
        echoed = len(_squeeze(request.text)) >= 40 and _squeeze(request.text) in _squeeze(value)
        reason = "gentog opgaven" if echoed else self._reject_reason(ADAPTED, value, base[ADAPTED], allowed,
                                                                        template.type)
        if reason:
            flags.append(f"Feltet »{FIELD_LABELS.get(ADAPTED, ADAPTED)}« er skabelonens tekst; "
                         f"modellens forslag blev forkastet ({reason}).")
            return fields, "skabelon"
        fields[ADAPTED] = value
        return fields, "skabelon + sprogmodel" if value != base[ADAPTED] else "skabelon"

    def _reject_reason(self, name: str, value: object, base: str, allowed: str, req_type: str) -> str | None:
        if not isinstance(value, str) or len(value.strip()) < min(20, len(base)):
            return "tomt eller for kort"
        value = value.strip()
        new_numbers = numbers_in(value) - numbers_in(allowed)
        if new_numbers:
            return f"nye tal: {', '.join(sorted(new_numbers))}"
        if PARAGRAPH.search(value) and not PARAGRAPH.search(base):
            return "nye lovhenvisninger"
        sentences = [value[a:b] for a, b in split_sentences(value)]
        if near_repeats(sentences, self.analyzer) or not value.rstrip().endswith((".", "!", "?", ")", "]")):
            # A 1.5B model under a length cap can loop ("… skal være en del af kontrakten." ×5)
            # or stop mid-sentence; both read as known words, so check the shape first.
            return "gentagelser eller afbrudt tekst"
        terms = set(self.analyzer.terms(value))
        known = set(self.analyzer.terms(allowed))
        if terms and len(terms & known) / len(terms) < 0.75:
            return "for langt fra skabelonen og kilderne"
        if sorted(markers(value)) != sorted(markers(base)) or any(c in value for c in "[]{}"):
            # An open slot the model dropped, renamed or filled would hide a gap the buyer must fill.
            return "åbne felter ændret"
        if name == "text":
            low = value.lower()
            testable = ("vægt" in low) if req_type == "tildelingskriterium" else bool(
                re.search(r"\b(skal|må ikke)\b", low))
            if not testable:
                return "ikke testbart formuleret"
        return None

    # --- verification ----------------------------------------------------
    def _verify(self, template: ClauseTemplate, level: LevelText, rationale: str, fields: dict[str, str],
                passages: list[Passage], legal: list[LegalRef], request: ParsedRequest,
                located: dict[tuple[str, str], Chunk | None],
                flags: list[str]) -> tuple[list[CardCitation], list[SentenceSupport]]:
        template_text = " ".join([level.text, level.documentation, level.follow_up, rationale])
        template_terms = set(self.analyzer.terms(template_text))
        legal_text = " ".join(f"{r.rule} {r.gist}" for r in legal)
        known_numbers = numbers_in(template_text) | numbers_in(legal_text) | numbers_in(request.text)
        allowed_paragraphs = set(PARAGRAPH.findall(legal_text)) | set(PARAGRAPH.findall(template_text))
        rows: list[tuple[CardField, str, Judgement, SupportBasis]] = []
        names: tuple[CardField, ...] = ("text", "documentation", "follow_up", "rationale")
        for name in names:
            value = fields[name]
            checks = {(c.start, c.end): c for c in self.checker.check(value, passages, request.text)}
            for start, end in split_sentences(value):
                sentence = value[start:end]
                judged = judge_sentence(sentence, checks.get((start, end)), passages, known_numbers,
                                        allowed_paragraphs)
                terms = set(self.analyzer.terms(sentence))
                from_template = bool(terms) and len(terms & template_terms) / len(terms) >= 0.8
                basis: SupportBasis = "kilde" if judged.chunk_id else "skabelon" if from_template else "ingen"
                if basis == "ingen":
                    judged.flags += judged.problems  # what the nearest passage says instead
                rows.append((name, sentence, judged, basis))

        # Citations: the template's own vetted quotes (verbatim, with their place),
        # then whole passages that support a sentence and are not quoted already.
        citations: list[CardCitation] = []
        for source in template.sources:
            chunk = located[(source.doc_id, source.quote)]
            if chunk is None:
                flags.append(f"Skabelonens citat blev ikke fundet ordret i {source.doc_id} og vises ikke.")
                continue
            citations.append(CardCitation(n=len(citations) + 1, doc_id=source.doc_id, title=chunk.title,
                                          location=chunk.location, quote=source.quote, chunk_id=chunk.chunk_id))
        by_chunk = {p.chunk.chunk_id: p.chunk for p in passages}
        for *_, judged, _ in rows:
            chunk_id = judged.chunk_id
            if chunk_id and all(c.chunk_id != chunk_id for c in citations):
                chunk = by_chunk[chunk_id]
                citations.append(CardCitation(n=len(citations) + 1, doc_id=chunk.doc_id, title=chunk.title,
                                              location=chunk.location, quote=chunk.text, chunk_id=chunk_id))
        number: dict[str, int] = {}
        for c in citations:
            number.setdefault(c.chunk_id, c.n)

        support = []
        for name, sentence, judged, basis in rows:
            supported = basis != "ingen" and not judged.flags
            if not supported:
                flags.append(unsupported_flag(name, sentence, judged.flags))
            support.append(SentenceSupport(
                field=name, sentence=sentence, supported=supported, basis=basis, flags=judged.flags,
                sources=[number[judged.chunk_id]] if judged.chunk_id else [], claims=judged.claims,
                evidence=judged.evidence))
        return citations, support


# The prompt's own field labels: a small model now and then copies the prompt's head ("Request: …",
# "Product category: …", "Type: …; ambition level: …") above the clause, and those lines would stand in the
# card's requirement text (the drafting eval's flagged sentences were these).
_PROMPT_LABELS = ("request:", "product category:", "type:", "template ", "excerpts from the sources")


def _plain_reply(text: str, echoes: tuple[str, ...] = ()) -> str:
    """The clause as the model wrote it, without lines that repeat the prompt (its labelled fields, or the
    request or template title in ``echoes`` on a line of their own), without a label it may have put first
    ("text:", "Kravtekst:") and without quotation marks around all of it. Only a quote pair is taken off: a
    clause that ends in an open slot («Svarfrist») keeps its guillemets."""
    said = {_squeeze(e) for e in echoes if e.strip()}
    lines = [line for line in text.splitlines()
             if not line.strip().lower().startswith(_PROMPT_LABELS) and _squeeze(line) not in said]
    text = "\n".join(lines).strip()
    head, sep, rest = text.partition(":")
    if sep and head.strip().lower() in ("text", "tekst", "kravtekst", "krav") and rest.strip():
        text = rest.strip()
    if len(text) > 1 and text[0] in '"“»' and text[-1] in '"”«':
        text = text[1:-1].strip()
    return text


def _squeeze(line: str) -> str:
    """Letters and digits only: the model copies "bygge- og anlæg" as "bygge-og anlæg"."""
    return "".join(ch for ch in line.lower() if ch.isalnum())


def _rendered(level: LevelText, slots: list[CardSlot]) -> LevelText:
    """The level's texts with slots filled or shown as «label»; what the bidder may be asked for on
    request is part of the documentation the card shows."""
    documentation = render(level.documentation, slots)
    if level.on_request:
        documentation = f"{documentation} {render(level.on_request, slots)}"
    return LevelText(text=render(level.text, slots), documentation=documentation, on_request="",
                     follow_up=render(level.follow_up, slots))
