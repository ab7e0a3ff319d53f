"""The tender commands of the CLI: the buyer's and the reviewer's workflow without a browser.

    tenders | dump | import | export           (the tender file, DESIGN.md's `export TENDER.json -o OUT.docx`)
    tender new | show | card | add | edit | move | remove | status | history

Requirements are named by their number in the tender ("K2.1") or their entry id. Only
`tender add` (drafting) and `tender edit` (re-checking the edit) load models; the rest
open the SQLite workspace and start at once.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from assistant.drafting.cards import unsupported_flag
from assistant.drafting.clauses import AMBITIONS, TYPES
from assistant.settings import Settings
from assistant.tenders.export import FORMATS, ExportOptions, export_file
from assistant.tenders.tender import (
    DEFAULT_SECTIONS,
    SECTION_FOR_AREA,
    STATUSES,
    SourceDocument,
    Tender,
    TenderEntry,
    read_tender,
    write_tender,
)
from assistant.tenders.workspace import Workspace, WorkspaceError
from assistant.ui import present_tender as pt

if TYPE_CHECKING:
    from assistant.services import Services

COMMANDS = {"tenders", "dump", "import", "export", "tender"}
_EDITABLE = {"overskrift": "title", "tekst": "text", "dokumentation": "documentation", "opfølgning": "follow_up",
             "begrundelse": "rationale"}


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("tenders", help="vis udbuddene i arbejdsområdet")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("dump", help="gem et udbud fra arbejdsområdet som JSON")
    p.add_argument("tender", metavar="tender_id")
    p.add_argument("-o", "--output", type=Path, help="filnavn (uden: skriv til standard output)")

    p = sub.add_parser("import", help="indlæs en udbudsfil (JSON) i arbejdsområdet")
    p.add_argument("tender_file", type=Path)
    p.add_argument("--who", default="import", help="navn i historikken")

    p = sub.add_parser("export", help="eksportér et udbud til Word (.docx), Markdown (.md) eller JSON")
    p.add_argument("tender", help="en udbudsfil (JSON) eller et udbuds-id fra arbejdsområdet")
    p.add_argument("-o", "--output", type=Path, required=True, help="OUT.docx, OUT.md eller OUT.json")
    p.add_argument("--approved-only", action="store_true", help="kun godkendte krav")
    p.add_argument("--section", help="kun ét afsnit (overskrift eller nummer)")
    p.add_argument("--review-annex", action="store_true", help="medtag bilag med juridisk gennemgang")
    p.add_argument("--bidder-version", action="store_true",
                   help="udbudsversionen til tilbudsgivere: kun godkendte krav uden interne noter; "
                        "afvises, så længe et godkendt krav har åbne felter")

    tender = sub.add_parser("tender", help="arbejd med et udbud: opret, tilføj, redigér, gennemgå")
    _add_tender_actions(tender.add_subparsers(dest="action", required=True))


def _add_tender_actions(actions: Any) -> None:
    p = actions.add_parser("new", help="opret et udbud med standardafsnittene")
    p.add_argument("name")
    p.add_argument("--organisation", default="")
    p.add_argument("--category", default="")
    p = actions.add_parser("show", help="vis udbuddets afsnit og nummererede krav")
    p.add_argument("tender_id")
    p.add_argument("--status", choices=STATUSES, help="kun krav med denne status")
    p = actions.add_parser("card", help="vis ét krav med kilder og historik")
    p.add_argument("tender_id")
    p.add_argument("number", help="fx K2.1")
    p = actions.add_parser("add", help="udarbejd krav og tilføj dem til et afsnit")
    p.add_argument("tender_id")
    p.add_argument("request")
    p.add_argument("--section", help="afsnittets overskrift (standard: ud fra kravets område)")
    p.add_argument("--type", choices=TYPES)
    p.add_argument("--ambition", choices=AMBITIONS)
    p.add_argument("--category")
    p.add_argument("--cards", type=int, default=0, help="antal kort (1-3); 0 = ét pr. emne i forespørgslen")
    p.add_argument("--who", required=True, help="dit navn (gemmes i historikken)")
    p = actions.add_parser("edit", help="redigér et felt i et krav (kontrolleres igen mod kilderne)")
    p.add_argument("tender_id")
    p.add_argument("number")
    p.add_argument("field", choices=sorted(_EDITABLE))
    p.add_argument("value")
    p.add_argument("--who", required=True)
    p = actions.add_parser("move", help="flyt et krav til en ny plads i sit afsnit")
    p.add_argument("tender_id")
    p.add_argument("number")
    p.add_argument("position", type=int, help="1 = først")
    p.add_argument("--who", required=True)
    p = actions.add_parser("remove", help="fjern et krav fra udbuddet (historikken bevares)")
    p.add_argument("tender_id")
    p.add_argument("number")
    p.add_argument("--who", required=True)
    p = actions.add_parser("status", help="sæt status for et krav med en kommentar")
    p.add_argument("tender_id")
    p.add_argument("number")
    p.add_argument("status", choices=STATUSES)
    p.add_argument("--comment", default="")
    p.add_argument("--who", required=True)
    p = actions.add_parser("fill", help="udfyld åbne felter i et krav, fx svarfrist=5")
    p.add_argument("tender_id")
    p.add_argument("number")
    p.add_argument("values", nargs="+", metavar="FELT=VÆRDI", help="feltets id eller navn, et lighedstegn og værdien")
    p.add_argument("--who", required=True)
    p = actions.add_parser("history", help="vis et kravs historik")
    p.add_argument("tender_id")
    p.add_argument("number")


def needs_services(args: argparse.Namespace) -> bool:
    return args.command == "tender" and args.action in {"add", "edit"}


def dispatch(args: argparse.Namespace, settings: Settings, workspace: Workspace, out: TextIO,
             services: Services | None = None) -> int:
    if args.command == "export" and Path(args.tender).suffix.lower() == ".json":
        return _export(read_tender(Path(args.tender)), args, out)
    if args.command == "tenders":
        rows = workspace.tenders()
        if args.json:
            print(json.dumps([{"tender_id": r.tender_id, "name": r.name, "organisation": r.organisation,
                               "category": r.category} for r in rows], ensure_ascii=False, indent=2), file=out)
        elif not rows:
            print("Arbejdsområdet har ingen udbud endnu. Opret et med: python -m assistant tender new NAVN",
                  file=out)
        for r in rows if not args.json else []:
            print(f"{r.tender_id}\t{r.name}\t{r.organisation}\t{r.category}", file=out)
        return 0
    if args.command == "import":
        tender_id = workspace.import_tender(read_tender(args.tender_file), args.who)
        print(f"Indlæst som udbud {tender_id}.", file=out)
        return 0
    if args.command in {"dump", "export"}:
        tender = workspace.snapshot(args.tender, _documents(settings))
        if args.command == "export":
            return _export(tender, args, out)
        if args.output:
            write_tender(tender, args.output)
            print(f"Gemt: {args.output}", file=out)
        else:
            print(tender.model_dump_json(indent=2), file=out)
        return 0
    return _tender_action(args, workspace, out, services)


def _tender_action(args: argparse.Namespace, ws: Workspace, out: TextIO, services: Services | None) -> int:
    if args.action == "new":
        tender_id = ws.create_tender(args.name, args.organisation, args.category, DEFAULT_SECTIONS)
        print(f"Oprettet udbud {tender_id} med afsnittene {', '.join(DEFAULT_SECTIONS)}.", file=out)
        return 0
    tender = ws.snapshot(args.tender_id)
    if args.action == "show":
        print(pt.tender_text(tender, args.status), file=out)
        return 0
    if args.action == "add":
        return _add(args, ws, out, services)
    number, section, entry = _find(tender, args.number)
    entry_id = pt.entry_id_of(entry)
    if args.action == "card":
        print(pt.entry_text(number, section, entry, ws.history(entry_id)), file=out)
    elif args.action == "history":
        print(pt.history_text(ws.history(entry_id)), file=out)
    elif args.action == "status":
        ws.set_status(entry_id, entry.version, args.who, args.status, args.comment.strip())
        print(f"{number} er sat til «{args.status}».", file=out)
    elif args.action == "fill":
        filled = ws.fill_slots(entry_id, entry.version, args.who, _slot_values(args.values))
        still = filled.card.open_slots
        print(f"{number} er gemt som version {filled.version}; "
              + (f"åbne felter: {', '.join(still)}." if still else "ingen åbne felter."), file=out)
    elif args.action == "move":
        ws.move(entry_id, entry.version, args.who, args.position - 1)
        print(f"{number} er flyttet til plads {args.position} i {section}.", file=out)
    elif args.action == "remove":
        ws.remove_card(entry_id, entry.version, args.who)
        print(f"{number} er fjernet fra udbuddet; historikken er bevaret.", file=out)
    elif args.action == "edit":
        assert services is not None, "needs_services() builds them for edit"
        edited = ws.edit_card(entry_id, entry.version, args.who, {_EDITABLE[args.field]: args.value},
                              recheck=services.rechecker)
        unsupported = [s for s in edited.card.support if not s.supported]
        print(f"{number} er gemt som version {edited.version}.", file=out)
        for s in unsupported:
            print(unsupported_flag(s.field, s.sentence, s.flags), file=out)
    return 0


def _add(args: argparse.Namespace, ws: Workspace, out: TextIO, services: Services | None) -> int:
    from assistant.drafting.draft import DraftOptions

    if not 0 <= args.cards <= 3:
        raise WorkspaceError("--cards skal være mellem 0 (ét pr. emne) og 3.")
    sections = {s.title: s.section_id for s in ws.sections(args.tender_id)}
    if args.section and args.section not in sections:
        raise WorkspaceError(f"Udbuddet har intet afsnit '{args.section}'. Afsnittene er: {', '.join(sections)}.")
    assert services is not None, "needs_services() builds them for add"
    result = services.drafter.draft(args.request, DraftOptions(
        type=args.type, ambition=args.ambition, category=args.category, max_cards=args.cards))
    if not result.requirements:
        raise WorkspaceError(result.refusal or " ".join(result.notes) or "Der blev ikke udarbejdet noget krav.")
    for card in result.requirements:
        title = args.section or SECTION_FOR_AREA.get(card.area, DEFAULT_SECTIONS[0])
        section_id = sections.get(title) or ws.add_section(args.tender_id, title)
        entry_id = ws.add_card(section_id, card, args.who)
        found = pt.find_entry(ws.snapshot(args.tender_id), entry_id)
        number = found[0] if found else "?"
        unsupported = sum(1 for s in card.support if not s.supported)
        print(f"{number} {card.title} ({card.type}, {card.ambition}) er tilføjet til {title}"
              + (f"; {unsupported} sætning(er) er ikke underbygget" if unsupported else "") + ".", file=out)
    return 0


def _slot_values(pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise WorkspaceError(f"Skriv felter som FELT=VÆRDI, fx svarfrist=5 (fik '{pair}').")
        values[name.strip()] = value
    return values


def _numbered(tender: Tender) -> list[tuple[str, str, TenderEntry]]:
    return [(number, section.title, entry) for _, section, entries in tender.numbered() for number, entry in entries]


def _find(tender: Tender, number: str) -> tuple[str, str, TenderEntry]:
    wanted = number.strip().upper()
    for n, section, entry in _numbered(tender):
        if n == wanted or entry.entry_id == number.strip():
            return n, section, entry
    numbers = ", ".join(n for n, _, _ in _numbered(tender)) or "ingen"
    raise WorkspaceError(f"Udbuddet har intet krav '{number}'. Kravene er: {numbers}.")


def _export(tender: Tender, args: argparse.Namespace, out: TextIO) -> int:
    options = ExportOptions(approved_only=args.approved_only, section=args.section, review_annex=args.review_annex,
                            bidder=args.bidder_version)
    path = export_file(tender, options, args.output)
    print(f"Eksporteret: {path} ({FORMATS[path.suffix.lower()]})", file=out)
    return 0


def _documents(settings: Settings) -> list[SourceDocument]:
    """Publisher and year of every indexed document, for the tender's list of sources."""
    if not settings.database_url and not settings.catalog_path.is_file():
        return []
    from assistant.search.catalog import Catalog
    from assistant.tenders.review import source_documents

    catalog = Catalog(settings.database("catalog"))
    try:
        return source_documents(catalog)
    finally:
        catalog.close()
