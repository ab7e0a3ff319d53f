"""Validate evals/questions.jsonl against the corpus and print summary counts."""
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "corpus" / "documents"
QFILE = Path(__file__).resolve().parent / "questions.jsonl"


def main() -> int:
    errors = []
    rows = [json.loads(l) for l in QFILE.read_text(encoding="utf-8").splitlines() if l.strip()]
    texts = {p.stem: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}
    ids = [r["id"] for r in rows]
    for i, d in Counter(ids).items():
        if d > 1:
            errors.append(f"duplicate id {i}")
    if ids != [f"q{k:02d}" for k in range(1, len(rows) + 1)]:
        errors.append("ids not sequential q01..")
    keys = {"id", "question", "lang", "doc_id", "evidence", "answer", "answerable"}
    for r in rows:
        rid = r.get("id")
        if set(r) - {"near_miss"} != keys:
            errors.append(f"{rid}: fields {sorted(r)}")
        if r["lang"] not in ("da", "en"):
            errors.append(f"{rid}: bad lang")
        if r["answerable"]:
            doc, ev = r["doc_id"], r["evidence"]
            if doc not in texts:
                errors.append(f"{rid}: unknown doc {doc}")
                continue
            if not (40 <= len(ev) <= 160):
                errors.append(f"{rid}: evidence length {len(ev)}")
            if "\n\n" in ev or any(l.lstrip().startswith("#") for l in ev.split("\n")):
                errors.append(f"{rid}: evidence spans paragraph/heading")
            c = texts[doc].count(ev)
            if c != 1:
                errors.append(f"{rid}: evidence occurs {c}x in {doc}")
        else:
            if r["doc_id"] is not None or r["evidence"] is not None:
                errors.append(f"{rid}: unanswerable must have null doc_id/evidence")
    ans = [r for r in rows if r["answerable"]]
    print("total:", len(rows), "answerable:", len(ans), "unanswerable:", len(rows) - len(ans))
    print("answerable by lang:", dict(Counter(r["lang"] for r in ans)))
    print("answerable by doc:", dict(Counter(r["doc_id"] for r in ans)))
    print("unanswerable by lang:", dict(Counter(r["lang"] for r in rows if not r["answerable"])))
    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
