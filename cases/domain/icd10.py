"""ICD-10-CM diagnosis codes on the certification (docs/domain.md §2, §6 step 1).

Two checks. The *format* (no code table): a category of three characters (a letter, a
digit, a letter or digit), then optionally a dot and one to four more letters or digits,
seven characters at most. ``U`` is accepted: reserved by WHO for emergency use, it holds
real codes such as U07.1 (COVID-19). The placeholder ``X`` only pads a code to reach a
later character (S02.10XA), so a code that *ends* in X is refused.

Then the *code set* (``check_diagnosis``), read through a ``CodeTable``: only a billable
code, one with no more specific code below it, may be reported on a claim (ICD-10-CM
Official Guidelines for Coding and Reporting, Section I.B.3: a code is invalid if it has
not been coded to the full number of characters required for it, including the 7th
character). An injury code (chapters S and T) is billable only with its 7th character, the
encounter (A initial, D subsequent, S sequela, or those its category lists; Sections I.A.5
and I.C.19.a). A code that became a category in a later edition (M54.5, low back pain,
split into M54.50, M54.51 and M54.59 in October 2021) is refused with its billable codes
named. Standard library only: no Django here (docs/architecture.md §1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

_ICD10_CM = re.compile(r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{0,3}[0-9A-WYZ])?")
_SEPARATORS = re.compile(r"[\s,;]+")


def normalise_icd10(code: str) -> str:
    """Tidy a code as typed: strip, upper-case, insert the dot after three characters.

    "m545" → "M54.5", " s83.511a " → "S83.511A", "M54." → "M54". Does not validate: see
    ``is_valid_icd10_cm``.
    """
    tidy = (code or "").strip().upper().rstrip(".")
    if "." not in tidy and len(tidy) > 3:
        tidy = f"{tidy[:3]}.{tidy[3:]}"
    return tidy


def is_valid_icd10_cm(code: str) -> bool:
    """Whether ``code`` has the shape of an ICD-10-CM code, once normalised.

    Accepts M54.5, m545, S83.511A, U07.1; refuses 123.4, M5, MM54.5, M54.12345, M54.5X.
    """
    return _ICD10_CM.fullmatch(normalise_icd10(code)) is not None


def split_icd10_list(text: str) -> list[str]:
    """The entries of one field, as typed, split on commas, semicolons or whitespace."""
    return [raw for raw in _SEPARATORS.split(text or "") if raw]


def invalid_icd10_message(raw: str) -> str:
    """Plain-words error for one entry that is not an ICD-10-CM code."""
    return (
        f"“{raw}” is not an ICD-10 code: a code is a letter, a digit and a letter or "
        "digit, then optionally a dot and up to four letters or digits "
        "(for example M54.5 or S83.511A)."
    )


# How many billable codes below a category a message names before it says how many more.
REPLACEMENTS_NAMED = 8


class CodeTable(Protocol):
    """The ICD-10-CM code set, as the rules read it. Codes are normalised (``M54.50``)."""

    def description(self, code: str) -> str | None:
        """The code's description, or None when the code set has no such code."""

    def is_billable(self, code: str) -> bool:
        """Whether the code has no more specific code below it."""

    def billable_below(self, code: str) -> list[str]:
        """The billable codes below this one, in the code set's order."""

    def seventh_characters(self, code: str) -> dict[str, str]:
        """The 7th characters this code takes, as {character: meaning} (``{"A": "initial
        encounter", …}``); empty when the code takes none."""


class Verdict(StrEnum):
    BILLABLE = "billable"
    NEEDS_SEVENTH_CHARACTER = "needs_seventh_character"
    NOT_BILLABLE = "not_billable"
    UNKNOWN = "unknown"
    MALFORMED = "malformed"


@dataclass(frozen=True)
class Diagnosis:
    """One code and its description, as shown beside it."""

    code: str
    description: str


