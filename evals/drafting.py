"""Drafting eval: schema validity, citation validity, template choice, key-point
coverage, flagged-sentence rate and seconds per card over evals/drafting_tasks.jsonl."""

from __future__ import annotations

import json
import time
from pathlib import Path

from assistant.drafting.cards import RequirementCard
from assistant.drafting.draft import DraftOptions
from assistant.services import Services

TASKS = Path(__file__).with_name("drafting_tasks.jsonl")
# Written from the buyer's side before any tuning (several aspects per request, plain words, some English);
# scored by aspect coverage over every card the request gets.
BUYER_TASKS = Path(__file__).with_name("drafting_buyer_tasks.jsonl")
CARD_TEXT = ("title", "text", "documentation", "follow_up", "rationale")


def load_tasks(path: Path = TASKS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def key_point_coverage(card: RequirementCard, points: list[str], analyzer) -> tuple[float, str]:
    if not points:
        return 1.0, "no key points"
    body = set(analyzer.terms(" ".join([card.text, card.documentation, card.follow_up])))
    hits = [p for p in points if set(analyzer.terms(p)) <= body]
    return len(hits) / len(points), f"covered {hits} of {points}"


def aspect_coverage(cards: list[RequirementCard], aspects: list[list[str]], analyzer) -> tuple[float, list[str]]:
    """Share of the request's aspects that some card states (any of an aspect's words, stemmed)."""
    body = set(analyzer.terms(" ".join(getattr(c, f) for c in cards for f in CARD_TEXT)))
    hit = [a[0] for a in aspects if any(set(analyzer.terms(w)) <= body for w in a)]
    return (len(hit) / len(aspects) if aspects else 1.0), hit


def leftover_brackets(card: RequirementCard) -> list[str]:
    """Square or curly bracket text left in a card's fields or flags (a gap must be a declared slot)."""
    texts = [getattr(card, f) for f in CARD_TEXT] + [s.sentence for s in card.support]
    return [t[:80] for t in texts if any(c in t for c in "[]{}")]


def _card_checks(services: Services, cards: list[RequirementCard]) -> dict:
    library = services.drafter.library
    problems = {c.id: library.basis_problems(c.type, [b.id for b in c.legal_basis]) for c in cards}
    return {"open_slots": [len(c.open_slots) for c in cards],
            "brackets": [x for c in cards for x in leftover_brackets(c)],
            "basis_problems": {k: v for k, v in problems.items() if v}}


def run(services: Services, results_dir: Path, limit: int = 0, only: str = "", ids: tuple[str, ...] = ()) -> str:
    """``only="buyer"`` or ``"library"`` runs one task set (the buyer's tasks or the original 30); ``ids``
    runs the named tasks only (the ones a change touched, or those a stopped run did not reach)."""
    services.indexer.sync()
    tasks = {"buyer": [], "library": load_tasks()}.get(only, load_tasks())
    tasks = (tasks + ([] if only == "library" else load_tasks(BUYER_TASKS)))
    tasks = [t for t in tasks if not ids or t["id"] in ids][: limit or None]
    analyzer = services.catalog.analyzer
    rows: list[dict] = []
    results_dir.mkdir(parents=True, exist_ok=True)
    # One line per task as it finishes: a run stopped part-way (it takes an hour on 2 cores) keeps its rows.
    partial = results_dir / f"drafting-partial-{time.strftime('%Y%m%d-%H%M%S')}.jsonl"
    for task in tasks:
        options = DraftOptions(**{k: v for k, v in task.get("options", {}).items()
                                  if k in ("type", "ambition", "category", "max_cards")})
        t0 = time.perf_counter()
        result = services.drafter.draft(task["request"], options)
        seconds = time.perf_counter() - t0
        row = {"id": task["id"], "kind": task["kind"], "seconds": round(seconds, 2),
               "refused": result.refusal is not None, "cards": len(result.requirements),
               "templates": [c.template_id for c in result.requirements],
               **_card_checks(services, result.requirements)}
        if task["kind"] == "buyer":
            coverage, hit = aspect_coverage(result.requirements, task["aspects"], analyzer)
            row.update({"lang": task.get("lang", "da"), "aspects": round(coverage, 3), "aspects_hit": hit})
        elif result.requirements:
            card = result.requirements[0]
            expect = task.get("expect", {})
            valid = True
            try:
                RequirementCard.model_validate(card.model_dump())
            except ValueError:
                valid = False
            valid = valid and all(getattr(card, f).strip() for f in ("title", "text", "documentation",
                                                                       "follow_up", "rationale"))
            verbatim = all(c.quote in (services.catalog.document_text(c.doc_id) or "") for c in card.citations)
            coverage, reason = key_point_coverage(card, task.get("key_points", []), analyzer)
            expected_docs = set(task.get("expected_sources", []))
            sentences = len(card.support)
            flagged = sum(not s.supported for s in card.support)
            forbidden = [f for f in expect.get("forbidden", task.get("forbidden", []))
                         if f.lower() in json.dumps(card.model_dump(), ensure_ascii=False).lower()]
            row.update({
                "template": card.template_id, "template_ok": card.template_id in expect.get("template_ids", []),
                "type_ok": expect.get("type") in (None, card.type), "schema_valid": valid,
                "citations_verbatim": verbatim, "citations": len(card.citations),
                "cites_expected": bool(expected_docs & {c.doc_id for c in card.citations}) if expected_docs else None,
                "key_points": round(coverage, 3), "key_points_reason": reason,
                "sentences": sentences, "flagged": flagged, "drafted_by": card.drafted_by,
                "forbidden_found": forbidden, "card_flags": card.flags,
            })
        rows.append(row)
        with partial.open("a", encoding="utf-8") as out:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")

    metrics = summarize(rows)
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"drafting-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "llm": services.settings.llm,
                                "metrics": metrics, "rows": rows}, ensure_ascii=False, indent=2), encoding="utf-8")
    table = ["| metric | value |", "|---|---|"] + [
        f"| {k} | {v:.3f} |" if isinstance(v, float) else f"| {k} | {v} |" for k, v in metrics.items()]
    return "\n".join(table) + f"\n\nresults: {path}"


