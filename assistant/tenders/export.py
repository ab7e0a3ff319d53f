"""Exports a Tender to Word (.docx), Markdown and JSON. Pure functions: a Tender
and ExportOptions in, a file's bytes or text out.

The Word document is a draft annex a procurement lawyer can work from: Word's
built-in Title and Heading styles (so Word can build a table of contents),
numbered requirements (K2.3 = section 2, requirement 3), numbered source notes
with document, location and verbatim quote, a list of sources, and optionally a
review annex. No macros, hyperlinks or field codes: what is in the file is plain
text, tables and styles, and the language is set to Danish.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from assistant.claims.repeats import REPEAT_FLAG, without_repeats
from assistant.drafting.cards import FIELD_LABELS, UNSUPPORTED_PREFIX, RequirementCard
from assistant.drafting.slots import pieces
from assistant.search.lexical import DanishAnalyzer
from assistant.tenders.tender import SourceDocument, Tender, TenderEntry, TenderSection

FIELDS = tuple(FIELD_LABELS.items())
FORMATS = {".docx": "Word", ".md": "Markdown", ".json": "JSON"}
UNSUPPORTED = "ikke underbygget"


class ExportError(ValueError):
    """``str(err)`` is a Danish sentence for the user."""


@dataclass(frozen=True)
class ExportOptions:
    approved_only: bool = False
    section: str | None = None  # a section title or its number ("2"); None = the whole tender
    review_annex: bool = False
    bidder: bool = False  # the udbudsversion a tenderer receives (tenders/bidder.py), not the working version


@dataclass(frozen=True)
class Note:
    """A numbered source note: one citation of one card, numbered through the document."""

    number: int
    title: str
    location: str
    quote: str
    doc_id: str


@dataclass(frozen=True)
class Numbered:
    """A card ready to render: its number, its note numbers per citation, and its review."""

    number: str
    entry: TenderEntry
    notes: dict[int, Note]  # the card's citation n -> the document's note

    @property
    def card(self) -> RequirementCard:
        return self.entry.card


@dataclass(frozen=True)
class Layout:
    tender: Tender
    options: ExportOptions
    sections: list[tuple[str, TenderSection, list[Numbered]]]

    @property
    def notes(self) -> list[Note]:
        return [note for _, _, cards in self.sections for c in cards for note in c.notes.values()]

    @property
    def cards(self) -> list[Numbered]:
        return [c for _, _, cards in self.sections for c in cards]

    def sources(self) -> list[SourceDocument]:
        seen: dict[str, SourceDocument] = {}
        for note in self.notes:
            seen.setdefault(note.doc_id, self.tender.document(note.doc_id, note.title))
        return sorted(seen.values(), key=lambda d: d.title)


def without_repeats_card(card: RequirementCard, analyzer: DanishAnalyzer) -> RequirementCard:
    """The card as it is exported: a sentence that nearly repeats an earlier one in the same field is left out
    (with its support row), and the working version's notes say which."""
    update: dict[str, object] = {}
    dropped: list[tuple[str, str]] = []
    for field in FIELD_LABELS:
        kept, left_out = without_repeats(getattr(card, field), analyzer)
        if left_out:
            update[field] = kept
            dropped += [(field, sentence) for sentence in left_out]
    if not dropped:
        return card
    gone = {(f, s.strip()) for f, s in dropped}
    update["support"] = [s for s in card.support if (s.field, s.sentence.strip()) not in gone]
    # The left-out sentence's own notes ("Ikke underbygget (kravtekst): …") go with it.
    kept_flags = [f for f in card.flags if not f.startswith(REPEAT_FLAG)
                  and not (f.startswith(UNSUPPORTED_PREFIX) and any(s.strip() in f for _, s in dropped))]
    update["flags"] = [*kept_flags, *(f"{REPEAT_FLAG} ({FIELD_LABELS[f].lower()}): «{s}»" for f, s in dropped)]
    return card.model_copy(update=update)


