"""Answer eval with the configured LLM: does it answer what the corpus covers, cite
the passage holding the evidence, quote verbatim, and refuse what is not covered?"""

from __future__ import annotations

import json
import time
from pathlib import Path

from assistant.answering.answer import Final, Quoted, Rereading, Retrieved, Token
from assistant.answering.quotes import select_quotes
from assistant.services import Services
from assistant.types import Answer
from evals.dataset import Question, gold_for, load_questions
from evals.metrics import is_hit


def _timed(services: Services, question: str) -> tuple[Answer, dict[str, float], str, str]:
    """The answer, with the seconds from asking to the sources, the quotes, the first token and the end,
    and the model's raw text (kept so the checker and the gate can be replayed without the model)."""
    started = time.perf_counter()
    stages: dict[str, float] = {}
    answer = None
    raw: list[str] = []
    first: list[str] = []
    for event in services.answerer.stream(question):
        name = {Retrieved: "sources", Quoted: "quotes"}.get(type(event))
        if name:
            stages[name] = round(time.perf_counter() - started, 3)
        if isinstance(event, Token):
            stages.setdefault("first_token", round(time.perf_counter() - started, 3))
            raw.append(event.text)
        if isinstance(event, Rereading):
            # The replay checks the text that was finally judged: the second try's.
            stages["reread"] = round(time.perf_counter() - started, 3)
            first.append("".join(raw))
            raw.clear()
        if isinstance(event, Final):
            answer = event.answer
    stages["total"] = round(time.perf_counter() - started, 2)
    if answer is None:
        raise RuntimeError("the answer stream ended without a result")
    return answer, stages, "".join(raw), "".join(first)


