from __future__ import annotations

import io
import json

from assistant.cli import run
from assistant.services import Services
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
    assert code == 0 and result["answer"].endswith("[1]")
    [citation] = result["citations"]
    assert set(citation) == {"n", "doc_id", "title", "location", "quote"} and citation["n"] == 1


def test_ask_streams_plain_text(settings, embedder):
    _cli(["index"], settings, embedder)
    code, out = _cli(["ask", "Hvad er prisen på en rumraket?"], settings, embedder)
    assert code == 0 and out.startswith("Det fremgår ikke af kilderne.")


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
    code, out = _cli(["draft", "x", "--cards", "7"], settings, embedder)
    assert code == 1
