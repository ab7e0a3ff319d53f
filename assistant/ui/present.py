"""Pure functions that turn answers and index reports into the Danish text the UI shows.

Kept out of app.py so they can be tested without a browser; quotes are HTML-escaped
and shown with their line breaks, never reformatted, so what a reviewer reads is
exactly the indexed text.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Sequence

from assistant.drafting.cards import FIELD_LABELS, ClaimNote, DraftResult, RequirementCard, TemplateOption
from assistant.drafting.slots import pieces
from assistant.ingest.index import IndexReport
from assistant.search.catalog import CatalogEntry
from assistant.tenders.review import QuoteContext
from assistant.text import clean_heading, dehyphenate
from assistant.types import Answer, Passage, Quote
from assistant.ui.readable import highlight_readable


def cited_order(answer: Answer) -> dict[int, int]:
    """Passage number -> the number the reader sees: 1, 2, … in the order the answer first cites them (its
    quotes, then its text), so the first source shown is always [1]."""
    cited = {c.n for c in answer.citations}
    order = [q.n for q in answer.quotes] + [int(n) for n in _MARKER_NO.findall(answer.text)] + sorted(cited)
    shown: dict[int, int] = {}
    for n in order:
        if n in cited and n not in shown:
            shown[n] = len(shown) + 1
    return shown


def sources_html(answer: Answer | None, pending: bool = False, turn: int | None = None,
                 contexts: dict[int, QuoteContext | None] | None = None) -> str:
    """The cited passages in the order cited, each with the sentences the answer quotes marked, an anchor the
    chat's [n] links open (``turn``: the answer's message index) and, where ``contexts`` has it, the text of
    the document around the passage one click away."""
    if answer is None:
        if pending:
            return "<p class='udb-muted'>Modellen skriver svaret …</p>"
        return "<p class='udb-muted'>Kilderne til svaret vises her, ordret og med placering.</p>"
    if not answer.citations:
        note = ("Svaret bygger ikke på nogen kilde, fordi kilderne ikke dækker spørgsmålet."
                if not answer.answered else "Svaret har ingen kildehenvisninger.")
        return f"<p class='udb-muted'>{html.escape(note)}</p>"
    shown = cited_order(answer)
    blocks = []
    for c in sorted(answer.citations, key=lambda c: shown[c.n]):
        marks = [(q.start, q.end, "udb-evidence") for q in answer.quotes if q.n == c.n]
        around = (contexts or {}).get(c.n)
        blocks.append(_source_block(shown[c.n], c.title, c.location, c.doc_id, c.quote, marks,
                                    anchor=None if turn is None else f"udb-src-{turn}-{shown[c.n]}",
                                    around=around))
    return "\n".join(blocks)


def _source_block(n: int, title: str, location: str, doc_id: str, text: str,
                  marks: Sequence[tuple[int, int, str]] = (), anchor: str | None = None,
                  around: QuoteContext | None = None) -> str:
    """A passage as a reader sees it (no Markdown marks, broken words joined; readable.py), with the
    sentences quoted in the answer marked inside it. The quote behind it stays verbatim."""
    body = highlight_readable(text, list(marks))
    section = ""
    if around is not None:
        # The passage inside its document (the review view's context), the passage itself and the quoted
        # sentences marked: the reader checks what comes before and after without leaving the chat.
        shifted = [(around.start, around.end, "udb-span"), *((a + around.start, b + around.start, c)
                                                             for a, b, c in marks)]
        section = ("<details class='udb-context'><summary>Vis teksten omkring uddraget</summary>"
                   f"<blockquote class='udb-quote'>{'… ' if around.cut_before else ''}"
                   f"{highlight_readable(around.text, shifted)}{' …' if around.cut_after else ''}</blockquote>"
                   "</details>")
    return (f"<div class='udb-source'{f' id={anchor!r} tabindex=-1' if anchor else ''}>"
            f"<div class='udb-source-head'><b>[{n}] {html.escape(title)}</b></div>"
            f"<div class='udb-source-loc'>{html.escape(location)} · <code>{html.escape(doc_id)}</code></div>"
            f"<blockquote class='udb-quote'>{body}</blockquote>{section}"
            "</div>")


def highlight(text: str, marks: list[tuple[int, int, str]]) -> str:
    """``text`` escaped, with each (start, end, css class) span marked; overlapping spans share a segment."""
    cuts = sorted({0, len(text), *(p for a, b, _ in marks for p in (a, b) if 0 <= p <= len(text))})
    out = []
    for a, b in itertools.pairwise(cuts):
        classes = [c for start, end, c in marks if start <= a and b <= end]
        piece = html.escape(text[a:b])
        out.append(f"<mark class='{' '.join(classes)}'>{piece}</mark>" if classes else piece)
    return "".join(out)


def passages_html(passages: list[Passage], pending: bool = False) -> str:
    """Retrieved passages, verbatim with location: while the model writes (``pending``), or as the
    search result when the model is unavailable."""
    if not passages:
        return "<p class='udb-muted'>Ingen passager matcher spørgsmålet.</p>"
    head = ("<p class='udb-muted'>Fundne passager; modellen skriver svaret, og de citerede kilder vises "
            "her bagefter.</p>") if pending else ""
    return head + "\n".join(_source_block(i, p.chunk.title, p.chunk.location, p.chunk.doc_id, p.chunk.text)
                     for i, p in enumerate(passages, start=1))


# What the chat shows while an answer is on its way, in the order it happens (never a blind wait).
STAGES = ("søger i kilderne", "læser kilderne", "skriver", "kontrollerer")


def stage_markdown(step: int, note: str = "") -> str:
    """One line naming the stages, the done ones ticked and the current one bold: "✓ søger i kilderne →
    **læser kilderne …** → skriver → kontrollerer"."""
    shown = [f"✓ {name}" if i < step else f"**{name} …**" if i == step else name for i, name in enumerate(STAGES)]
    return "⏳ " + " → ".join(shown) + (f"  \n_{note}_" if note else "")