def _p50(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0


def _row(services: Services, q: Question, answer: Answer, stages: dict[str, float], raw: str) -> dict:
    verbatim = all(c.quote in (services.catalog.document_text(c.doc_id) or "") for c in answer.citations)
    row = {"id": q.id, "lang": q.lang, "answerable": q.answerable, "near_miss": q.near_miss,
           "answered": answer.answered, "answer": answer.text, "raw": raw, "seconds": stages.get("total", 0.0),
           "stages": stages, "verbatim": verbatim, "cited": [c.chunk_id for c in answer.citations],
           "quotes": [quote.text for quote in answer.quotes], "warnings": list(answer.warnings)}
    if q.answerable:
        gold = gold_for(q, services.catalog.document_text(q.doc_id) or "")
        chunks = services.catalog.chunks(row["cited"])
        row["cites_evidence"] = any(is_hit(chunks[cid], gold) for cid in row["cited"] if cid in chunks)
        evidence = q.evidence or ""
        row["quotes_evidence"] = any(evidence[:40] in quote or quote[:40] in evidence for quote in row["quotes"])
    return row


def run(services: Services, results_dir: Path, limit: int = 0) -> str:
    services.indexer.sync()
    questions = load_questions()
    if limit:
        answerable = [q for q in questions if q.answerable][:limit]
        questions = answerable + [q for q in questions if not q.answerable][: max(2, limit // 4)]
    rows = []
    results_dir.mkdir(parents=True, exist_ok=True)
    # Rows are written as they finish, so a run stopped halfway still counts (about 30 s a question here).
    partial = results_dir / f"answers-partial-{time.strftime('%Y%m%d-%H%M%S')}.jsonl"
    for q in questions:
        answer, stages, raw, first = _timed(services, q.question)
        rows.append(_row(services, q, answer, stages, raw) | ({"raw_first": first} if first else {}))
        with partial.open("a", encoding="utf-8") as out:
            out.write(json.dumps(rows[-1], ensure_ascii=False) + "\n")
    return _report(services, rows, results_dir, "answers")


def replay(services: Services, source: Path, results_dir: Path) -> str:
    """The gate and the checker of today over the model's raw text of an earlier run (its results file or
    partial rows): what a change to the checker does to answered and refused questions, in seconds."""
    text = source.read_text(encoding="utf-8")
    old = json.loads(text)["rows"] if source.suffix == ".json" else [json.loads(line) for line in text.splitlines()]
    questions = {q.id: q for q in load_questions()}
    answerer = services.answerer
    rows = []
    unknown: list[str] = []
    for before in old:
        q = questions[before["id"]]
        passages = services.retriever.search(q.question, answerer.k)
        quotes = tuple(select_quotes(q.question, passages, answerer.checker.analyzer))
        raw = before.get("raw_first") or before["raw"]
        answer = answerer.finish(q.question, raw, passages, quotes)
        if not answer.answered and "raw_first" in before:
            raw = before["raw"]  # the second try, read wide, as the answerer does it
            answer = answerer.finish(q.question, raw, passages, quotes)
        elif not answer.answered and answerer.reread:
            unknown.append(q.id)  # today's answerer would read again; that run has no second text
        rows.append({**_row(services, q, answer, before["stages"], raw), "answered_before": before["answered"]})
    changed = [f"{r['id']} ({'answerable' if r['answerable'] else 'unanswerable'}): "
               f"{'answered' if r['answered_before'] else 'withheld'} -> {'answered' if r['answered'] else 'withheld'}"
               for r in rows if r["answered"] != r["answered_before"]]
    reread = (f"\n\nwithheld with no second try in that run (today's answerer would read again): "
              f"{', '.join(unknown)}") if unknown and any("raw_first" in r for r in old) else ""
    return _report(services, rows, results_dir, "answers-replay", timings=False) + (
        "\n\nchanged:\n" + "\n".join(changed) if changed else "\n\nno verdict changed") + reread


def _report(services: Services, rows: list[dict], results_dir: Path, name: str, timings: bool = True) -> str:
    pos = [r for r in rows if r["answerable"]]
    neg = [r for r in rows if not r["answerable"]]

    def rate(items: list[dict], key: str, want: bool = True) -> float:
        return sum(bool(r.get(key)) == want for r in items) / max(len(items), 1)

    metrics = {
        "answerable_questions": len(pos),
        "answered_rate": rate(pos, "answered"),
        "answered_rate_da": rate([r for r in pos if r["lang"] == "da"], "answered"),
        "answered_rate_en": rate([r for r in pos if r["lang"] == "en"], "answered"),
        "cites_evidence_rate": rate(pos, "cites_evidence"),
        "quotes_evidence_rate": rate(pos, "quotes_evidence"),
        "unanswerable_questions": len(neg),
        "refusal_rate": rate(neg, "answered", want=False),
        "near_miss_questions": sum(r["near_miss"] for r in neg),
        "near_miss_refusal_rate": rate([r for r in neg if r["near_miss"]], "answered", want=False),
        "quotes_verbatim_rate": rate(rows, "verbatim"),
        "reread_rate": sum("reread" in r["stages"] for r in rows) / max(len(rows), 1),
        "reread_answered": sum("reread" in r["stages"] and r["answered"] and r["answerable"] for r in rows),
    }
    if timings:
        metrics |= {
            "seconds_to_sources_p50": _p50([r["stages"]["sources"] for r in rows]),
            "seconds_to_quotes_p50": _p50([r["stages"]["quotes"] for r in rows]),
            "seconds_to_first_token_p50": _p50([r["stages"].get("first_token", r["seconds"]) for r in rows]),
            "seconds_total_p50": _p50([r["seconds"] for r in rows]),
            "seconds_mean": sum(r["seconds"] for r in rows) / max(len(rows), 1),
        }
    path = results_dir / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "metrics": metrics,
                                "min_similarity": services.settings.answer_min_similarity,
                                "compress": services.settings.answer_compress,
                                "budget_chars": services.settings.answer_budget_chars,
                                "rows": rows}, ensure_ascii=False, indent=2), encoding="utf-8")
    table = ["| metric | value |", "|---|---|"] + [
        f"| {k} | {v:.3f} |" if isinstance(v, float) else f"| {k} | {v} |" for k, v in metrics.items()]
    return "\n".join(table) + f"\n\nresults: {path}"