def layout(tender: Tender, options: ExportOptions = ExportOptions()) -> Layout:
    """Choose the section(s) and cards to export and number them.

    Section numbers follow the tender, so "Emballage" is section 3 whether it is
    exported alone or not; cards are numbered in the order they are exported.
    """
    chosen = list(enumerate(tender.sections, start=1))
    if options.section:
        wanted = options.section.strip()
        chosen = [(n, s) for n, s in chosen if str(n) == wanted or s.title.casefold() == wanted.casefold()]
        if not chosen:
            titles = ", ".join(f"{n} {s.title}" for n, s in enumerate(tender.sections, start=1))
            raise ExportError(f"Udbuddet har intet afsnit '{wanted}'. Afsnittene er: {titles}.")
    sections, note_no = [], 0
    analyzer = DanishAnalyzer()
    for s_no, section in chosen:
        entries = [e.model_copy(update={"card": without_repeats_card(e.card, analyzer)}) for e in section.entries
                   if e.status == "godkendt" or not options.approved_only]
        numbered = []
        for c_no, entry in enumerate(entries, start=1):
            notes = {}
            for c in entry.card.citations:
                note_no += 1
                notes[c.n] = Note(note_no, c.title, c.location, c.quote, c.doc_id)
            numbered.append(Numbered(f"K{s_no}.{c_no}", entry, notes))
        sections.append((str(s_no), section, numbered))
    if not any(cards for _, _, cards in sections):
        raise ExportError("Der er ingen godkendte krav at eksportere." if options.approved_only
                          else "Der er ingen krav at eksportere.")
    return Layout(tender, options, sections)


def _scope(lay: Layout) -> str:
    which = "kun godkendte krav" if lay.options.approved_only else "alle krav uanset status"
    where = (f"afsnit {lay.sections[0][0]} ({lay.sections[0][1].title})" if lay.options.section
             else "hele udbuddet")
    return f"{where}, {which}"


def _sentences(card: RequirementCard, field: str) -> list[tuple[str, list[int], bool]]:
    """(sentence, cited numbers, supported) in order; a field without judgements is one unsupported piece."""
    rows = [(s.sentence, s.sources, s.supported) for s in card.support if s.field == field]
    return rows or [(getattr(card, field), [], False)]


def _source_line(source: SourceDocument, doc_id: str) -> str:
    extra = ", ".join(x for x in (source.publisher, source.year) if x)
    return f"{source.title}{f' ({extra})' if extra else ''}. Dokument-id: {doc_id}."


def _last_change(entry: TenderEntry) -> str:
    if not entry.history:
        return "–"
    last = entry.history[-1]
    return f"{last.who}, {last.at.strftime('%Y-%m-%d %H:%M')}"


def _meta_rows(lay: Layout) -> list[tuple[str, str]]:
    t = lay.tender
    return [("Ordregiver", t.organisation), ("Kategori", t.category), ("Omfang", _scope(lay)),
            ("Antal krav", str(len(lay.cards))), ("Udskrevet", date.today().strftime("%d-%m-%Y")),
            ("Udbuds-id", t.tender_id or "–")]


# The reading guide uses no square brackets: they belong to nothing in the document (a gap the buyer must
# fill is an open slot in «»), so they cannot be mistaken for one.
INTRO = ("Udkast udarbejdet med Udbudsassistent. Hvert krav bygger på en gennemgået kravskabelon; "
         "hævede tal efter en sætning henviser til kildenoterne under kravet, der citerer kilden ordret med "
         "placering. Sætninger markeret (ikke underbygget) er ikke dokumenteret i kilderne og skal "
         "vurderes særskilt. Tekst i «» er et åbent felt, som ordregiveren skal udfylde før offentliggørelse. "
         "Juridiske henvisninger markeret UVERIFICERET skal kontrolleres af en jurist.")


# --- Word -------------------------------------------------------------------------
def to_docx(tender: Tender, options: ExportOptions = ExportOptions()) -> bytes:
    from docx import Document
    from docx.shared import Pt

    lay = layout(tender, options)
    doc = Document()
    danish_document(doc)
    props = doc.core_properties
    props.title, props.author, props.language = tender.name, "Udbudsassistent", "da-DK"
    props.subject = f"Krav til {tender.category}" if tender.category else "Krav"
    props.comments = f"Udkast: {_scope(lay)}"

    doc.add_paragraph(tender.name, style="Title")
    doc.add_paragraph("Bilag: Krav til bæredygtighed, sociale forhold og kontraktstyring (udkast)",
                      style="Subtitle")
    _facts_table(doc, _meta_rows(lay))
    doc.add_paragraph(INTRO).paragraph_format.space_before = Pt(10)

    for s_no, section, cards in lay.sections:
        doc.add_heading(f"{s_no} {section.title}", level=1)
        if not cards:
            doc.add_paragraph("Ingen krav i dette afsnit med det valgte omfang.")
        for item in cards:
            _docx_requirement(doc, item)

    doc.add_heading("Kildefortegnelse", level=1)
    for source in lay.sources():
        doc.add_paragraph(_source_line(source, source.doc_id), style="List Bullet")
    if options.review_annex:
        _docx_review_annex(doc, lay)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _docx_requirement(doc: Any, item: Numbered) -> None:
    """One requirement: heading Kn.m, facts, the fields sentence by sentence with their source notes
    (an unsupported sentence highlighted and marked), legal basis, flags and the verbatim notes."""
    from docx.shared import Pt

    card = item.card
    doc.add_heading(f"{item.number} {card.title}", level=2)
    _facts_table(doc, [("Type", card.type), ("Ambitionsniveau", card.ambition), ("Område", card.area),
                       ("Gennemgang", item.entry.status)])
    _docx_fields(doc, item)
    _docx_open_slots(doc, card)
    doc.add_paragraph().add_run("Juridisk grundlag").bold = True
    for basis in card.legal_basis:
        para = doc.add_paragraph(style="List Bullet")
        para.add_run(basis.rule).bold = True
        para.add_run((" (UVERIFICERET)" if basis.unverified else "") + f": {basis.gist}")
    if card.flags:
        doc.add_paragraph().add_run("Opmærksomhedspunkter").bold = True
        for flag in card.flags:
            doc.add_paragraph(flag, style="List Bullet")
    if not item.notes:
        doc.add_paragraph("Kravet har ingen kilde i korpus; det bygger alene på kravskabelonen.")
        return
    doc.add_paragraph().add_run("Kildenoter").bold = True
    for note in item.notes.values():
        para = doc.add_paragraph()
        para.paragraph_format.left_indent = Pt(18)
        para.add_run(f"Note {note.number}. {note.title}, {note.location}: ").bold = True
        quote = para.add_run(f"»{note.quote}«")
        quote.font.size = Pt(9.5)