WRITING = "\n\n" + stage_markdown(2, "Hver sætning vises, når den er kontrolleret mod kilderne.")
CHECKING = "\n\n" + stage_markdown(3)
REREAD_NOTE = ("Svaret fra de korte uddrag kunne ikke underbygges af kilderne; sprogmodellen læser mere af hver "
               "passage og svarer igen.")
REREADING = "\n\n" + stage_markdown(1, REREAD_NOTE)


def quotes_markdown(quotes: Sequence[Quote], heading: str = "Kilderne siger") -> str:
    """The sources' own sentences, verbatim (line-break hyphenation joined for reading), each cited."""
    if not quotes:
        return ""
    lines = [f"**{heading}:**"]
    for q in quotes:
        plain = readable(q.text)
        lines.append(f"> »{_md_escape(plain)}« [{q.n}]")
    return "\n".join(lines) + "\n\n"


def quotes_text(quotes: Sequence[Quote]) -> str:
    """The quotes for a terminal: verbatim (hyphenation joined), each with its source number."""
    return "Kilderne siger:\n" + "\n".join(f"  »{readable(q.text)}« [{q.n}]" for q in quotes)


def readable(quote: str) -> str:
    """A verbatim quote made readable: line-break hyphenation joined, Markdown emphasis and line breaks
    dropped. The words are the source's; only the typesetting goes."""
    return clean_heading(dehyphenate(quote))


def _md_escape(text: str) -> str:
    # The chat renders Markdown: a quote must read as the source wrote it, not as emphasis or a heading.
    return "".join("\\" + ch if ch in "\\`*_[]#<>|" else ch for ch in text)


