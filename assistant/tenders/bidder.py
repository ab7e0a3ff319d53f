"""The bidder's version of a tender (udbudsversion): what a tenderer receives with the tender documents.

Only approved requirements, numbered as in the working version (K2.3 = section 2, requirement 3), each
with its type, requirement text, documentation and follow-up; the contracting authority's name, the date
and page numbers in the footer. Nothing internal: no source notes, support marks, flags, review status,
legal-basis notes or rationale. A requirement with an open slot cannot go out: the export refuses and
names each requirement and slot, so a gap is never sent to the market.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from assistant.drafting.cards import FIELD_LABELS
from assistant.tenders.export import ExportError, ExportOptions, Layout, Numbered, layout
from assistant.tenders.tender import Tender

FIELDS = tuple((f, label) for f, label in FIELD_LABELS.items() if f != "rationale")
SUBTITLE = "Bilag til udbudsmaterialet: Krav til bæredygtighed, sociale forhold og kontraktstyring"
INTRO = ("Kravene er nummereret efter afsnit og løbenummer (K2.3 er afsnit 2, krav 3). For hvert krav er "
         "angivet kravets type, selve kravet, den dokumentation, der skal afleveres, og hvordan ordregiveren "
         "følger op på kravet.")


def bidder_layout(tender: Tender, options: ExportOptions) -> Layout:
    """The approved requirements of the chosen part, or an ExportError naming every open slot."""
    lay = layout(tender, ExportOptions(approved_only=True, section=options.section))
    gaps = []
    for item in lay.cards:
        named = [f"«{s.label}»" for s in item.card.slots if not s.value]
        # A card from before slots existed may still hold a gap as "[X]"; it must not reach a bidder either.
        named += [f"»{gap}«" for gap in (_bracketed(getattr(item.card, f)) for f, _ in FIELDS) if gap]
        if named:
            gaps.append(f"{item.number} {item.card.title}: {', '.join(named)}")
    if gaps:
        raise ExportError("Udbudsversionen kan ikke dannes, fordi der er åbne felter i godkendte krav: "
                          + "; ".join(gaps) + ". Udfyld felterne, eller eksportér arbejdsversionen.")
    return lay


def _bracketed(text: str) -> str:
    """The first "[…]" in a text, or ""."""
    start = text.find("[")
    end = text.find("]", start + 1) if start >= 0 else -1
    return text[start:end + 1] if end > start else ""


def _sections(lay: Layout) -> list[tuple[str, str, list[Numbered]]]:
    return [(s_no, section.title, cards) for s_no, section, cards in lay.sections if cards]


def _footer_text(tender: Tender) -> str:
    return " · ".join(x for x in (tender.organisation, tender.name, date.today().strftime("%d-%m-%Y")) if x)


def to_bidder_markdown(tender: Tender, options: ExportOptions) -> str:
    lay = bidder_layout(tender, options)
    out = [f"# {tender.name}", "", f"*{SUBTITLE}*", "", f"{_footer_text(tender)}", "", INTRO, ""]
    for s_no, title, cards in _sections(lay):
        out += [f"## {s_no} {title}", ""]
        for item in cards:
            card = item.card
            out += [f"### {item.number} {card.title}", "", f"**Type:** {card.type.capitalize()}", ""]
            out += [f"**{label}:** {getattr(card, field)}" + "\n" for field, label in FIELDS]
    return "\n".join(out).rstrip() + "\n"


def to_bidder_docx(tender: Tender, options: ExportOptions) -> bytes:
    from docx import Document
    from docx.shared import Pt

    from assistant.tenders.export import danish_document

    lay = bidder_layout(tender, options)
    doc = Document()
    danish_document(doc)
    props = doc.core_properties
    props.title, props.author, props.language = tender.name, tender.organisation or "Ordregiver", "da-DK"
    props.subject = SUBTITLE
    doc.add_paragraph(tender.name, style="Title")
    doc.add_paragraph(SUBTITLE, style="Subtitle")
    doc.add_paragraph(INTRO).paragraph_format.space_before = Pt(10)
    for s_no, title, cards in _sections(lay):
        doc.add_heading(f"{s_no} {title}", level=1)
        for item in cards:
            card = item.card
            doc.add_heading(f"{item.number} {card.title}", level=2)
            para = doc.add_paragraph()
            para.add_run("Type: ").bold = True
            para.add_run(card.type.capitalize())
            for field, label in FIELDS:
                head = doc.add_paragraph()
                head.paragraph_format.space_before = Pt(6)
                head.paragraph_format.keep_with_next = True
                head.add_run(label).bold = True
                doc.add_paragraph(getattr(card, field))
    _page_footer(doc, _footer_text(tender))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _page_footer(doc: Any, text: str) -> None:
    """"Testrup Kommune · Rammeaftale … · 30-11-2026 · Side 2 af 5": Word's PAGE and NUMPAGES fields, the
    only field codes in the file, so every printed page says whose document it is and where it belongs."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    para = doc.sections[0].footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece, field in ((f"{text} · Side ", "PAGE"), (" af ", "NUMPAGES")):
        para.add_run(piece).font.size = Pt(9)
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), field)
        run = OxmlElement("w:r")
        shown = OxmlElement("w:t")
        shown.text = "1"
        run.append(shown)
        simple.append(run)
        para._p.append(simple)