@dataclass(frozen=True)
class DiagnosisCheck:
    """What the code set says of one code as typed."""

    typed: str
    code: str
    verdict: Verdict
    description: str = ""
    # NEEDS_SEVENTH_CHARACTER: {character: meaning}; NOT_BILLABLE: the codes to use instead.
    seventh_characters: tuple[tuple[str, str], ...] = ()
    replacements: tuple[Diagnosis, ...] = ()
    more_replacements: int = 0

    @property
    def accepted(self) -> bool:
        return self.verdict == Verdict.BILLABLE

    @property
    def message(self) -> str:
        """Plain words for a refused code: what is wrong and what to use instead."""
        code = self.code
        if self.verdict == Verdict.MALFORMED:
            return invalid_icd10_message(self.typed)
        if self.verdict == Verdict.UNKNOWN:
            return (
                f"“{self.typed}” is not in the ICD-10-CM code set: check the code, or type "
                "words to search for it."
            )
        if self.verdict == Verdict.NEEDS_SEVENTH_CHARACTER:
            padded = seventh_character_stem(code)
            choices = "; ".join(
                f"{character} ({meaning})" if meaning else character
                for character, meaning in self.seventh_characters
            )
            example = self.seventh_characters[0][0]
            return (
                f"{code} ({self.description}) needs a 7th character, the encounter: "
                f"{choices}; for example {padded}{example}."
            )
        if self.verdict == Verdict.NOT_BILLABLE:
            named = "; ".join(f"{item.code} {item.description}" for item in self.replacements)
            more = f"; and {self.more_replacements} more" if self.more_replacements else ""
            return (
                f"{code} ({self.description}) is not a billable code: it has more specific "
                f"codes. Use one of: {named}{more}."
            )
        return ""


def seventh_character_stem(code: str) -> str:
    """The code padded with the placeholder X to six characters after the category, ready
    for its 7th character: S33.5 → S33.5XX, S43.432 → S43.432 (Section I.A.4)."""
    stem = code if "." in code else f"{code}."
    return stem.ljust(7, "X")


def check_diagnosis(typed: str, table: CodeTable) -> DiagnosisCheck:
    """Whether one code as typed may be reported, and if not, why and what to use instead."""
    code = normalise_icd10(typed)
    if not is_valid_icd10_cm(typed):
        return DiagnosisCheck(typed=typed, code=code, verdict=Verdict.MALFORMED)
    description = table.description(code)
    if description is None:
        return DiagnosisCheck(typed=typed, code=code, verdict=Verdict.UNKNOWN)
    if table.is_billable(code):
        return DiagnosisCheck(
            typed=typed, code=code, verdict=Verdict.BILLABLE, description=description
        )
    seventh = table.seventh_characters(code)
    if seventh:
        return DiagnosisCheck(
            typed=typed,
            code=code,
            verdict=Verdict.NEEDS_SEVENTH_CHARACTER,
            description=description,
            seventh_characters=tuple(seventh.items()),
        )
    below = table.billable_below(code)
    return DiagnosisCheck(
        typed=typed,
        code=code,
        verdict=Verdict.NOT_BILLABLE,
        description=description,
        replacements=tuple(
            Diagnosis(item, table.description(item) or "") for item in below[:REPLACEMENTS_NAMED]
        ),
        more_replacements=max(0, len(below) - REPLACEMENTS_NAMED),
    )


def check_diagnosis_list(text: str, table: CodeTable) -> tuple[list[str], list[str]]:
    """Codes typed in one field, checked against the code set. Returns ``(accepted,
    messages)``: the billable codes normalised, in order, each once; one message for each
    refused entry, each once."""
    accepted: list[str] = []
    messages: list[str] = []
    seen: set[str] = set()
    for raw in split_icd10_list(text):
        check = check_diagnosis(raw, table)
        key = check.code if check.verdict != Verdict.MALFORMED else raw
        if key in seen:
            continue
        seen.add(key)
        if check.accepted:
            accepted.append(check.code)
        else:
            messages.append(check.message)
    return accepted, messages