def _only_repeats(answer: Answer) -> bool:
    said = " ".join(readable(q.text) for q in answer.quotes)
    sentences = [n.sentence for n in answer.support if n.supported]
    return bool(said and sentences) and all(s.rstrip(".") in said for s in sentences)


def answer_markdown(answer: Answer, turn: int | None = None) -> str:
    """The chat's final answer; with ``turn`` (its message index), each [n] is renumbered in the order cited and
    links to its passage in the Kilder panel."""
    if answer.answered and _only_repeats(answer):
        text = quotes_markdown(answer.quotes)  # the model said nothing the quotes do not say word for word
    elif answer.answered:
        text = quotes_markdown(answer.quotes) + ("**Sammenfattet:** " if answer.quotes else "") + answer.text
    else:
        text = answer.text + ("\n\n" + quotes_markdown(answer.quotes, "Det nærmeste, kilderne siger")
                              if answer.quotes else "")
    if answer.warnings:
        text = text.rstrip() + "\n\n" + "\n".join(f"> ⚠️ {w}" for w in answer.warnings)
    if turn is None:
        return text
    shown = cited_order(answer)

    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        return f"[[{shown[n]}]](#udb-src-{turn}-{shown[n]})" if n in shown else match.group(0)

    # An unescaped "[n]" is one of our markers; brackets inside a quote were escaped by _md_escape.
    return _CHAT_MARKER.sub(link, text)


_MARKER_NO = re.compile(r"\[(\d{1,3})\]")
_CHAT_MARKER = re.compile(r"(?<!\\)\[(\d{1,3})\]")


def report_message(report: IndexReport) -> str:
    lines = []
    done = report.added + report.updated
    now = [d for d in done if d not in report.deferred]
    if now:
        lines.append(f"✅ Indekseret: {', '.join(now)} ({report.chunks_embedded} tekststykker, "
                     f"{report.seconds:.1f} s). Du kan stille spørgsmål til dokumenterne nu.")
    if report.deferred:
        lines.append(f"✅ Indekseret til ordsøgning: {', '.join(report.deferred)} ({report.chunks_deferred} "
                     f"tekststykker, {report.seconds:.1f} s). Du kan stille spørgsmål nu; søgningen på "
                     "betydning (ikke kun ordene) bliver klar i baggrunden om ca. "
                     f"{danish_minutes(report.chunks_deferred / _CHUNKS_PER_S)}.")
    for name, reason in report.failed:
        lines.append(f"❌ {name}: {reason}")
    if not lines:
        lines.append("Ingen ændringer: dokumenterne var allerede indekseret.")
    return "\n\n".join(lines)


# The embedder's pace on a 2-core laptop (evals large: 6.8-6.9 chunks/s), for the estimate shown.
_CHUNKS_PER_S = 6.5


def danish_minutes(seconds: float) -> str:
    minutes = round(seconds / 60)
    return "et minut" if minutes <= 1 else f"{minutes} minutter"


def documents_markdown(entries: list[CatalogEntry], waiting: dict[str, int] | None = None) -> str:
    """The documents table; ``waiting``: chunks per document still without a vector (a large upload being
    embedded in the background), shown beside its chunk count."""
    if not entries:
        return "Indekset er tomt."
    rows = ["| Dokument | Udgiver | År | Type | Tekststykker | Id |", "|---|---|---|---|---|---|"]
    for e in entries:
        m = e.meta
        count = str(e.n_chunks)
        if waiting and waiting.get(m.doc_id):
            count += f" (søgning på betydning: {waiting[m.doc_id]} venter)"
        rows.append(f"| {m.title} | {m.publisher} | {m.year} | {m.kind} | {count} | `{m.doc_id}` |")
    return "\n".join(rows)




def slot_lines(card: RequirementCard) -> list[str]:
    """Terminal lines for the open slots: «label» (id) — hint, so `tender fill … id=value` can be typed."""
    return [f"Åbent felt: «{s.label}» ({s.id}{', ' + s.unit if s.unit else ''}) — {s.hint}"
            for s in card.slots if not s.value]


