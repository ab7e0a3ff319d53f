"""`python -m assistant index | search | ask | draft | documents | remove | doctor`, and the tender
commands of cli_tender.py (`tenders | dump | import | export | tender …`) (DESIGN.md contract).

Errors go to stderr as one Danish sentence with a non-zero exit code.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from assistant.accounts import AccountError
from assistant.answering.answer import Final, Quoted, Rereading, Verified
from assistant.cli import tenders as cli_tender
from assistant.cli import users as cli_users
from assistant.drafting.clauses import AMBITIONS, TYPES
from assistant.drafting.draft import DraftOptions
from assistant.errors import StoreError
from assistant.ingest.index import IndexReport
from assistant.ingest.load import LoadError
from assistant.llm.model_store import ModelError
from assistant.settings import Settings
from assistant.tenders.export import ExportError
from assistant.tenders.tender import TenderFileError
from assistant.tenders.workspace import Workspace, WorkspaceError
from assistant.ui import present

if TYPE_CHECKING:  # the tender commands start without building Services
    from assistant.services import Services

log = logging.getLogger(__name__)


class CliError(Exception):
    """A user-facing error: the message is printed as is."""


_ARGPARSE_DA = [  # argparse's own messages, in the order they are tried
    (re.compile(r"the following arguments are required: (.+)"), r"disse argumenter mangler: \1"),
    (re.compile(r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)"),
     r"\1: ugyldigt valg \2 (vælg mellem \3)"),
    (re.compile(r"argument (\S+): invalid (\w+) value: (.+)"), r"\1: ugyldig værdi \3"),
    (re.compile(r"argument (\S+): expected one argument"), r"\1 skal have en værdi"),
    (re.compile(r"unrecognized arguments: (.+)"), r"ukendte argumenter: \1"),
]


class DanishArgumentParser(argparse.ArgumentParser):
    """argparse with its usage errors in Danish (exit code 2, as argparse does)."""

    def error(self, message: str) -> NoReturn:
        for pattern, danish in _ARGPARSE_DA:
            if pattern.search(message):
                message = pattern.sub(danish, message)
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"Fejl: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = DanishArgumentParser(prog="python -m assistant",
                                     description="Udbudsassistent: kildebaserede svar om offentlige indkøb.")
    parser.add_argument("-v", "--verbose", action="store_true", help="vis logbeskeder")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="indeksér korpus og evt. ekstra filer")
    p.add_argument("paths", nargs="*", type=Path)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("search", help="søg i indekset")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--doc", action="append", dest="docs", help="begræns til dokument-id (kan gentages)")
    p.add_argument("--method", choices=["hybrid", "dense", "lexical"], default="hybrid")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("ask", help="stil et spørgsmål og få et svar med kilder")
    p.add_argument("question")
    p.add_argument("--doc", action="append", dest="docs")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("draft", help="udarbejd kravkort ud fra kravbiblioteket og kilderne")
    p.add_argument("request")
    p.add_argument("--type", choices=TYPES)
    p.add_argument("--ambition", choices=AMBITIONS)
    p.add_argument("--category")
    p.add_argument("--cards", type=int, default=0, help="antal kort (1-3); 0 = ét pr. emne i forespørgslen")
    p.add_argument("--template", help="brug denne skabelon (id fra et korts alternativer); ét kort")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("documents", help="vis de indekserede dokumenter")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("remove", help="fjern et uploadet dokument fra indekset")
    p.add_argument("doc_id")

    p = sub.add_parser("check", help="sammenlign katalog og vektorlager; --repair retter forskellene")
    p.add_argument("--repair", action="store_true", help="indlejr manglende tekststykker igen, slet forældreløse")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("doctor", help="kontrollér maskine, llama.cpp-byg, model og hastighed")
    p.add_argument("--json", action="store_true")

    cli_tender.add_parsers(sub)
    cli_users.add_parser(sub)
    return parser


def _tqdm_progress():
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def progress(done: int, total: int, what: str) -> None:
        bar = bars.get(what)
        if bar is None:
            bar = bars[what] = tqdm(total=total, desc=what[:40], unit="stk", file=sys.stderr, leave=True)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return progress


def _print_report(report: IndexReport, out: TextIO) -> None:
    print(f"Tilføjet: {len(report.added)}, opdateret: {len(report.updated)}, uændret: "
          f"{len(report.unchanged)}, fjernet: {len(report.removed)}; {report.chunks_embedded} "
          f"tekststykker indlejret på {report.seconds:.1f} s.", file=out)


def _require_index(services: Services) -> None:
    if services.catalog.count_chunks() == 0:
        raise CliError("Indekset er tomt. Kør først: python -m assistant index")


def run(argv: Sequence[str] | None, services_factory: Callable[[], Services], out: TextIO | None = None,
        settings_factory: Callable[[], Settings] = Settings) -> int:
    out = out or sys.stdout
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        if args.command == "doctor":
            return _doctor(args, settings_factory(), out)
        if args.command == cli_users.COMMAND:
            workspace = Workspace(settings_factory().database("workspace"))
            try:
                return cli_users.dispatch(args, workspace, out)
            finally:
                workspace.close()
        if args.command in cli_tender.COMMANDS and not cli_tender.needs_services(args):
            # Most tender commands need neither the embedder nor the LLM: start in milliseconds.
            settings = settings_factory()
            workspace = Workspace(settings.database("workspace"))
            try:
                return cli_tender.dispatch(args, settings, workspace, out)
            finally:
                workspace.close()
        services = services_factory()
        try:
            return _dispatch(args, services, out)
        finally:
            services.close()
    except (CliError, LoadError, ModelError, WorkspaceError, TenderFileError, ExportError, AccountError,
            StoreError) as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Afbrudt.", file=sys.stderr)
        return 130


def _doctor(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    from assistant.llm.doctor import as_json, render, run_doctor

    checks = run_doctor(settings)
    if args.json:
        print(json.dumps(as_json(checks), ensure_ascii=False, indent=2), file=out)
    else:
        print(render(checks), file=out)
    return 0 if all(c.ok for c in checks) else 1


def _index(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    progress = None if args.json else _tqdm_progress()
    report = services.indexer.sync(progress)
    if args.paths:
        missing = [str(p) for p in args.paths if not Path(p).is_file()]
        if missing:
            raise CliError(f"Filen findes ikke: {', '.join(missing)}")
        report.merge(services.indexer.add_files(args.paths, progress))
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2), file=out)
    else:
        _print_report(report, out)
    for _name, reason in report.failed:
        print(f"Fejl: {reason}", file=sys.stderr)
    return 1 if report.failed else 0


def _documents(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    entries = services.catalog.entries()
    if args.json:
        print(json.dumps([{"doc_id": e.meta.doc_id, "title": e.meta.title, "publisher": e.meta.publisher,
                           "year": e.meta.year, "kind": e.meta.kind, "source": e.meta.source,
                           "chunks": e.n_chunks} for e in entries], ensure_ascii=False, indent=2), file=out)
    else:
        for e in entries:
            print(f"{e.meta.doc_id}\t{e.n_chunks} stk.\t{e.meta.title}", file=out)
    return 0


def _remove(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    if not services.indexer.remove(args.doc_id):
        raise CliError(f"Der findes intet dokument med id '{args.doc_id}'.")
    print(f"Fjernet: {args.doc_id}", file=out)
    return 0


def _search(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    if args.k < 1:
        raise CliError("-k skal være mindst 1.")
    passages = services.retriever.search(args.query, args.k, doc_ids=args.docs, method=args.method)
    rows = [{"doc_id": p.chunk.doc_id, "title": p.chunk.title, "location": p.chunk.location,
             "text": p.chunk.text, "score": round(p.score, 6)} for p in passages]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2), file=out)
    else:
        for i, r in enumerate(rows, start=1):
            print(f"[{i}] {r['title']} — {r['location']} (score {r['score']:.4f})\n{r['text']}\n", file=out)
    return 0


def _ask(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    answer = None
    shown = ""
    for event in services.answerer.stream(args.question, args.docs):
        if args.json:
            if isinstance(event, Final):
                answer = event.answer
            continue
        if isinstance(event, Quoted) and event.quotes:
            print(present.quotes_text(event.quotes), file=out, flush=True)
        elif isinstance(event, Rereading):
            if shown:
                out.write("\n")
            print(present.REREAD_NOTE, file=sys.stderr, flush=True)
            shown = ""
        elif isinstance(event, Verified):
            # Only sentences the checker let through are printed, as each is finished.
            out.write(event.text[len(shown):] if event.text.startswith(shown) else "\n" + event.text)
            out.flush()
            shown = event.text
        elif isinstance(event, Final):
            answer = event.answer
    if answer is None:
        raise CliError("Der kom intet svar.")
    if args.json:
        print(json.dumps(answer.as_json(), ensure_ascii=False, indent=2), file=out)
        return 0
    if answer.text != shown:
        print(("\n" if shown else "") + answer.text, file=out)
    print(file=out)
    for c in answer.citations:
        print(f"[{c.n}] {c.title} — {c.location}\n    «{c.quote}»", file=out)
    for w in answer.warnings:
        print(f"Advarsel: {w}", file=sys.stderr)
    return 0


def _draft(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    if not 0 <= args.cards <= 3:
        raise CliError("--cards skal være mellem 0 (ét pr. emne) og 3.")
    result = services.drafter.draft(args.request, DraftOptions(
        type=args.type, ambition=args.ambition, category=args.category, max_cards=args.cards,
        template_id=args.template))
    if args.json:
        print(json.dumps(result.model_dump(exclude={"refusal", "notes"}) | {
            "refusal": result.refusal, "notes": result.notes}, ensure_ascii=False, indent=2), file=out)
    else:
        print(present.card_text(result), file=out)
    return 0


def _check(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    report = services.indexer.check(repair=args.repair)
    if args.json:
        print(json.dumps({**asdict(report), "consistent": report.consistent}, ensure_ascii=False), file=out)
    elif report.consistent:
        print(f"Katalog og vektorlager stemmer overens: {report.chunks} tekststykker, {report.vectors} vektorer.",
              file=out)
    else:
        did = f" Rettet: {report.repaired}." if args.repair else " Kør med --repair for at rette det."
        lost = f" {report.unsearchable} vektorer findes ikke ved søgning." if report.unsearchable else ""
        print(f"{report.missing} tekststykker mangler en vektor, og {report.orphans} vektorer har intet "
              f"tekststykke ({report.chunks} tekststykker, {report.vectors} vektorer).{lost}{did}", file=out)
    return 0 if report.consistent or args.repair else 1


# One handler per command; the second value says whether it needs a non-empty index and the model.
_HANDLERS: dict[str, tuple[Callable[..., int], bool, bool]] = {
    "index": (_index, False, False), "documents": (_documents, False, False), "remove": (_remove, False, False),
    "check": (_check, False, False),
    "search": (_search, True, False), "ask": (_ask, True, True), "draft": (_draft, True, True),
}


def _dispatch(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    if args.command in cli_tender.COMMANDS:
        return cli_tender.dispatch(args, services.settings, services.workspace, out, services)
    if args.command not in _HANDLERS:
        raise CliError(f"Ukendt kommando: {args.command}")
    handler, needs_index, needs_model = _HANDLERS[args.command]
    if needs_index:
        _require_index(services)
    if needs_model:
        problem = services.model_problem()  # the runtime's self-test, in a child process, once
        if problem:
            raise CliError(problem)
    return handler(args, services, out)


def main(argv: Sequence[str] | None = None) -> int:
    from assistant.services import Services

    return run(argv, Services.build)
