from __future__ import annotations

import io
import json
import re

from assistant.cli.main import run
from assistant.services import Services
from assistant.settings import ROOT
from tests.fixtures.fakes import ScriptedChatModel
from tests.fixtures.files import make_pdf, truncated_copy


def _cli(argv, settings, embedder, chat=None):
    out = io.StringIO()
    chat = chat or ScriptedChatModel(replies=["Det fremgår ikke af kilderne."])
    code = run(argv, lambda: Services.build(settings, embedder=embedder, chat_model=chat), out=out)
    return code, out.getvalue()


def test_index_then_search_json_matches_the_contract(settings, embedder):
    code, out = _cli(["index", "--json"], settings, embedder)
    assert code == 0 and len(json.loads(out)["added"]) == 3
    code, out = _cli(["search", "klimaafgift oksekød Aarhus", "-k", "3", "--json"], settings, embedder)
    rows = json.loads(out)
    assert code == 0 and len(rows) == 3
    assert set(rows[0]) == {"doc_id", "title", "location", "text", "score"}
    assert rows[0]["score"] >= rows[1]["score"] >= rows[2]["score"]
    source = (settings.corpus_dir / f"{rows[0]['doc_id']}.md").read_text(encoding="utf-8")
    assert rows[0]["text"] in source


def test_ask_json_has_answer_and_resolvable_citations(settings, embedder):
    _cli(["index"], settings, embedder)
    code, out = _cli(["search", "klimaafgift oksekød Aarhus", "--json"], settings, embedder)
    chat = ScriptedChatModel(replies=["Forbruget af oksekød faldt med over 30 pct. [1]"])
    code, out = _cli(["ask", "Hvor meget faldt Aarhus' forbrug af oksekød?", "--json"], settings, embedder, chat)
    result = json.loads(out)
    # Passage 1 is Odense's "indkøbet … faldet med 30 pct.": the same figure, another measure. The checker
    # moves the marker to the passage about beef.
    assert code == 0 and result["answer"].endswith("[2]")
    [citation] = result["citations"]
    assert set(citation) == {"n", "doc_id", "title", "location", "quote"} and citation["n"] == 2
    assert "okse-" in citation["quote"]


def test_ask_streams_plain_text(settings, embedder):
    _cli(["index"], settings, embedder)
    code, out = _cli(["ask", "Hvad er prisen på en rumraket?"], settings, embedder)
    assert code == 0 and "Det fremgår ikke af kilderne." in out and "Kilderne siger" not in out


def test_ask_says_on_stderr_when_it_reads_again_and_prints_only_the_answer_that_holds(settings, embedder, capsys):
    _cli(["index"], settings, embedder)
    capsys.readouterr()
    chat = ScriptedChatModel(replies=["Aarhus sparede 5 millioner kroner på oksekød. [1]",
                                      "Afgiften har nedbragt forbruget af oksekød med over 30 pct."])
    code, out = _cli(["ask", "Hvor meget faldt Aarhus' forbrug af oksekød?"], settings, embedder, chat)
    assert code == 0 and "30 pct." in out and "5 millioner" not in out
    assert "læser mere af hver passage" in capsys.readouterr().err


def test_errors_are_one_danish_sentence_on_stderr_with_non_zero_exit(settings, embedder, tmp_path, capsys):
    code, _ = _cli(["ask", "Hvad?"], settings, embedder)
    assert code == 1 and "Indekset er tomt" in capsys.readouterr().err

    broken = truncated_copy(make_pdf(tmp_path / "hel.pdf", ["tekst " * 300]), tmp_path / "politik.pdf")
    code, out = _cli(["index", str(broken)], settings, embedder)
    err = capsys.readouterr().err
    assert code == 1 and "Fejl: Filen politik.pdf er beskadiget" in err
    assert "Tilføjet: 3" in out  # the corpus itself was still indexed

    code, _ = _cli(["index", str(tmp_path / "mangler.pdf")], settings, embedder)
    assert code == 1 and "findes ikke" in capsys.readouterr().err

    code, _ = _cli(["remove", "ukendt"], settings, embedder)
    assert code == 1 and "intet dokument" in capsys.readouterr().err


def test_documents_lists_the_index(settings, embedder):
    _cli(["index"], settings, embedder)
    code, out = _cli(["documents", "--json"], settings, embedder)
    docs = {d["doc_id"]: d for d in json.loads(out)}
    assert docs["kl-indkoebsstrategi-2020-2024"]["publisher"] == "KL"
    assert docs["principper-cirkulaer-emballage-resume"]["kind"] == "resumé"


