"""Checks for what a user may write about a document in the *Dokumenter* tab: a title, a publisher, a year
and a kind. Short plain text; every error is a Danish sentence."""

from __future__ import annotations

from dataclasses import dataclass

MAX_TITLE, MAX_FIELD = 200, 100


@dataclass(frozen=True)
class MetaEdit:
    title: str
    publisher: str
    year: str
    kind: str


def checked_meta(title: str, publisher: str, year: str, kind: str) -> MetaEdit:
    """The edit with whitespace tidied, or ValueError with what is wrong."""
    title, publisher, year, kind = (" ".join((v or "").split()) for v in (title, publisher, year, kind))
    if not title:
        raise ValueError("Dokumentet skal have en titel.")
    if len(title) > MAX_TITLE or any(len(v) > MAX_FIELD for v in (publisher, year, kind)):
        raise ValueError(f"Titlen må højst være {MAX_TITLE} tegn og de øvrige felter højst {MAX_FIELD} tegn.")
    # A year or a period ("2024", "2020-2024"): digits and one dash, checked without a regex.
    parts = year.replace("–", "-").split("-")
    if year and (len(parts) > 2 or not all(len(p) == 4 and p.isdigit() for p in parts)):
        raise ValueError("Året skal skrives som fx 2024 eller 2020-2024.")
    return MetaEdit(title, publisher, year, kind)
