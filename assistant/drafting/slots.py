"""Slots: the gaps a buyer must fill, declared in a template as ``{id}`` instead of a stray "[X]".

Drafting fills what the buyer's own words or the tender answer (the products, a number with its unit),
in code and never by the model; what stays open is shown as «label» in every text field and listed in the
card's ``open_slots``. The buyer fills the rest in the UI or the CLI (``fill``).

User text is only tokenised here: no regular expression runs over it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.drafting.cards import CardSlot, RequirementCard
from assistant.drafting.clauses import SLOT, Slot

OPEN_LEFT, OPEN_RIGHT = "«", "»"
TEXT_FIELDS = ("title", "text", "documentation", "follow_up", "rationale")
MAX_VALUE = 200

# "rammeaftale om rengøringsartikler", "levering af kaffe", "contract for cleaning products"
_SUBJECT_HEADS = {"rammeaftale", "rammeaftalen", "kontrakt", "kontrakten", "udbud", "udbuddet", "aftale",
                  "indkøb", "levering", "leverance", "køb", "contract", "tender", "supply", "purchase",
                  "framework"}
_SUBJECT_LINKS = {"om", "på", "af", "for", "of", "on"}
# Words that end the product phrase: what follows says something else about the request.
_SUBJECT_STOPS = {"til", "med", "i", "hvor", "der", "som", "så", "skal", "fra", "og", "with", "to", "in",
                  "that", "which", "where", "under", "inden", "ved", "efter", "for", "the", "a", "an",
                  "en", "et"}
_UNIT_WORDS = {
    "arbejdsdage": ("arbejdsdage", "arbejdsdag", "hverdage", "working"),
    "dage": ("dage", "dag", "days", "day"),
    "pct.": ("pct.", "pct", "procent", "%", "percent"),
    "måneder": ("måneder", "måned", "months", "month"),
    "timer": ("timer", "time", "hours", "hour"),
    "år": ("år", "years", "year"),
    "kr.": ("kr.", "kr", "kroner", "dkk"),
}


def marker(label: str) -> str:
    return f"{OPEN_LEFT}{label}{OPEN_RIGHT}"


def card_slots(slots: Iterable[Slot]) -> list[CardSlot]:
    return [CardSlot(id=s.id, label=s.label, kind=s.kind, hint=s.hint, unit=s.unit) for s in slots]


def render(text: str, slots: list[CardSlot]) -> str:
    """Template text with each ``{id}`` replaced by its value, or by «label» while it is open."""
    by_id = {s.id: s for s in slots}

    def one(match: re.Match[str]) -> str:
        slot = by_id[match.group(1)]
        return slot.value if slot.value else marker(slot.label)

    return SLOT.sub(one, text)  # SLOT only ever runs over our own template text


def _words(text: str) -> list[str]:
    return [w.strip(",;:!?()\"'") for w in text.split()]


def subject_of(text: str) -> str | None:
    """The goods or services a request or tender name is about: the words after "rammeaftale om",
    "levering af", "contract for" … up to punctuation or the next word that starts another thought
    (at most six words)."""
    raw = [w.strip("()\"'") for w in text.split()]
    words = [w.rstrip(".,;:!?") for w in raw]
    for i in range(len(words) - 2):
        if words[i].lower() in _SUBJECT_HEADS and words[i + 1].lower() in _SUBJECT_LINKS:
            phrase: list[str] = []
            for w, bare in zip(raw[i + 2:i + 8], words[i + 2:i + 8], strict=True):
                if not bare or bare.lower() in _SUBJECT_STOPS or bare.isdigit():
                    break
                phrase.append(bare)
                if w != bare:  # punctuation ends the phrase
                    break
            if phrase:
                return " ".join(phrase)
    return None


def _number(word: str) -> str | None:
    bare = word.rstrip(".%")
    digits = bare.replace(",", "").replace(".", "")
    return bare if digits.isdigit() and len(digits) <= 9 else None


def numbers_with_unit(text: str, unit: str) -> set[str]:
    """Every number the text states in ``unit`` ("5 arbejdsdage", "30 %", "30 pct.")."""
    names = _UNIT_WORDS.get(unit, (unit.lower(),))
    words = _words(text.lower())
    found = set()
    for i, word in enumerate(words):
        value = _number(word)
        if value is None:
            continue
        after = words[i + 1] if i + 1 < len(words) else ""
        if (word.endswith("%") and unit == "pct.") or after in names or after.rstrip(".") in names:
            found.add(value)
    return found


def prefill(slots: list[CardSlot], *texts: tuple[str, str]) -> list[CardSlot]:
    """Fill what ``texts`` — (source, text) pairs such as ("forespørgsel", request) — answer without doubt:
    the products from the first text that names them, and a number only when exactly one is given in the
    slot's unit and no other open slot wants that unit."""
    filled = []
    unit_count: dict[str, int] = {}
    for s in slots:
        if s.kind == "tal" and s.unit:
            unit_count[s.unit] = unit_count.get(s.unit, 0) + 1
    for slot in slots:
        value, source = None, None
        for origin, text in texts:
            if slot.value:
                break
            if not text:
                continue
            if slot.kind == "produkter":
                value = subject_of(text)
            elif slot.kind == "tal" and slot.unit and unit_count.get(slot.unit) == 1:
                numbers = numbers_with_unit(text, slot.unit)
                value = next(iter(numbers)) if len(numbers) == 1 else None
            if value:
                source = origin
                break
        filled.append(slot.model_copy(update={"value": value, "filled_by": source}) if value else slot)
    return filled


