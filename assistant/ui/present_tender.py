"""Pure functions that turn tenders, reviews and history into the Danish HTML and
Markdown the buyer's and the reviewer's views show (testable without a browser)."""

from __future__ import annotations

import html

from assistant.drafting.cards import FIELD_LABELS, RequirementCard
from assistant.drafting.slots import open_count
from assistant.tenders.diff import as_text, compact, word_diff
from assistant.tenders.review import SourceView
from assistant.tenders.tender import Tender, TenderEntry
from assistant.tenders.workspace import HistoryItem, TenderRow, WorkspaceError, iso_time
from assistant.ui.present import card_html, claims_html, highlight, slot_lines

STATUS_COLOURS = {"udkast": "#6b7280", "godkendt": "#1f6f5c", "skal rettes": "#b45309", "afvist": "#b91c1c"}
ALL = "Alle"


def status_badge(status: str) -> str:
    colour = STATUS_COLOURS.get(status, "#6b7280")
    return f"<span class='udb-status' style='background:{colour}'>{html.escape(status)}</span>"


def tender_choices(rows: list[TenderRow]) -> list[tuple[str, str]]:
    return [(f"{r.name} ({r.organisation})" if r.organisation else r.name, r.tender_id) for r in rows]


def entry_choices(tender: Tender | None, status: str = ALL) -> list[tuple[str, str]]:
    """Dropdown labels "K2.1 · Titel · status" for the tender's cards, optionally one status only."""
    if tender is None:
        return []
    return [(f"{number} · {entry.card.title} · {entry.status}", entry.entry_id or "")
            for _, _, entries in tender.numbered() for number, entry in entries
            if status in (ALL, "", None) or entry.status == status]


def entry_id_of(entry: TenderEntry) -> str:
    """The workspace id of an entry in a snapshot (entries read from a tender file have none)."""
    if not entry.entry_id:
        raise WorkspaceError("Kravet findes ikke i arbejdsområdet (det er kun læst fra en udbudsfil).")
    return entry.entry_id


def find_entry(tender: Tender | None, entry_id: str | None) -> tuple[str, str, TenderEntry] | None:
    """(number, section title, entry) of one card, or None."""
    for _, section, entries in tender.numbered() if tender else []:
        for number, entry in entries:
            if entry.entry_id == entry_id:
                return number, section.title, entry
    return None


def tender_html(tender: Tender | None, status: str = ALL) -> str:
    """The tender at a glance: sections, numbered cards, their status and flag count."""
    if tender is None:
        return "<p class='udb-muted'>Vælg eller opret et udbud.</p>"
    esc = html.escape
    counts: dict[str, int] = {}
    for section in tender.sections:
        for e in section.entries:
            counts[e.status] = counts.get(e.status, 0) + 1
    summary = " ".join(f"{status_badge(s)} {n}" for s, n in counts.items()) or "ingen krav endnu"
    parts = [f"<h3>{esc(tender.name)}</h3><p class='udb-meta'>{esc(tender.organisation)} · kategori: "
             f"{esc(tender.category)} · {summary}</p>"]
    for s_no, section, entries in tender.numbered():
        shown = [(n, e) for n, e in entries if status in (ALL, "", None) or e.status == status]
        parts.append(f"<h4>{s_no} {esc(section.title)}</h4>")
        if not shown:
            parts.append("<p class='udb-muted'>Ingen krav.</p>")
            continue
        rows = "".join(
            f"<tr><td><b>{n}</b></td><td>{esc(e.card.title)}<br><span class='udb-muted'>{esc(e.card.type)} · "
            f"{esc(e.card.ambition)}</span>{_flag_note(e.card)}</td><td>{status_badge(e.status)}</td></tr>"
            for n, e in shown)
        parts.append("<table class='udb-overview'><tr><th>Nr.</th><th>Krav</th><th>Status</th></tr>"
                     f"{rows}</table>")
    return "".join(parts)


def _flag_note(card: RequirementCard) -> str:
    unsupported = sum(1 for s in card.support if not s.supported)
    note = ""
    if card.open_slots:
        note += (f"<br><mark class='udb-slot' title='{html.escape(', '.join(card.open_slots))}'>"
                 f"{open_count(len(card.open_slots))}</mark>")
    if unsupported:
        note += f"<br><span class='udb-flag'>{unsupported} sætning(er) ikke underbygget</span>"
    return note