def _docx_fields(doc: Any, item: Numbered) -> None:
    """The card's fields sentence by sentence: an unsupported sentence highlighted and marked, an open slot
    in its own colour, the source notes as superscript numbers."""
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Pt

    card = item.card
    for field, label in FIELDS:
        head = doc.add_paragraph()
        head.paragraph_format.space_before = Pt(8)
        head.paragraph_format.keep_with_next = True
        head.add_run(label).bold = True
        para = doc.add_paragraph()
        for i, (sentence, sources, supported) in enumerate(_sentences(card, field)):
            if i:
                para.add_run(" ")
            for piece, is_slot in pieces(sentence):
                run = para.add_run(piece)
                if is_slot:  # an open slot: the buyer must fill it before the tender is published
                    run.bold = run.italic = True
                    run.font.highlight_color = WD_COLOR_INDEX.TURQUOISE
                elif not supported:
                    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            if not supported:
                para.add_run(f" ({UNSUPPORTED})").italic = True
            if sources:
                ref = para.add_run(",".join(str(item.notes[n].number) for n in sources if n in item.notes))
                ref.font.superscript = True


def _docx_open_slots(doc: Any, card: RequirementCard) -> None:
    from docx.enum.text import WD_COLOR_INDEX

    open_slots = [slot for slot in card.slots if not slot.value]
    if open_slots:
        doc.add_paragraph().add_run(f"Åbne felter ({len(open_slots)}), som ordregiveren skal udfylde").bold = True
        for slot in open_slots:
            para = doc.add_paragraph(style="List Bullet")
            run = para.add_run(f"«{slot.label}»")
            run.bold = run.italic = True
            run.font.highlight_color = WD_COLOR_INDEX.TURQUOISE
            para.add_run(f"{' (' + slot.unit + ')' if slot.unit else ''}: {slot.hint}")


def _docx_review_annex(doc: Any, lay: Layout) -> None:
    doc.add_heading("Bilag: Juridisk gennemgang", level=1)
    annex = doc.add_table(rows=1, cols=5, style="Table Grid")
    labels = ("Nr.", "Krav", "Status", "Kommentar", "Seneste ændring")
    for cell, label in zip(annex.rows[0].cells, labels, strict=False):
        cell.paragraphs[0].add_run(label).bold = True
    for item in lay.cards:
        cells = annex.add_row().cells
        for cell, value in zip(cells, (item.number, item.card.title, item.entry.status,
                                       item.entry.comment or "–", _last_change(item.entry)), strict=False):
            cell.text = value
    _widths(annex, (1.3, 5.0, 2.7, 4.6, 2.8))


def _facts_table(doc: Any, rows: list[tuple[str, str]]) -> None:
    table = doc.add_table(rows=0, cols=2, style="Table Grid")
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value
    _widths(table, (4.2, 12.2))