def markers(text: str) -> list[str]:
    """The open-slot markers «…» in a text, in order."""
    found, start = [], text.find(OPEN_LEFT)
    while start != -1:
        end = text.find(OPEN_RIGHT, start + 1)
        if end == -1:
            break
        found.append(text[start:end + 1])
        start = text.find(OPEN_LEFT, end + 1)
    return found


def pieces(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_open_slot) so an exporter can mark each «label» on its own."""
    out: list[tuple[str, bool]] = []
    start = 0
    for m in markers(text):
        at = text.find(m, start)
        if at > start:
            out.append((text[start:at], False))
        out.append((m, True))
        start = at + len(m)
    if start < len(text):
        out.append((text[start:], False))
    return out


def prefill_card(card: RequirementCard, *texts: tuple[str, str]) -> RequirementCard:
    """``card`` with the open slots that ``texts`` answer filled (e.g. from the tender's name)."""
    open_ = [s for s in card.slots if not s.value]
    if not open_:
        return card
    for origin, text in texts:
        found = {s.id: s.value for s in prefill(open_, (origin, text)) if s.value is not None}
        if found:
            card = fill(card, found, filled_by=origin)
            open_ = [s for s in card.slots if not s.value]
    return card


def check_value(slot: CardSlot, value: str) -> str:
    """The buyer's value, trimmed; a Danish ValueError when it cannot stand in the clause."""
    value = " ".join(value.split())
    if not value:
        raise ValueError(f"Feltet «{slot.label}» kan ikke udfyldes med en tom værdi.")
    if len(value) > MAX_VALUE:
        raise ValueError(f"Værdien til «{slot.label}» er for lang (højst {MAX_VALUE} tegn).")
    if any(c in value for c in "[]{}«»"):
        raise ValueError(f"Værdien til «{slot.label}» må ikke indeholde klammer eller «».")
    if slot.kind == "tal" and _number(value) is None:
        raise ValueError(f"«{slot.label}» skal være et tal (i {slot.unit or 'den angivne enhed'}).")
    return value


def fill(card: RequirementCard, values: dict[str, str], filled_by: str = "køber") -> RequirementCard:
    """The card with the given open slots filled (by slot id) in every text field and in the sentence
    judgements, so a filled sentence keeps the support it was judged to have."""
    by_id = {s.id: s for s in card.slots}
    unknown = set(values) - set(by_id)
    if unknown:
        raise ValueError(f"Kortet har ingen felter med navnet: {', '.join(sorted(unknown))}.")
    replace: dict[str, str] = {}
    slots = []
    for slot in card.slots:
        if slot.id in values:
            if slot.value:
                # Replacing a filled value's text could hit the same words elsewhere in the clause.
                raise ValueError(f"«{slot.label}» er allerede udfyldt; ret teksten for at ændre værdien.")
            value = check_value(slot, values[slot.id])
            replace[marker(slot.label)] = value
            slot = slot.model_copy(update={"value": value, "filled_by": filled_by})
        slots.append(slot)

    def apply(text: str) -> str:
        for old, new in replace.items():
            text = text.replace(old, new)
        return text

    open_ = [s.label for s in slots if not s.value]
    flags = [apply(f) for f in card.flags if not f.startswith(OPEN_FLAG)] + ([open_flag(open_)] if open_ else [])
    update: dict[str, object] = {name: apply(getattr(card, name)) for name in TEXT_FIELDS}
    update.update(support=[s.model_copy(update={"sentence": apply(s.sentence)}) for s in card.support],
                  flags=flags, slots=slots, open_slots=open_)
    return card.model_copy(update=update)


def reconcile(card: RequirementCard) -> RequirementCard:
    """After a person edits the text: a slot whose «label» no longer stands in any field was filled by the
    edit, and a marker typed by hand for a filled slot does not reopen it."""
    text = " ".join(getattr(card, name) for name in TEXT_FIELDS)
    slots = [s.model_copy(update={"value": "udfyldt i teksten", "filled_by": "køber"})
             if not s.value and marker(s.label) not in text else s for s in card.slots]
    open_ = [s.label for s in slots if not s.value]
    flags = [f for f in card.flags if not f.startswith(OPEN_FLAG)] + ([open_flag(open_)] if open_ else [])
    return card.model_copy(update={"slots": slots, "open_slots": open_, "flags": flags})


OPEN_FLAG = "Åbne felter, som ordregiveren skal udfylde: "


def open_flag(labels: list[str]) -> str:
    return OPEN_FLAG + ", ".join(labels) + "."


def open_count(n: int) -> str:
    """"1 åbent felt", "3 åbne felter": the count of open slots as a Danish reader expects it."""
    return f"{n} åbent felt" if n == 1 else f"{n} åbne felter"