def test_draft_json_has_the_card_fields_of_the_contract(settings, embedder):
    _cli(["index"], settings, embedder)
    settings = settings.model_copy(update={"min_template_similarity": 0.15})
    code, out = _cli(["draft", "Skriv et mindstekrav om emballage til rengøringsartikler", "--ambition", "udvidet",
                      "--json"], settings, embedder, ScriptedChatModel(replies=["ikke json"]))
    result = json.loads(out)
    assert code == 0 and result["refusal"] is None
    [card] = result["requirements"]
    assert {"id", "title", "area", "type", "ambition", "category", "text", "documentation", "follow_up",
            "rationale", "legal_basis", "citations", "support"} <= set(card)
    assert card["ambition"] == "udvidet"
    other = result["alternatives"][card["id"]][0]
    code, out = _cli(["draft", "Skriv et mindstekrav om emballage til rengøringsartikler", "--template",
                      other["template_id"], "--json"], settings, embedder, ScriptedChatModel(replies=["ikke json"]))
    assert code == 0 and [c["template_id"] for c in json.loads(out)["requirements"]] == [other["template_id"]]
    code, out = _cli(["draft", "x", "--cards", "7"], settings, embedder)
    assert code == 1


# --- tenders: list, dump, import, export ---------------------------------------------
def _tender_cli(argv, settings):
    out = io.StringIO()

    def no_services():
        raise AssertionError("tender commands must not load the models")

    code = run(argv, no_services, out=out, settings_factory=lambda: settings)
    return code, out.getvalue()


def test_tenders_dump_import_and_export_from_the_command_line(indexed, settings, tmp_path, capsys):
    from docx import Document

    from tests.fixtures.tenders import approve_first, build_tender

    tender_id = build_tender(indexed)
    approve_first(indexed, tender_id)
    code, out = _tender_cli(["tenders"], settings)
    assert code == 0 and f"{tender_id}\tRammeaftale om rengøringsartikler 2027\tTestrup Kommune" in out
    dump = tmp_path / "tender-test.json"
    assert _tender_cli(["dump", tender_id, "-o", str(dump)], settings)[0] == 0
    data = json.loads(dump.read_text(encoding="utf-8"))
    assert data["format"] == "udbudsassistent/udbud" and len(data["sections"]) == 4
    assert {d["doc_id"] for d in data["documents"]} <= {e.meta.doc_id for e in indexed.catalog.entries()}
    out_docx = tmp_path / "bilag.docx"
    code, out = _tender_cli(["export", str(dump), "-o", str(out_docx), "--approved-only", "--review-annex"],
                            settings)
    assert code == 0 and "Eksporteret" in out
    assert [p.text[:4] for p in Document(out_docx).paragraphs if p.style.name == "Heading 2"] == ["K1.1"]
    # Export straight from the workspace by id, one section, as Markdown.
    code, _ = _tender_cli(["export", tender_id, "-o", str(tmp_path / "emballage.md"), "--section", "Emballage"],
                          settings)
    assert code == 0 and "### K3.2" in (tmp_path / "emballage.md").read_text(encoding="utf-8")
    # The bidder's version of the approved requirement (its slots were filled before approval).
    code, out = _tender_cli(["export", str(dump), "-o", str(tmp_path / "udbud.docx"), "--bidder-version"], settings)
    assert code == 0 and (tmp_path / "udbud.docx").exists()
    code, out = _tender_cli(["import", str(dump)], settings)
    assert code == 0 and out.startswith("Indlæst som udbud ")
    assert len(json.loads(_tender_cli(["tenders", "--json"], settings)[1])) == 2


def test_bad_tender_files_get_one_danish_error_and_exit_1(settings, tmp_path, capsys):
    cases = {
        "mangler.json": None,
        "ødelagt.json": b'{"format": "udbudsassistent/udbud", "name": ',
        "forkert.json": b'{"name": "x"}',
        "ugyldig.json": json.dumps({"format": "udbudsassistent/udbud", "name": "x", "organisation": "y",
                                    "category": "z", "sections": [{"title": "A", "entries": [{"card": {}}]}]}
                                   ).encode(),
        "binær.json": b"\xff\xfe\x00\x81garbage",
        "tidspunkt.json": (ROOT / "examples" / "tender-rengoering.json").read_text(encoding="utf-8").replace(
            '"at": "', '"at": "gisteren kl. ', 1).encode(),
    }
    expected = {"mangler.json": "Filen findes ikke", "ødelagt.json": "ikke gyldig JSON (linje 1",
                "forkert.json": "ikke en udbudsfil fra Udbudsassistent",
                "ugyldig.json": "ugyldigt felt ved sections.0.entries.0.card.id",
                "binær.json": "ikke en tekstfil i UTF-8",
                "tidspunkt.json": "ugyldigt felt ved sections.0.entries.0.history.0.at"}
    for name, content in cases.items():
        path = tmp_path / name
        if content is not None:
            path.write_bytes(content)
        code, _ = _tender_cli(["export", str(path), "-o", str(tmp_path / "ud.docx")], settings)
        err = capsys.readouterr().err
        assert code == 1 and err.startswith("Fejl: ") and expected[name] in err, (name, err)
        assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "ud.docx").exists()
    code, _ = _tender_cli(["dump", "findesikke"], settings)
    assert code == 1 and "intet udbud med id 'findesikke'" in capsys.readouterr().err


