"""Template-level aspect coverage of the buyer's drafting tasks, without the model (seconds, not an hour):
which templates a request gets, and the share of its aspects their texts state, for one card per request
(the old default) and one card per aspect (drafting/aspects.py). The model only adapts a template's
wording, so this is the part of coverage the choice of templates decides."""

from __future__ import annotations

import json
import time
from pathlib import Path

from assistant.drafting.clauses import ClauseTemplate
from assistant.drafting.draft import Drafter, DraftOptions, _rendered
from assistant.drafting.request import parse_request
from assistant.drafting.slots import card_slots, prefill
from evals.drafting import BUYER_TASKS, load_tasks


def _text(t: ClauseTemplate, request: str) -> str:
    level = next(a for a in ("basis", "udvidet", "frontløber") if a in t.levels)
    lv = _rendered(t.levels[level], prefill(card_slots(t.slots), ("forespørgsel", request)))
    return " ".join([t.title, lv.text, lv.documentation, lv.follow_up, t.rationale])


def run(drafter: Drafter, results_dir: Path) -> str:
    analyzer = drafter.analyzer

    def coverage(templates: list[ClauseTemplate], request: str, aspects: list[list[str]]) -> float:
        body = set(analyzer.terms(" ".join(_text(t, request) for t in templates)))
        return sum(any(set(analyzer.terms(w)) <= body for w in a) for a in aspects) / len(aspects)

    rows = []
    for task in load_tasks(BUYER_TASKS):
        request = parse_request(task["request"])
        ranked = drafter.rank_templates(request, DraftOptions())
        chosen = [t for t, _ in drafter._choose(request, DraftOptions(), ranked)]
        rows.append({"id": task["id"], "lang": task["lang"], "templates": [t.id for t in chosen],
                     "one_card": coverage([ranked[0][1]], task["request"], task["aspects"]),
                     "per_aspect": coverage(chosen, task["request"], task["aspects"])})
    n = len(rows)
    en = [r for r in rows if r["lang"] == "en"]
    metrics = {"tasks": n, "one_card_coverage": sum(r["one_card"] for r in rows) / n,
               "per_aspect_coverage": sum(r["per_aspect"] for r in rows) / n,
               "cards_per_request": sum(len(r["templates"]) for r in rows) / n,
               "english_one_card": sum(r["one_card"] for r in en) / max(len(en), 1),
               "english_per_aspect": sum(r["per_aspect"] for r in en) / max(len(en), 1)}
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"aspects-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"metrics": metrics, "rows": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
    table = ["| metric | value |", "|---|---|"] + [
        f"| {k} | {v:.3f} |" if isinstance(v, float) else f"| {k} | {v} |" for k, v in metrics.items()]
    return "\n".join(table) + f"\n\nresults: {path}"
