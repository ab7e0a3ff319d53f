"""The tender workspace (issue 4, first part): tenders, sections and requirement
cards in SQLite or PostgreSQL (assistant/db.py), with review status, full history and stale-edit detection.

Each card row has a version number; every change names the version it was made
against, and a change against an older version is refused with StaleEditError
instead of silently overwriting someone else's edit. Every edit and status change
is kept in card_history with who and when. The schema is versioned (SQLite's
PRAGMA user_version, a table on PostgreSQL) and migrated forward step by step.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from assistant.accounts import Accounts, refusal
from assistant.db import Database, Record, Tx
from assistant.drafting import slots as card_slots
from assistant.drafting.cards import RequirementCard
from assistant.tenders.tender import (
    STATUSES,
    HistoryRecord,
    ReviewStatus,
    SourceDocument,
    Tender,
    TenderEntry,
    TenderSection,
)

_MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE tenders (
        tender_id TEXT PRIMARY KEY, name TEXT NOT NULL, organisation TEXT NOT NULL,
        category TEXT NOT NULL, created_at REAL NOT NULL
    );
    CREATE TABLE sections (
        section_id TEXT PRIMARY KEY,
        tender_id TEXT NOT NULL REFERENCES tenders(tender_id) ON DELETE CASCADE,
        title TEXT NOT NULL, position INTEGER NOT NULL
    );
    CREATE TABLE tender_cards (
        entry_id TEXT PRIMARY KEY,
        section_id TEXT NOT NULL REFERENCES sections(section_id) ON DELETE CASCADE,
        position INTEGER NOT NULL, card TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'udkast', comment TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE card_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        entry_id TEXT NOT NULL, version INTEGER NOT NULL, who TEXT NOT NULL, at REAL NOT NULL,
        action TEXT NOT NULL, detail TEXT NOT NULL
    );
    """,
    # 2: accounts for a shared server (assistant/accounts.py)
    """
    CREATE TABLE users (
        username TEXT PRIMARY KEY, role TEXT NOT NULL, password TEXT NOT NULL, created_at REAL NOT NULL
    );
    """,
]


Recheck = Callable[[RequirementCard, RequirementCard, str], RequirementCard]


class WorkspaceError(ValueError):
    """A user-facing problem; ``str(err)`` is a Danish sentence."""


class StaleEditError(WorkspaceError):
    pass


class OpenSlotsError(WorkspaceError):
    """Approval asked for while slots are open. It is refused, not confirmed: an approved requirement goes
    to the bidders as it stands, and a gap the buyer has not decided cannot be part of it."""

    def __init__(self, labels: list[str]) -> None:
        self.labels = list(labels)
        names = ", ".join(f"«{label}»" for label in labels)
        which = "dets åbne felt" if len(labels) == 1 else f"dets {len(labels)} åbne felter"
        super().__init__(f"Kravet kan ikke godkendes, før {which} er udfyldt: {names}.")


@dataclass(frozen=True)
class Entry:
    entry_id: str
    section_id: str
    position: int
    card: RequirementCard
    status: ReviewStatus
    comment: str
    version: int


@dataclass(frozen=True)
class TenderRow:
    tender_id: str
    name: str
    organisation: str
    category: str
    created_at: float


@dataclass(frozen=True)
class SectionRow:
    section_id: str
    tender_id: str
    title: str
    position: int


@dataclass(frozen=True)
class HistoryItem:
    version: int
    who: str
    at: float
    action: str
    detail: dict


