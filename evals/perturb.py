"""Turn true sentences into false ones the way a small model goes wrong: another number, another unit, the
right number for the wrong measure, another year, another municipality, a dropped or added negation, and
"kan" made "skal". Each perturbation is deterministic, so the set is the same on every run."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.claims.extract import MUNICIPALITIES, parse

_OTHER_UNIT = {"pct.": "kr.", "pct": "kr.", "procent": "kroner", "kr.": "pct.", "kroner": "procent",
               "ton": "kr.", "mio.": "ton", "år": "måneder", "måneder": "år"}
_MODAL_SWAP = {"kan": "skal", "skal": "kan", "bør": "skal", "vil": "skal", "må": "skal"}
_SWAP_TOWNS = ["Odense", "Vejle", "Esbjerg", "Roskilde", "Aalborg", "Kolding", "Horsens", "Randers"]


@dataclass(frozen=True)
class Perturbed:
    kind: str
    sentence: str
    why: str


def perturbations(sentence: str, passage: str) -> list[Perturbed]:
    out = [p for p in (_number(sentence), _unit(sentence), _measure(sentence, passage), _year(sentence, passage),
                       _town(sentence, passage), _negation(sentence), _modality(sentence)) if p]
    return [p for p in out if p.sentence != sentence]


def _number(sentence: str) -> Perturbed | None:
    for c in parse(sentence).claims:
        if c.kind == "number":
            raw = c.text.split()[0]
            digits = re.sub(r"\D", "", raw)
            if not digits:
                continue
            new = raw.replace(digits[0], str((int(digits[0]) + 3) % 10 or 7), 1)
            return Perturbed("number-value", sentence.replace(raw, new, 1), f"{raw} → {new}")
    return None


def _unit(sentence: str) -> Perturbed | None:
    for c in parse(sentence).claims:
        if c.kind == "number" and c.unit:
            for word, other in _OTHER_UNIT.items():
                found = re.search(rf"(?<=\d )(?:mia\. |mio\. )?{re.escape(word)}(?!\w)", sentence)
                if found:
                    start = found.end() - len(word)
                    return Perturbed("number-unit", sentence[:start] + other + sentence[found.end():],
                                     f"{word} → {other}")
    return None


def _measure(sentence: str, passage: str) -> Perturbed | None:
    """The right number for the wrong measure: a figure the passage gives for something else."""
    mine = [c for c in parse(sentence).claims if c.kind == "number" and not c.unit]
    if not mine:
        return None
    present = {c.key for c in parse(sentence).claims if c.kind == "number"}
    theirs = [c for line in re.split(r"(?<=[.!?])\s+", passage) for c in parse(line).claims
              if c.kind == "number" and not c.unit and c.key not in present and "–" not in c.key]
    if not theirs:
        return None
    raw, new = mine[0].text.split()[0], theirs[0].text.split()[0]
    return Perturbed("number-measure", sentence.replace(raw, new, 1), f"{raw} → {new} (counts something else)")


def _year(sentence: str, passage: str) -> Perturbed | None:
    years = [c for c in parse(sentence).claims if c.kind == "year"]
    if not years:
        return None
    old = years[0].key
    new = next(str(int(old) + d) for d in (2, 3, -2, -3, 5, 7) if str(int(old) + d) not in passage + sentence)
    return Perturbed("year", re.sub(rf"\b{old}\b", new, sentence, count=1), f"{old} → {new}")


def _town(sentence: str, passage: str) -> Perturbed | None:
    for c in parse(sentence).claims:
        word = c.text.rstrip("s'’")
        if c.kind == "name" and (word.lower() in MUNICIPALITIES or c.text.lower() in MUNICIPALITIES):
            other = next(t for t in _SWAP_TOWNS if t.lower() not in passage.lower() and t != word)
            return Perturbed("name", sentence.replace(word, other, 1), f"{word} → {other}")
    return None


def _negation(sentence: str) -> Perturbed | None:
    if re.search(r"\bikke\b", sentence):
        return Perturbed("negation", re.sub(r"\s*\bikke\b", "", sentence, count=1), "negation dropped")
    found = re.search(r"\b(skal|kan|vil|er|har|bør)\b", sentence)
    if found:
        return Perturbed("negation", sentence[:found.end()] + " ikke" + sentence[found.end():], "negation added")
    return None


def _modality(sentence: str) -> Perturbed | None:
    found = re.search(r"\b(kan|skal|bør|vil)\b", sentence)
    if not found:
        return None
    new = _MODAL_SWAP[found.group(1)]
    return Perturbed("modality", sentence[:found.start()] + new + sentence[found.end():], f"{found.group(1)} → {new}")
