"""`python -m assistant users add|passwd|remove|list`: the shared server's accounts, managed by whoever runs the
server (no model is loaded). Passwords are read from the terminal without echo, or one line from standard input
with --password-stdin (for scripts); never from the command line, where other users could see them."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any, TextIO

from assistant.accounts import ROLES, AccountError
from assistant.tenders.workspace import Workspace, iso_time

COMMAND = "users"


def add_parser(sub: Any) -> None:
    p = sub.add_parser(COMMAND, help="brugere og roller til en delt server")
    actions = p.add_subparsers(dest="users_action", required=True)
    a = actions.add_parser("add", help="opret en bruger")
    a.add_argument("username")
    a.add_argument("--role", choices=ROLES, required=True)
    a.add_argument("--password-stdin", action="store_true", help="læs adgangskoden fra standard input")
    a = actions.add_parser("passwd", help="skift en brugers adgangskode")
    a.add_argument("username")
    a.add_argument("--password-stdin", action="store_true", help="læs adgangskoden fra standard input")
    a = actions.add_parser("remove", help="slet en bruger (historikken beholder navnet)")
    a.add_argument("username")
    a = actions.add_parser("list", help="vis brugerne og deres roller")
    a.add_argument("--json", action="store_true")


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Adgangskode: ")
    if getpass.getpass("Gentag adgangskoden: ") != first:
        raise AccountError("De to adgangskoder er ikke ens.")
    return first


def dispatch(args: argparse.Namespace, workspace: Workspace, out: TextIO) -> int:
    accounts = workspace.accounts
    if args.users_action == "add":
        account = accounts.add(args.username, args.role, _password(args))
        print(f"Brugeren «{account.username}» er oprettet med rollen {account.role}.", file=out)
    elif args.users_action == "passwd":
        accounts.set_password(args.username, _password(args))
        print(f"Adgangskoden for «{args.username}» er skiftet.", file=out)
    elif args.users_action == "remove":
        accounts.remove(args.username)
        print(f"Brugeren «{args.username}» er slettet; historikken beholder navnet.", file=out)
    elif args.json:
        print(json.dumps([{"username": a.username, "role": a.role, "created_at": iso_time(a.created_at)}
                          for a in accounts.all()], ensure_ascii=False, indent=2), file=out)
    else:
        rows = accounts.all()
        print("\n".join(f"{a.username:<24}{a.role:<10}{iso_time(a.created_at)[:16].replace('T', ' ')}"
                        for a in rows) or "Ingen brugere. Opret en med: python -m assistant users add NAVN "
                                            "--role admin", file=out)
    return 0