class Workspace:
    def __init__(self, target: Path | Database) -> None:
        """``target``: the SQLite file of a laptop, or a shared Database (PostgreSQL for several instances)."""
        self._db = target if isinstance(target, Database) else Database.sqlite(target, "workspace")
        self._db.migrate(_MIGRATIONS)

    def close(self) -> None:
        self._db.close()

    @property
    def accounts(self) -> Accounts:
        return Accounts(self._db)

    @property
    def schema_version(self) -> int:
        return self._db.schema_version()

    # --- tenders and sections ----------------------------------------------
    def create_tender(self, name: str, organisation: str, category: str,
                      sections: tuple[str, ...] = ()) -> str:
        """A new tender, optionally with its sections (the UI passes DEFAULT_SECTIONS)."""
        if not name.strip():
            raise WorkspaceError("Udbuddet skal have et navn.")
        tender_id = uuid.uuid4().hex[:12]
        with self._db.transaction() as db:
            db.execute("INSERT INTO tenders VALUES (?,?,?,?,?)",
                       (tender_id, name.strip(), organisation.strip(), category.strip(), time.time()))
            for title in sections:
                self._insert_section(db, tender_id, title)
        return tender_id

    def tenders(self) -> list[TenderRow]:
        return [TenderRow(**dict(r)) for r in self._db.execute("SELECT * FROM tenders ORDER BY created_at")]

    def tender(self, tender_id: str) -> TenderRow:
        row = self._db.execute("SELECT * FROM tenders WHERE tender_id=?", (tender_id,)).fetchone()
        if row is None:
            raise WorkspaceError(f"Der findes intet udbud med id '{tender_id}'.")
        return TenderRow(**dict(row))

    def add_section(self, tender_id: str, title: str) -> str:
        if not title.strip():
            raise WorkspaceError("Afsnittet skal have en overskrift.")
        with self._db.transaction() as db:
            if not db.execute("SELECT 1 FROM tenders WHERE tender_id=?", (tender_id,)).fetchone():
                raise WorkspaceError("Udbuddet findes ikke.")
            return self._insert_section(db, tender_id, title)

    @staticmethod
    def _insert_section(db: Tx, tender_id: str, title: str) -> str:
        existing = db.execute("SELECT section_id FROM sections WHERE tender_id=? AND title=?",
                              (tender_id, title.strip())).fetchone()
        if existing:
            return existing["section_id"]
        section_id = uuid.uuid4().hex[:12]
        position = db.execute("SELECT COUNT(*) FROM sections WHERE tender_id=?", (tender_id,)).scalar()
        db.execute("INSERT INTO sections VALUES (?,?,?,?)", (section_id, tender_id, title.strip(), position))
        return section_id

    def sections(self, tender_id: str) -> list[SectionRow]:
        rows = self._db.execute("SELECT * FROM sections WHERE tender_id=? ORDER BY position", (tender_id,))
        return [SectionRow(**dict(r)) for r in rows]

    # --- cards ---------------------------------------------------------------
    def add_card(self, section_id: str, card: RequirementCard, who: str) -> str:
        entry_id = uuid.uuid4().hex[:12]
        with self._db.transaction() as db:
            tender = db.execute("SELECT t.name FROM sections s JOIN tenders t USING (tender_id) "
                                "WHERE s.section_id=?", (section_id,)).fetchone()
            if tender is None:
                raise WorkspaceError("Afsnittet findes ikke.")
            # A slot the tender itself answers (the products in "Rammeaftale om rengøringsartikler") is
            # never left for the buyer to fill by hand.
            card = card_slots.prefill_card(card, ("udbud", tender["name"]))
            position = db.execute("SELECT COUNT(*) FROM tender_cards WHERE section_id=?",
                                  (section_id,)).scalar()
            db.execute("INSERT INTO tender_cards (entry_id, section_id, position, card) VALUES (?,?,?,?)",
                       (entry_id, section_id, position, card.model_dump_json()))
            self._log(db, entry_id, 1, who, "tilføjet", {"card_id": card.id})
        return entry_id

    def entries(self, section_id: str, status: str | None = None) -> list[Entry]:
        sql = "SELECT * FROM tender_cards WHERE section_id=?"
        args: list[object] = [section_id]
        if status:
            sql += " AND status=?"
            args.append(status)
        return [self._entry(r) for r in self._db.execute(sql + " ORDER BY position", args)]

    def entry(self, entry_id: str) -> Entry:
        row = self._db.execute("SELECT * FROM tender_cards WHERE entry_id=?", (entry_id,)).fetchone()
        if row is None:
            raise WorkspaceError("Kravet findes ikke (det kan være slettet).")
        return self._entry(row)

    def edit_card(self, entry_id: str, expected_version: int, who: str, fields: dict[str, str],
                  recheck: Recheck | None = None, action: str = "redigeret") -> Entry:
        """Change text fields of a card; ``recheck`` re-judges the edited sentences
        (CardRechecker) so an edit is never shown as sourced without a check."""
        allowed = {"title", "text", "documentation", "follow_up", "rationale"}
        unknown = set(fields) - allowed
        if unknown:
            raise WorkspaceError(f"Disse felter kan ikke redigeres: {', '.join(sorted(unknown))}.")
        fields = {k: v.strip() for k, v in fields.items()}
        if not all(fields.values()):
            raise WorkspaceError("Et felt i kravet kan ikke være tomt.")
        with self._db.transaction() as db:
            current = self._checked(db, entry_id, expected_version)
            changes = {k: {"før": getattr(current.card, k), "efter": v} for k, v in fields.items()
                       if getattr(current.card, k) != v}
            if not changes:
                return current
            card = card_slots.reconcile(current.card.model_copy(update=fields))
            if recheck:
                card = recheck(current.card, card, who or "ukendt")
            if current.status != "udkast":
                # A reviewed text that changes is no longer the text that was reviewed: it goes
                # back to "udkast", so an approved-only export never carries unreviewed wording.
                changes["status"] = {"før": current.status, "efter": "udkast"}
            db.execute("UPDATE tender_cards SET card=?, status='udkast', version=version+1 WHERE entry_id=?",
                       (card.model_dump_json(), entry_id))
            self._log(db, entry_id, expected_version + 1, who, action, changes)
        return self.entry(entry_id)

    def undo_edit(self, entry_id: str, expected_version: int, who: str, recheck: Recheck | None = None) -> Entry:
        """Put back the text before the card's last edit, as a new version (the edit and its undoing both stay
        in the history). Only the last change can be undone, so no later change is silently lost."""
        last = self.history(entry_id)[-1:]
        if not last or last[0].action != "redigeret":
            raise WorkspaceError("Kravets seneste ændring er ikke en redigering af teksten, så der er intet at "
                                 "fortryde.")
        before = {k: v["før"] for k, v in last[0].detail.items() if k != "status" and isinstance(v, dict)}
        return self.edit_card(entry_id, expected_version, who, before, recheck=recheck, action="fortrudt")

    def set_status(self, entry_id: str, expected_version: int, who: str, status: str,
                   comment: str = "", role: str | None = None) -> Entry:
        """A card with open slots cannot be approved (``OpenSlotsError`` names them). With a ``role`` (a logged-in
        user), only a jurist or an admin may set a review status other than udkast."""
        if status not in STATUSES:
            raise WorkspaceError(f"Ukendt status '{status}'. Brug: {', '.join(STATUSES)}.")
        refused = refusal(role, "gennemgang") if status != "udkast" else None
        if refused:
            raise WorkspaceError(refused)
        with self._db.transaction() as db:
            current = self._checked(db, entry_id, expected_version)
            detail: dict[str, object] = {"status": status, "kommentar": comment}
            if status == "godkendt" and current.card.open_slots:
                raise OpenSlotsError(current.card.open_slots)
            db.execute("UPDATE tender_cards SET status=?, comment=?, version=version+1 WHERE entry_id=?",
                       (status, comment, entry_id))
            self._log(db, entry_id, expected_version + 1, who, "status", detail)
        return self.entry(entry_id)

    def fill_slots(self, entry_id: str, expected_version: int, who: str, values: dict[str, str]) -> Entry:
        """Fill open slots of a card by slot id (or Danish label). The filled sentences keep the support
        they were judged to have (the value is the buyer's own); a reviewed card goes back to "udkast"."""
        with self._db.transaction() as db:
            current = self._checked(db, entry_id, expected_version)
            by_label = {s.label.lower(): s.id for s in current.card.slots}
            values = {by_label.get(k.strip().lower(), k.strip()): v for k, v in values.items()}
            try:
                card = card_slots.fill(current.card, values, filled_by="køber")
            except ValueError as exc:
                raise WorkspaceError(str(exc)) from None
            changes: dict[str, object] = {"felter": {s.label: s.value for s in card.slots if s.id in values}}
            if current.status != "udkast":
                changes["status"] = {"før": current.status, "efter": "udkast"}
            db.execute("UPDATE tender_cards SET card=?, status='udkast', version=version+1 WHERE entry_id=?",
                       (card.model_dump_json(), entry_id))
            self._log(db, entry_id, expected_version + 1, who, "felter udfyldt", changes)
        return self.entry(entry_id)

    def move(self, entry_id: str, expected_version: int, who: str, new_position: int) -> None:
        with self._db.transaction() as db:
            current = self._checked(db, entry_id, expected_version)
            ids = [r["entry_id"] for r in db.execute(
                "SELECT entry_id FROM tender_cards WHERE section_id=? ORDER BY position", (current.section_id,))]
            ids.remove(entry_id)
            ids.insert(max(0, min(new_position, len(ids))), entry_id)
            for position, eid in enumerate(ids):
                db.execute("UPDATE tender_cards SET position=? WHERE entry_id=?", (position, eid))
            db.execute("UPDATE tender_cards SET version=version+1 WHERE entry_id=?", (entry_id,))
            self._log(db, entry_id, expected_version + 1, who, "flyttet", {"position": new_position})

    def remove_card(self, entry_id: str, expected_version: int, who: str) -> None:
        """Take a card out of its section; its history stays, with the removal as the last item, and that item
        holds the whole card, so ``restore_card`` can put it back."""
        with self._db.transaction() as db:
            current = self._checked(db, entry_id, expected_version)
            db.execute("DELETE FROM tender_cards WHERE entry_id=?", (entry_id,))
            db.execute("UPDATE tender_cards SET position=position-1 WHERE section_id=? AND position>?",
                       (current.section_id, current.position))
            self._log(db, entry_id, expected_version + 1, who, "fjernet",
                      {"card_id": current.card.id, "titel": current.card.title,
                       "fortryd": {"kort": current.card.model_dump(mode="json"), "status": current.status,
                                   "kommentar": current.comment, "afsnit": current.section_id,
                                   "position": current.position}})

    def restore_card(self, entry_id: str, who: str) -> Entry:
        """Undo a removal: the card comes back where it was, with its status, comment and history."""
        with self._db.transaction() as db:
            if db.execute("SELECT 1 FROM tender_cards WHERE entry_id=?", (entry_id,)).fetchone():
                raise WorkspaceError("Kravet står allerede i udbuddet.")
            row = db.execute("SELECT * FROM card_history WHERE entry_id=? ORDER BY id DESC LIMIT 1",
                             (entry_id,)).fetchone()
            saved = json.loads(row["detail"]).get("fortryd") if row and row["action"] == "fjernet" else None
            if not saved or row is None:
                raise WorkspaceError("Kravet kan ikke sættes ind igen (der er ingen fjernelse at fortryde).")
            if not db.execute("SELECT 1 FROM sections WHERE section_id=?", (saved["afsnit"],)).fetchone():
                raise WorkspaceError("Afsnittet, kravet stod i, findes ikke længere.")
            count = db.execute("SELECT COUNT(*) FROM tender_cards WHERE section_id=?", (saved["afsnit"],)).scalar()
            position = min(saved["position"], count)
            db.execute("UPDATE tender_cards SET position=position+1 WHERE section_id=? AND position>=?",
                       (saved["afsnit"], position))
            version = row["version"] + 1
            card = RequirementCard.model_validate(saved["kort"])
            db.execute("INSERT INTO tender_cards VALUES (?,?,?,?,?,?,?)",
                       (entry_id, saved["afsnit"], position, card.model_dump_json(), saved["status"],
                        saved["kommentar"], version))
            self._log(db, entry_id, version, who, "gendannet", {"titel": card.title})
        return self.entry(entry_id)

    def history(self, entry_id: str) -> list[HistoryItem]:
        rows = self._db.execute("SELECT * FROM card_history WHERE entry_id=? ORDER BY id", (entry_id,))
        return [HistoryItem(r["version"], r["who"], r["at"], r["action"], json.loads(r["detail"])) for r in rows]

    # --- snapshots ----------------------------------------------------------------
    def snapshot(self, tender_id: str, documents: Sequence[SourceDocument] = ()) -> Tender:
        """The whole tender as one Tender document (for JSON dumps and every export)."""
        row = self.tender(tender_id)
        cited: set[str] = set()
        sections = []
        for section in self.sections(tender_id):
            entries = []
            for e in self.entries(section.section_id):
                cited.update(c.doc_id for c in e.card.citations)
                entries.append(TenderEntry(
                    card=e.card, status=e.status, comment=e.comment, version=e.version, entry_id=e.entry_id,
                    history=[HistoryRecord(version=h.version, who=h.who, at=_datetime(h.at), action=h.action,
                                           detail=h.detail) for h in self.history(e.entry_id)]))
            sections.append(TenderSection(title=section.title, entries=entries))
        return Tender(tender_id=tender_id, name=row.name, organisation=row.organisation,
                      category=row.category, created_at=iso_time(row.created_at), sections=sections,
                      documents=[d for d in documents if d.doc_id in cited])

    def import_tender(self, tender: Tender, who: str) -> str:
        """A new tender from a snapshot (a dump from another machine, or the shipped example).

        It gets fresh ids; statuses, comments and the full history (who and when) are kept,
        and a last history item records the import itself.
        """
        tender_id = uuid.uuid4().hex[:12]
        with self._db.transaction() as db:
            db.execute("INSERT INTO tenders VALUES (?,?,?,?,?)",
                       (tender_id, tender.name, tender.organisation, tender.category, time.time()))
            for section in tender.sections:
                section_id = self._insert_section(db, tender_id, section.title)
                for position, entry in enumerate(section.entries):
                    entry_id = uuid.uuid4().hex[:12]
                    version = max([entry.version, *(h.version for h in entry.history)]) + 1
                    # A snapshot from before approval was blocked may hold an approved card with open slots;
                    # it comes in as a draft, so the rule holds for every card in the workspace.
                    status = "udkast" if entry.status == "godkendt" and entry.card.open_slots else entry.status
                    db.execute("INSERT INTO tender_cards VALUES (?,?,?,?,?,?,?)",
                               (entry_id, section_id, position, entry.card.model_dump_json(), status,
                                entry.comment, version))
                    for h in entry.history:
                        self._log(db, entry_id, h.version, h.who, h.action, h.detail, at=h.at.timestamp())
                    detail: dict[str, object] = {"status": status, "kommentar": entry.comment}
                    if status != entry.status:
                        detail["status"] = {"før": entry.status, "efter": status}
                        detail["åbne felter"] = list(entry.card.open_slots)
                    self._log(db, entry_id, version, who, "importeret", detail)
        return tender_id

    # --- internals -------------------------------------------------------------
    def _checked(self, db: Tx, entry_id: str, expected_version: int) -> Entry:
        row = db.execute("SELECT * FROM tender_cards WHERE entry_id=?", (entry_id,)).fetchone()
        if row is None:
            raise WorkspaceError("Kravet findes ikke (det kan være slettet).")
        if row["version"] != expected_version:
            raise StaleEditError(
                "Kravet er ændret af en anden, siden du åbnede det (version "
                f"{row['version']}, du havde version {expected_version}). Genindlæs og ret igen.")
        return self._entry(row)

    @staticmethod
    def _log(db: Tx, entry_id: str, version: int, who: str, action: str, detail: dict,
             at: float | None = None) -> None:
        db.execute("INSERT INTO card_history (entry_id, version, who, at, action, detail) VALUES (?,?,?,?,?,?)",
                   (entry_id, version, who or "ukendt", time.time() if at is None else at, action,
                    json.dumps(detail, ensure_ascii=False)))

    @staticmethod
    def _entry(row: Record) -> Entry:
        return Entry(row["entry_id"], row["section_id"], row["position"],
                     RequirementCard.model_validate_json(row["card"]), row["status"], row["comment"],
                     row["version"])


def _datetime(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds).astimezone().replace(microsecond=0)


def iso_time(seconds: float) -> str:
    return _datetime(seconds).isoformat()
