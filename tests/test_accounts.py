"""Accounts and roles for a shared server: argon2 hashes in the workspace database, the users command, roles
enforced in the library (approval) and in the handlers (documents), and the history recording the account."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace

import pytest

from assistant.accounts import AccountError, refusal
from assistant.cli.main import run
from assistant.tenders.workspace import Workspace, WorkspaceError
from tests.fixtures.tenders import build_tender
from tests.test_workspace import _card

PASSWORD = "korrekt hest batteri"


@pytest.fixture
def ws(settings):
    workspace = Workspace(settings.database("workspace"))
    yield workspace
    workspace.close()


def test_passwords_are_hashed_checked_and_changed(ws):
    accounts = ws.accounts
    accounts.add("karen", "jurist", PASSWORD)
    stored = ws._db.execute("SELECT password FROM users").fetchone()[0]
    assert stored.startswith("$argon2") and PASSWORD not in stored
    assert accounts.verify("karen", PASSWORD) and not accounts.verify("karen", "forkert kode!!")
    assert not accounts.verify("ukendt", PASSWORD) and not accounts.verify("", "")
    accounts.set_password("karen", "et nyt langt kodeord")
    assert accounts.verify("karen", "et nyt langt kodeord") and not accounts.verify("karen", PASSWORD)
    assert accounts.role("karen") == "jurist" and [a.username for a in accounts.all()] == ["karen"]
    for bad, message in ((lambda: accounts.add("karen", "jurist", PASSWORD), "findes allerede"),
                         (lambda: accounts.add("bo", "chef", PASSWORD), "Ukendt rolle"),
                         (lambda: accounts.add("bo", "indkøber", "kort"), "mindst 10 tegn"),
                         (lambda: accounts.add("bo og ib", "indkøber", PASSWORD), "uden mellemrum"),
                         (lambda: accounts.remove("bo"), "findes ikke")):
        with pytest.raises(AccountError, match=message):
            bad()
    accounts.remove("karen")
    assert accounts.all() == [] and not accounts.verify("karen", "et nyt langt kodeord")


def test_only_a_jurist_or_admin_sets_a_review_status_in_the_library(ws):
    tender = ws.create_tender("Udbud", "Kommune", "rengøring")
    entry_id = ws.add_card(ws.add_section(tender, "Emballage"), _card(), "ida")
    with pytest.raises(WorkspaceError, match="Kun en jurist"):
        ws.set_status(entry_id, 1, "ida", "godkendt", role="indkøber")
    assert ws.set_status(entry_id, 1, "ida", "udkast", role="indkøber").version == 2  # udkast is anyone's
    assert ws.set_status(entry_id, 2, "karen", "skal rettes", "Ret § 3.", role="jurist").status == "skal rettes"
    assert ws.set_status(entry_id, 3, "lokal", "godkendt").status == "godkendt"  # no login: the laptop mode
    assert refusal("admin", "dokumenter") is None and "administrator" in refusal("jurist", "dokumenter")


def test_the_users_command_adds_lists_and_removes(tmp_path, monkeypatch):
    from assistant.settings import Settings

    settings = Settings(data_dir=tmp_path / "data", _env_file=None)

    def cli(*argv: str, stdin: str = "") -> tuple[int, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        out = io.StringIO()
        return run(["users", *argv], lambda: None, out=out, settings_factory=lambda: settings), out.getvalue()

    assert cli("add", "karen", "--role", "jurist", "--password-stdin", stdin=PASSWORD + "\n")[0] == 0
    code, out = cli("list", "--json")
    assert code == 0 and [(u["username"], u["role"]) for u in json.loads(out)] == [("karen", "jurist")]
    assert cli("add", "bo", "--role", "indkøber", "--password-stdin", stdin="kort\n")[0] == 1
    assert cli("remove", "karen")[0] == 0 and "Ingen brugere" in cli("list")[1]


def test_logged_in_the_history_records_the_account_and_roles_hold_in_the_app(app, indexed, tmp_path):
    accounts = indexed.workspace.accounts
    accounts.add("ida", "indkøber", PASSWORD)
    accounts.add("karen", "jurist", PASSWORD)
    ida, karen = SimpleNamespace(username="ida"), SimpleNamespace(username="karen")
    tender_id = build_tender(indexed)
    r = app.review
    entry_id = r.open_review(tender_id, app.views.services.workspace.snapshot(tender_id).sections[0]
                             .entries[0].entry_id)[r.reviewing]["entry_id"]
    reviewing = {"entry_id": entry_id, "version": indexed.workspace.entry(entry_id).version}
    out = r.save_review(tender_id, reviewing, "Jonas Jurist", "afvist", "Nej.", "Alle", request=ida)
    assert "Kun en jurist" in out[r.review_message]
    out = r.save_review(tender_id, reviewing, "Jonas Jurist", "afvist", "Nej.", "Alle", request=karen)
    assert out[r.review_message].startswith("✅")
    assert indexed.workspace.history(entry_id)[-1].who == "karen"  # the account, not the typed name
    docs = app.documents
    corpus_doc = indexed.catalog.entries()[0].meta.doc_id
    assert "Kun en administrator" in docs.save_meta(corpus_doc, "Ny titel", "KL", "2024", "strategi",
                                                    request=ida)[docs.doc_message]
    bad = tmp_path / "ny.txt"
    bad.write_text("Et dokument.", encoding="utf-8")
    assert "Kun en administrator" in docs.upload([str(bad)], progress=lambda *a, **k: None,
                                                 request=karen)[docs.status]
    # On a shared server, nobody changes anything without a login.
    indexed.settings.auth = True
    out = app.tender.save_entry(tender_id, {"entry_id": entry_id, "version": 1}, "Ida", "T", "x", "y", "z")
    assert "Log ind" in out[app.tender.entry_status]


def test_a_server_beyond_loopback_without_users_does_not_start(app, indexed):
    from assistant.ui.app import launch

    indexed.settings.host = "0.0.0.0"
    assert indexed.settings.login_required
    with pytest.raises(SystemExit, match="ingen brugere"):
        launch(app)


def test_only_an_admin_changes_documents_in_the_library(indexed, tmp_path):
    from assistant.ingest.index import NotAllowed

    upload = tmp_path / "politik.md"
    upload.write_text("# Politik\n\nLeverandøren skal tage emballagen retur.\n", encoding="utf-8")
    for role in ("indkøber", "jurist"):
        with pytest.raises(NotAllowed, match="Kun en administrator"):
            indexed.indexer.add_files([upload], role=role)
    assert indexed.indexer.add_files([upload], role="admin").added == ["politik"]
    with pytest.raises(NotAllowed):
        indexed.indexer.correct_meta("politik", title="X", publisher="", year="", kind="", role="jurist")
    with pytest.raises(NotAllowed):
        indexed.indexer.remove("politik", role="indkøber")
    assert indexed.indexer.remove("politik")  # the command line (no role) is the server's operator
