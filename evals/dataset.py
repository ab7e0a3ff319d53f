"""The question set: evals/questions.jsonl, each answerable question with a verbatim evidence span."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from evals.metrics import Gold

QUESTIONS = Path(__file__).with_name("questions.jsonl")


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    lang: str
    answerable: bool
    doc_id: str | None
    evidence: str | None
    answer: str
    near_miss: bool = False  # unanswerable, next to a figure, year, place or law the corpus does have


def load_questions(path: Path = QUESTIONS) -> list[Question]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Question(r["id"], r["question"], r["lang"], bool(r["answerable"]), r.get("doc_id"),
                     r.get("evidence"), r.get("answer", ""), bool(r.get("near_miss"))) for r in rows]


def gold_for(question: Question, document_text: str) -> Gold:
    start = document_text.find(question.evidence or "\0")
    if start < 0:
        raise ValueError(f"{question.id}: evidence not found verbatim in {question.doc_id}")
    return Gold(question.doc_id or "", start, start + len(question.evidence or ""))