def test_buyer_and_reviewer_workflow_on_the_command_line(settings, embedder, capsys):
    settings = settings.model_copy(update={"min_template_similarity": 0.15})
    chat = ScriptedChatModel(replies=["ikke json"])
    assert _cli(["index"], settings, embedder)[0] == 0
    code, out = _tender_cli(["tender", "new", "Rammeaftale om rengøringsartikler 2027", "--organisation",
                             "Testrup Kommune", "--category", "rengøringsartikler"], settings)
    tender_id = out.split()[2]
    assert code == 0 and "Miljøkrav, Sociale klausuler, Emballage, Kontraktstyring" in out
    code, out = _cli(["tender", "add", tender_id, "Skriv et mindstekrav om emballage til rengøringsartikler",
                      "--cards", "2", "--who", "Ida"], settings, embedder, chat)
    assert code == 0 and out.startswith("K3.1 ") and "\nK3.2 " in out and "er tilføjet til Emballage" in out
    code, out = _tender_cli(["tender", "show", tender_id], settings)
    assert "3 Emballage" in out and "K3.1  udkast" in out
    code, out = _tender_cli(["tender", "card", tender_id, "K3.2"], settings)
    open_slots = re.findall(r"Åbent felt: «[^»]+» \((\w+)(, [^)]+)?\)", out)
    assert open_slots
    code, _ = _tender_cli(["tender", "status", tender_id, "k3.2", "godkendt", "--who", "Jonas Jurist"], settings)
    assert code == 1 and "kan ikke godkendes, før" in capsys.readouterr().err
    code, out = _tender_cli(["tender", "fill", tender_id, "K3.2",
                             *(f"{slot_id}={'5' if unit else 'paller'}" for slot_id, unit in open_slots),
                             "--who", "Ida"], settings)
    assert code == 0 and "er gemt som version 2; ingen åbne felter." in out
    code, out = _tender_cli(["tender", "status", tender_id, "k3.2", "godkendt", "--comment", "OK.",
                             "--who", "Jonas Jurist"], settings)
    assert code == 0 and out.strip() == "K3.2 er sat til «godkendt»."
    code, out = _tender_cli(["tender", "move", tender_id, "K3.2", "1", "--who", "Ida"], settings)
    assert code == 0
    code, out = _tender_cli(["tender", "show", tender_id, "--status", "godkendt"], settings)
    assert "K3.1  godkendt" in out and "Kommentar: OK." in out and "K3.2" not in out
    code, out = _cli(["tender", "edit", tender_id, "K3.1", "tekst", "Leverandøren skal levere 937 paller.",
                      "--who", "Ida"], settings, embedder, chat)
    assert code == 0 and "version 5" in out and "tal uden kilde: 937" in out
    code, out = _tender_cli(["tender", "history", tender_id, "K3.1"], settings)
    assert re.findall(r"\d\d:\d\d  [^:]+: ([\w ]+) —", out) == [
        "Tilføjet", "Felter udfyldt", "Status", "Flyttet", "Redigeret"]
    assert "Jonas Jurist: Status — godkendt: OK.\n" in out + "\n"
    code, out = _tender_cli(["tender", "card", tender_id, "K3.1"], settings)
    assert "[IKKE UNDERBYGGET]" in out and "Historik:" in out
    code, out = _tender_cli(["tender", "remove", tender_id, "K3.2", "--who", "Ida"], settings)
    assert code == 0 and "fjernet" in out
    code, _ = _tender_cli(["tender", "card", tender_id, "K9.9"], settings)
    assert code == 1 and "intet krav 'K9.9'. Kravene er: K3.1" in capsys.readouterr().err


def test_usage_errors_are_danish_with_exit_code_2(settings, capsys):
    import pytest

    for argv, expected in ((["tender", "status", "x", "K1.1", "godkendt"], "disse argumenter mangler: --who"),
                           (["tender", "status", "x", "K1.1", "måske", "--who", "a"], "status: ugyldigt valg 'måske'"),
                           (["search", "q", "-k", "x"], "-k: ugyldig værdi 'x'")):
        with pytest.raises(SystemExit) as exit_info:
            _tender_cli(argv, settings)
        assert exit_info.value.code == 2 and f"Fejl: {expected}" in capsys.readouterr().err


def test_a_database_that_cannot_be_reached_or_named_is_one_danish_sentence(settings, embedder, capsys):
    from tests.fixtures.servers import free_port

    for url, expected in ((f"postgresql://udb@127.0.0.1:{free_port()}/udbud", "kan ikke nås"),
                          ("mysql://bruger@vaert/navn", "SQLite eller PostgreSQL"),
                          ("::ikke en adresse", "kan ikke læses")):
        broken = settings.model_copy(update={"database_url": url})
        for argv in (["tenders"], ["search", "emballage"]):
            code = run(argv, lambda s=broken: Services.build(s, embedder=embedder), out=io.StringIO(),
                       settings_factory=lambda s=broken: s)
            err = capsys.readouterr().err
            assert code == 1 and err.startswith("Fejl: ") and expected in err and "Traceback" not in err, err