def card_text(result: DraftResult) -> str:
    """Plain Danish text of a DraftResult for the terminal."""
    if result.refusal:
        return result.refusal
    lines = [*result.notes]
    for card in result.requirements:
        lines += [f"\n{card.title}  [{card.id}]",
                  f"{card.area} · {card.type} · {card.ambition} · {card.category}"]
        for name, label in FIELD_LABELS.items():
            lines.append(f"{label}: {getattr(card, name)}")
        lines.append("Juridisk grundlag: " + "; ".join(r.rule for r in card.legal_basis))
        lines += slot_lines(card)
        for c in card.citations:
            lines.append(f"[{c.n}] {c.title} — {c.location}\n    «{c.quote}»")
        lines += [f"Advarsel: {f}" for f in card.flags]
        lines += [f"Anden skabelon: {a.title} (--template {a.template_id}). {a.why}"
                  for a in result.alternatives.get(card.id, [])]
    return "\n".join(lines)


_CLAIM_KIND = {"number": "tal", "year": "årstal", "name": "navn", "paragraph": "henvisning"}


def claims_html(claims: list[ClaimNote]) -> str:
    """The sentence's checkable claims as chips: found in the passage (✓) or not, with the reason."""
    if not claims:
        return ""
    esc = html.escape
    chips = []
    for c in claims:
        if c.found:
            chips.append(f"<span class='udb-claim udb-claim-ok' title='{_CLAIM_KIND[c.kind]} fundet i uddraget'>"
                         f"✓ {esc(c.text)}</span>")
        else:
            chips.append(f"<span class='udb-claim udb-claim-missing'>✗ {esc(c.text)}: {esc(c.why)}</span>")
    return f"<div class='udb-claims'>Kontrolleret: {' '.join(chips)}</div>"


def slots_marked(escaped: str) -> str:
    """Escaped text with every open slot «label» in its own style, so a gap never reads as clause text."""
    return "".join(f"<mark class='udb-slot' title='Åbent felt: udfyldes af ordregiveren'>{piece}</mark>"
                   if is_slot else piece for piece, is_slot in pieces(escaped))


def slots_html(card: RequirementCard) -> str:
    """The card's slots: the open ones with their hint first, then what was filled and from where."""
    if not card.slots:
        return ""
    esc = html.escape
    rows = []
    for s in sorted(card.slots, key=lambda s: s.value is not None):
        unit = f" ({esc(s.unit)})" if s.unit else ""
        if s.value:
            rows.append(f"<li><b>{esc(s.label)}</b>{unit}: {esc(s.value)} <span class='udb-muted'>"
                        f"(udfyldt fra {esc(s.filled_by or 'køber')})</span></li>")
        else:
            rows.append(f"<li>{slots_marked(esc('«' + s.label + '»'))}{unit} <span class='udb-muted'>"
                        f"— {esc(s.hint)} · <code>{esc(s.id)}</code></span></li>")
    title = f"Åbne felter ({len(card.open_slots)})" if card.open_slots else "Felter"
    return f"<h4>{title}</h4><ul class='udb-slots'>{''.join(rows)}</ul>"