def review_card_html(number: str, section: str, entry: TenderEntry) -> str:
    """The clause as the reviewer judges it: number, status, comment and the full card."""
    esc = html.escape
    comment = f"<p><b>Kommentar:</b> {esc(entry.comment)}</p>" if entry.comment else ""
    return (f"<p class='udb-meta'><b>{number}</b> · afsnit: {esc(section)} · {status_badge(entry.status)} · "
            f"version {entry.version}</p>{comment}{card_html(entry.card, sources_list=False)}")


def sources_review_html(views: list[SourceView]) -> str:
    """Each cited passage verbatim in its context, the quoted span highlighted, with the
    card's sentences it supports listed under it."""
    if not views:
        return ("<p class='udb-muted'>Kravet har ingen kilder i korpus; det bygger alene på kravskabelonen "
                "og skal vurderes ud fra det juridiske grundlag.</p>")
    esc = html.escape
    blocks = []
    for v in views:
        marks = [(v.start, v.end, "udb-span")] + [
            (at, at + len(s.evidence), "udb-evidence") for s in v.supports
            if s.evidence and (at := v.context.find(s.evidence)) >= 0]
        text = ("… " if v.cut_before else "") + highlight(v.context, marks) + (" …" if v.cut_after else "")
        warning = "" if v.in_index else (
            f"<p class='udb-flag'>{esc(v.warning or 'Citatet findes ikke længere i indekset.')} Det vises, som "
            "kortet gemte det.</p>")
        supports = "".join(f"<li>{esc(s.sentence)}{claims_html(s.claims)}</li>" for s in v.supports)
        blocks.append(
            f"<div class='udb-source'><div class='udb-source-head'><b>[{v.n}] {esc(v.title)}</b></div>"
            f"<div class='udb-source-loc'>{esc(v.location)} · <code>{esc(v.doc_id)}</code></div>{warning}"
            f"<blockquote class='udb-quote'>{text}</blockquote>"
            + (f"<div class='udb-muted'>Underbygger:</div><ul class='udb-supports'>{supports}</ul>" if supports
               else "<div class='udb-muted'>Baggrund for kravet (citeret fra kravskabelonen).</div>")
            + "</div>")
    return "\n".join(blocks)


_ACTIONS = {"tilføjet": "Tilføjet", "redigeret": "Redigeret", "status": "Status", "flyttet": "Flyttet",
            "fjernet": "Fjernet", "importeret": "Importeret", "felter udfyldt": "Felter udfyldt",
            "gendannet": "Sat ind igen", "fortrudt": "Redigering fortrudt"}


def history_markdown(items: list[HistoryItem]) -> str:
    if not items:
        return "*Ingen historik.*"
    rows = ["| Version | Hvornår | Hvem | Handling | Detaljer |", "|---|---|---|---|---|"]
    for h in items:
        detail = _edit_html(h) if h.action in ("redigeret", "fortrudt") else _cell(_detail(h))
        rows.append(f"| {h.version} | {iso_time(h.at)[:16].replace('T', ' ')} | {_cell(h.who)} | "
                    f"{_ACTIONS.get(h.action, h.action)} | {detail} |")
    return "\n".join(rows)


_LABELS = {**FIELD_LABELS, "title": "Overskrift", "status": "Status"}


def _detail(h: HistoryItem) -> str:
    d = h.detail
    if h.action == "status":
        return (f"{d.get('status')}" + (f": {d['kommentar']}" if d.get("kommentar") else "")
                + (f" (godkendt med åbne felter: {', '.join(d['godkendt med åbne felter'])})"
                   if d.get("godkendt med åbne felter") else ""))
    if h.action == "felter udfyldt":
        return "; ".join(f"{label} = {value}" for label, value in d.get("felter", {}).items())
    if h.action in ("redigeret", "fortrudt"):
        return "; ".join(f"{_LABELS.get(field, field)}: {as_text(compact(word_diff(c['før'], c['efter'])))}"
                         for field, c in d.items())
    if h.action == "flyttet":
        return f"til plads {d.get('position', 0) + 1}"
    if h.action == "importeret":
        status = d.get("status")
        if isinstance(status, dict):  # an approved card with open slots comes in as a draft
            return (f"fra en udbudsfil; status {status.get('efter')} (var {status.get('før')}, men har åbne "
                    f"felter: {', '.join(d.get('åbne felter', []))})")
        return f"fra en udbudsfil; status {status}"
    # Internal names (card ids, the saved card of a removal) are never shown to a reader.
    if h.action == "tilføjet":
        return "udarbejdet kravkort tilføjet"
    if h.action in ("fjernet", "gendannet"):
        return f"«{d.get('titel', '')}»"
    return ""