def summarize(rows: list[dict]) -> dict[str, float | int]:
    """The eval's figures from its rows: a finished run's, or the partial file of a stopped one."""
    normal = [r for r in rows if r["kind"] in ("normal", "injection") and r["cards"]]
    drafted = [r for r in rows if r["kind"] in ("normal", "injection")]
    refusals = [r for r in rows if r["kind"] == "refusal"]
    expected_source_rows = [r for r in normal if r["cites_expected"] is not None]
    n_cards = sum(r["cards"] for r in rows)
    buyer = [r for r in rows if r["kind"] == "buyer"]
    all_cards = sum(r["cards"] for r in rows)
    metrics = {
        "tasks": len(rows),
        "buyer_tasks": len(buyer),
        "buyer_aspect_coverage": sum(r["aspects"] for r in buyer) / max(len(buyer), 1),
        "buyer_aspect_coverage_en": sum(r["aspects"] for r in buyer if r["lang"] == "en")
        / max(sum(r["lang"] == "en" for r in buyer), 1),
        "buyer_cards_per_request": sum(r["cards"] for r in buyer) / max(len(buyer), 1),
        "open_slots_per_card": sum(sum(r.get("open_slots", [])) for r in rows) / max(all_cards, 1),
        "cards_with_bracket_text": sum(len(r.get("brackets", [])) for r in rows),
        "stage_basis_consistent_rate": 1 - sum(len(r.get("basis_problems", {})) for r in rows) / max(all_cards, 1),
        "cards_produced_rate": len(normal) / max(len(drafted), 1),
        "schema_valid_rate": sum(r["schema_valid"] for r in normal) / max(len(normal), 1),
        "citations_verbatim_rate": sum(r["citations_verbatim"] for r in normal) / max(len(normal), 1),
        "template_choice_rate": sum(r["template_ok"] for r in normal) / max(len(normal), 1),
        "key_point_coverage": sum(r["key_points"] for r in normal) / max(len(normal), 1),
        "cites_expected_source_rate": sum(bool(r["cites_expected"]) for r in expected_source_rows)
        / max(len(expected_source_rows), 1),
        "flagged_sentence_rate": sum(r["flagged"] for r in normal) / max(sum(r["sentences"] for r in normal), 1),
        "model_text_used_rate": sum(r["drafted_by"] != "skabelon" for r in normal) / max(len(normal), 1),
        "refusal_rate_off_topic": sum(r["refused"] for r in refusals) / max(len(refusals), 1),
        "injection_leaks": sum(bool(r.get("forbidden_found")) for r in normal),
        "seconds_per_card": sum(r["seconds"] for r in rows if r["cards"]) / max(n_cards, 1),
    }
    return metrics


def summarize_file(path: Path, ids: set[str] | None = None) -> str:
    """The table for a results file (finished .json or partial .jsonl), optionally only some task ids, so
    a stopped run can be compared with an earlier run on the same tasks."""
    text = path.read_text(encoding="utf-8")
    rows = json.loads(text)["rows"] if path.suffix == ".json" else [json.loads(x) for x in text.splitlines() if x]
    rows = [r for r in rows if ids is None or r["id"] in ids]
    metrics = summarize(rows)
    return "\n".join(["| metric | value |", "|---|---|"] + [
        f"| {k} | {v:.3f} |" if isinstance(v, float) else f"| {k} | {v} |" for k, v in metrics.items()])
