"""`python -m evals retrieval | bench | answers` — prints a table and writes a results file."""

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
    bench = sub.add_parser("bench", help="index build, query latency and LLM timings")
    bench.add_argument("--ask", type=int, default=5, help="number of questions timed with the LLM")
    answers = sub.add_parser("answers", help="answer quality with the real LLM")
    answers.add_argument("--limit", type=int, default=0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    if args.command == "retrieval":
        from evals import retrieval

        services = Services.build(Settings())
        try:
            print(retrieval.run(services, RESULTS))
        finally:
            services.close()
    elif args.command == "bench":
        from evals import bench as bench_mod

        print(bench_mod.run(Settings(), RESULTS, ask_count=args.ask))
    elif args.command == "answers":
        from evals import answers as answers_mod

        services = Services.build(Settings())
        try:
            print(answers_mod.run(services, RESULTS, limit=args.limit))
        finally:
            services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