_DIFF_TAGS = {"same": "{}", "del": "<del class='udb-del'>{}</del>", "ins": "<ins class='udb-ins'>{}</ins>"}


def _edit_html(h: HistoryItem) -> str:
    """Every changed word of every edited field, struck out or underlined, with the full texts before and
    after one click away."""
    parts = []
    for field, change in h.detail.items():
        if not isinstance(change, dict) or "før" not in change:
            continue
        pieces = word_diff(change["før"], change["efter"])
        shown = " ".join(_DIFF_TAGS[p.op].format(_cell(p.text)) for p in compact(pieces))
        parts.append(f"<b>{_cell(_LABELS.get(field, field))}:</b> {shown} <details><summary>Hele teksten</summary>"
                     f"<i>Før:</i> {_cell(change['før'])}<br><i>Efter:</i> {_cell(change['efter'])}</details>")
    return "<br>".join(parts)


def _cell(text: str) -> str:
    return html.escape(text).replace("|", "\\|").replace("\n", " ")


# --- terminal text (the CLI's `tender show | card | history`) ------------------------
def tender_text(tender: Tender, status: str | None = None) -> str:
    lines = [f"{tender.name} — {tender.organisation or 'ordregiver ikke angivet'}"
             f" ({tender.category or 'ingen kategori'}) [{tender.tender_id}]"]
    for s_no, section, entries in tender.numbered():
        lines.append(f"\n{s_no} {section.title}")
        shown = [(n, e) for n, e in entries if not status or e.status == status]
        if not shown:
            lines.append("    (ingen krav)")
        for number, e in shown:
            unsupported = sum(1 for s in e.card.support if not s.supported)
            lines.append(f"  {number:<6}{e.status:<13}{e.card.title} ({e.card.type}, {e.card.ambition}, v{e.version})"
                         + (f" — {open_count(len(e.card.open_slots))}" if e.card.open_slots else "")
                         + (f" — {unsupported} sætning(er) ikke underbygget" if unsupported else ""))
            if e.comment:
                lines.append(f"        Kommentar: {e.comment}")
    return "\n".join(lines)


def entry_text(number: str, section: str, entry: TenderEntry, history: list[HistoryItem]) -> str:
    card = entry.card
    lines = [f"{number} {card.title}  [{section}; {entry.status}; version {entry.version}]",
             f"{card.area} · {card.type} · {card.ambition} · {card.category}"]
    if entry.comment:
        lines.append(f"Kommentar: {entry.comment}")
    for name, label in FIELD_LABELS.items():
        parts = [s.sentence + "".join(f"[{n}]" for n in s.sources) + ("" if s.supported else " [IKKE UNDERBYGGET]")
                 for s in card.support if s.field == name]
        lines.append(f"{label}: {' '.join(parts) or getattr(card, name)}")
    lines.append("Juridisk grundlag: " + "; ".join(r.rule + (" (UVERIFICERET)" if r.unverified else "")
                                                  for r in card.legal_basis))
    lines += slot_lines(card)
    for c in card.citations:
        lines.append(f"[{c.n}] {c.title} — {c.location}\n    «{c.quote}»")
    lines += [f"Opmærksomhedspunkt: {f}" for f in card.flags]
    lines += ["", "Historik:", history_text(history)]
    return "\n".join(lines)


def history_text(items: list[HistoryItem]) -> str:
    if not items:
        return "(ingen historik)"
    return "\n".join(f"  v{h.version}  {iso_time(h.at)[:16].replace('T', ' ')}  {h.who}: "
                     f"{_ACTIONS.get(h.action, h.action)} — {_detail(h)}" for h in items)