def card_html(card: RequirementCard, sources_list: bool = True,
              alternatives: Sequence[TemplateOption] = ()) -> str:
    """One requirement card with its flagged sentences marked and (unless the caller shows
    them beside it, as the review view does) its sources verbatim; after drafting, the next-best templates."""
    esc = html.escape
    flagged = {(s.field, s.sentence) for s in card.support if not s.supported}
    sources = {(s.field, s.sentence): s.sources for s in card.support}

    def field_html(name: str) -> str:
        value = getattr(card, name)
        parts = []
        for s in card.support:
            if s.field != name:
                continue
            marks = "".join(f"<sup>[{n}]</sup>" for n in sources[(name, s.sentence)])
            if (name, s.sentence) in flagged:
                missing = [c for c in s.claims if not c.found]
                parts.append(f"<span class='udb-flag' title='Ikke underbygget'>{slots_marked(esc(s.sentence))}"
                             f"</span>{marks}" + claims_html(missing))
            else:
                parts.append(f"{slots_marked(esc(s.sentence))}{marks}")
        return " ".join(parts) if parts else slots_marked(esc(value))

    rows = "".join(f"<tr><th>{label}</th><td>{field_html(name)}</td></tr>" for name, label in FIELD_LABELS.items())
    legal = "".join(f"<li><b>{esc(r.rule)}</b>{' (UVERIFICERET)' if r.unverified else ''}: {esc(r.gist)}</li>"
                    for r in card.legal_basis)
    cites = "".join(
        f"<div class='udb-source'><div class='udb-source-head'><b>[{c.n}] {esc(c.title)}</b></div>"
        f"<div class='udb-source-loc'>{esc(c.location)}</div>"
        f"<blockquote class='udb-quote'>{esc(c.quote)}</blockquote></div>" for c in card.citations)
    flags = "".join(f"<li>{esc(f)}</li>" for f in card.flags)
    return (
        f"<div class='udb-card'><h3>{esc(card.title)}</h3>"
        f"<p class='udb-meta'>{esc(card.area)} · <b>{esc(card.type)}</b> · ambition: <b>{esc(card.ambition)}</b>"
        f" · kategori: {esc(card.category)} · udarbejdet af: {esc(card.drafted_by)}</p>"
        f"<table class='udb-fields'>{rows}</table>"
        + slots_html(card)
        + f"<h4>Juridisk grundlag</h4><ul>{legal}</ul>"
        + (f"<h4>Opmærksomhedspunkter</h4><ul class='udb-flags'>{flags}</ul>" if flags else "")
        + ((f"<h4>Kilder</h4>{cites}" if cites else "<p class='udb-muted'>Ingen kilder i korpus.</p>")
           if sources_list else "")
        + alternatives_html(alternatives)
        + "</div>"
    )


def alternatives_html(alternatives: Sequence[TemplateOption]) -> str:
    if not alternatives:
        return ""
    items = "".join(f"<li><b>{html.escape(a.title)}</b>: {html.escape(a.why)}</li>" for a in alternatives)
    return ("<h4>Andre skabeloner, der kan passe</h4>"
            f"<ul class='udb-alternatives'>{items}</ul>"
            "<p class='udb-muted'>Vælg kortet og en anden skabelon til venstre for at udarbejde det på ny.</p>")


def cards_html(cards: list[RequirementCard], alternatives: dict[str, list[TemplateOption]] | None = None) -> str:
    return "\n".join(card_html(c, alternatives=(alternatives or {}).get(c.id, ())) for c in cards)


def drafting_html(done: int, total: int, title: str, cards: Sequence[RequirementCard] = ()) -> str:
    """Real progress while cards are drafted one at a time: which card, of how many, and what happens now;
    the cards already drafted are shown below."""
    head = (f"<div class='udb-drafting' role='status'><progress value='{done}' max='{total}'></progress> "
            f"⏳ Kort {done + 1} af {total}: <b>{html.escape(title)}</b>. Henter kilder, sprogmodellen skriver, "
            "og hver sætning kontrolleres mod kilderne (typisk 1-2 minutter pr. kort) …</div>")
    return head + cards_html(list(cards))


def draft_html(result: DraftResult) -> str:
    if result.refusal:
        return f"<p>{html.escape(result.refusal)}</p>"
    return notes_html(result.notes) + cards_html(result.requirements, result.alternatives)


def notes_html(notes: Sequence[str]) -> str:
    return "".join(f"<p class='udb-muted'>{html.escape(n)}</p>" for n in notes)
