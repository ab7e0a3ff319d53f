"""Users and roles for a shared server: accounts in the workspace database, passwords as argon2 hashes.

On a laptop (the app on loopback) there is no login and every action is allowed; the name typed at the top of
the page goes into the history. Beyond loopback the app asks for a login, the history records the account,
and each role may do what its work needs:

- *indkøber*: ask, draft, create tenders, add, edit, fill, move and remove requirements, export;
- *jurist*: all of that, and set a requirement *godkendt*, *skal rettes* or *afvist*;
- *admin*: all of that, and upload, correct and remove documents (users are managed on the server's command
  line, `python -m assistant users`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from assistant.db import Database

ROLES = ("indkøber", "jurist", "admin")
# What needs more than an indkøber's role, and who may do it.
_NEEDS = {"gennemgang": ("jurist", "admin"), "dokumenter": ("admin",)}
_REFUSED = {"gennemgang": "Kun en jurist kan sætte et krav til «godkendt», «skal rettes» eller «afvist».",
            "dokumenter": "Kun en administrator kan uploade, rette og fjerne dokumenter."}
MIN_PASSWORD = 10


def refusal(role: str | None, action: str) -> str | None:
    """None when ``role`` may do ``action``; else the Danish sentence that says who may. No role (the local
    single-user mode) may do everything."""
    if role is None:
        return None
    if role not in ROLES:
        return "Din bruger har ingen gyldig rolle; kontakt en administrator."
    allowed = _NEEDS.get(action)
    return None if allowed is None or role in allowed else _REFUSED[action]


class AccountError(ValueError):
    """``str(err)`` is a Danish sentence."""


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    created_at: float


class Accounts:
    """The users table of the workspace database (created by the workspace's migration 2)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._hasher = PasswordHasher()

    def add(self, username: str, role: str, password: str) -> Account:
        username = _checked_name(username)
        if role not in ROLES:
            raise AccountError(f"Ukendt rolle «{role}». Brug: {', '.join(ROLES)}.")
        digest = self._hasher.hash(_checked_password(password))
        with self._db.transaction() as db:
            if db.execute("SELECT 1 FROM users WHERE username=?", (username,)).fetchone():
                raise AccountError(f"Brugeren «{username}» findes allerede.")
            db.execute("INSERT INTO users VALUES (?,?,?,?)", (username, role, digest, time.time()))
        return self.get(username)

    def set_password(self, username: str, password: str) -> None:
        digest = self._hasher.hash(_checked_password(password))
        with self._db.transaction() as db:
            if db.execute("UPDATE users SET password=? WHERE username=?", (digest, username)).rowcount == 0:
                raise AccountError(f"Brugeren «{username}» findes ikke.")

    def remove(self, username: str) -> None:
        with self._db.transaction() as db:
            if db.execute("DELETE FROM users WHERE username=?", (username,)).rowcount == 0:
                raise AccountError(f"Brugeren «{username}» findes ikke.")

    def get(self, username: str) -> Account:
        row = self._db.execute("SELECT username, role, created_at FROM users WHERE username=?",
                               (username,)).fetchone()
        if row is None:
            raise AccountError(f"Brugeren «{username}» findes ikke.")
        return Account(row["username"], row["role"], row["created_at"])

    def all(self) -> list[Account]:
        rows = self._db.execute("SELECT username, role, created_at FROM users ORDER BY username")
        return [Account(r["username"], r["role"], r["created_at"]) for r in rows]

    def role(self, username: str) -> str | None:
        row = self._db.execute("SELECT role FROM users WHERE username=?", (username,)).fetchone()
        return row["role"] if row else None

    def verify(self, username: str, password: str) -> bool:
        """Gradio's login check. A wrong name costs as much as a wrong password (no user enumeration by time)."""
        row = self._db.execute("SELECT password FROM users WHERE username=?", ((username or "").strip(),)).fetchone()
        try:
            return row is not None and self._hasher.verify(row["password"], password or "")
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
        finally:
            if row is None:
                self._hasher.hash(password or "x")


def _checked_name(username: str) -> str:
    name = (username or "").strip()
    if not name or len(name) > 64 or any(c.isspace() or not c.isprintable() for c in name):
        raise AccountError("Et brugernavn er 1-64 tegn uden mellemrum.")
    return name


def _checked_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"Adgangskoden skal have mindst {MIN_PASSWORD} tegn.")
    return password