def _widths(table: Any, cm: tuple[float, ...]) -> None:
    """Fixed column widths; Word reads the cells, LibreOffice the grid, so set both."""
    from docx.shared import Cm

    table.autofit = False
    for column, width in zip(table.columns, cm, strict=False):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def danish_document(doc: Any) -> None:
    """Danish proofing language and a readable body font for every style."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:  # an lxml element with no children is falsy, so no `or` here
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "da-DK")
    lang.set(qn("w:eastAsia"), "da-DK")


# --- Markdown and JSON ---------------------------------------------------------
def to_markdown(tender: Tender, options: ExportOptions = ExportOptions()) -> str:
    lay = layout(tender, options)
    out = [f"# {tender.name}", "", "*Bilag: Krav til bæredygtighed, sociale forhold og kontraktstyring (udkast)*", ""]
    out += [f"- **{label}:** {value}" for label, value in _meta_rows(lay)] + ["", INTRO, ""]
    for s_no, section, cards in lay.sections:
        out += [f"## {s_no} {section.title}", ""]
        if not cards:
            out += ["Ingen krav i dette afsnit med det valgte omfang.", ""]
        for item in cards:
            card = item.card
            out += [f"### {item.number} {card.title}", "",
                    f"**Type:** {card.type} · **Ambitionsniveau:** {card.ambition} · **Område:** {card.area} · "
                    f"**Gennemgang:** {item.entry.status}", ""]
            for field, label in FIELDS:
                parts = []
                for sentence, sources, supported in _sentences(card, field):
                    numbers = ",".join(str(item.notes[n].number) for n in sources if n in item.notes)
                    marks = f"<sup>{numbers}</sup>" if numbers else ""
                    sentence = "".join(f"**{p}**" if is_slot else p for p, is_slot in pieces(sentence))
                    parts.append(f"{sentence}{marks}" if supported else f"=={sentence}== *({UNSUPPORTED})*")
                out += [f"**{label}:** " + " ".join(parts), ""]
            open_slots = [slot for slot in card.slots if not slot.value]
            if open_slots:
                out += [f"**Åbne felter ({len(open_slots)}), som ordregiveren skal udfylde:**", ""]
                out += [f"- **«{slot.label}»**{' (' + slot.unit + ')' if slot.unit else ''}: {slot.hint}"
                        for slot in open_slots] + [""]
            out += ["**Juridisk grundlag:**", ""]
            out += [f"- **{r.rule}**{' (UVERIFICERET)' if r.unverified else ''}: {r.gist}" for r in card.legal_basis]
            if card.flags:
                out += ["", "**Opmærksomhedspunkter:**", ""] + [f"- {f}" for f in card.flags]
            out += ["", "**Kildenoter:**", ""] if item.notes else ["", "*Kravet har ingen kilde i korpus.*"]
            for note in item.notes.values():
                quote = note.quote.replace("\n", "\n>     ")
                out += [f"> **Note {note.number}.** **{note.title}**, {note.location}:", ">", f">     {quote}", ""]
            out.append("")
    out += ["## Kildefortegnelse", ""]
    out += [f"- {_source_line(source, f'`{source.doc_id}`')}" for source in lay.sources()]
    if options.review_annex:
        out += ["", "## Bilag: Juridisk gennemgang", "", "| Nr. | Krav | Status | Kommentar | Seneste ændring |",
                "|---|---|---|---|---|"]
        for item in lay.cards:
            when = _last_change(item.entry)
            comment = (item.entry.comment or "–").replace("|", "\\|").replace("\n", " ")
            out.append(f"| {item.number} | {item.card.title} | {item.entry.status} | {comment} | {when} |")
    return "\n".join(out).rstrip() + "\n"


def to_json(tender: Tender, options: ExportOptions = ExportOptions()) -> str:
    """The selected part of the tender in the same format `tenders dump` writes (it re-imports)."""
    lay = layout(tender, options)
    chosen = tender.model_copy(update={"sections": [
        section.model_copy(update={"entries": [c.entry for c in cards]}) for _, section, cards in lay.sections]})
    return chosen.model_dump_json(indent=2) + "\n"


def export_bytes(tender: Tender, options: ExportOptions, suffix: str) -> bytes:
    if options.bidder:
        from assistant.tenders.bidder import to_bidder_docx, to_bidder_markdown

        if suffix == ".docx":
            return to_bidder_docx(tender, options)
        if suffix == ".md":
            return to_bidder_markdown(tender, options).encode("utf-8")
        raise ExportError("Udbudsversionen dannes som Word (.docx) eller Markdown (.md).")
    if suffix == ".docx":
        return to_docx(tender, options)
    if suffix == ".md":
        return to_markdown(tender, options).encode("utf-8")
    if suffix == ".json":
        return to_json(tender, options).encode("utf-8")
    raise ExportError(f"Ukendt filtype '{suffix}'. Brug .docx, .md eller .json.")


def export_file(tender: Tender, options: ExportOptions, path: Path) -> Path:
    """Write the export; the format follows the file name. Written whole or not at all."""
    data = export_bytes(tender, options, path.suffix.lower())
    if not path.parent.is_dir():
        raise ExportError(f"Mappen findes ikke: {path.parent}")
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"Filen kunne ikke skrives: {path} ({exc.strerror}).") from None
    return path
