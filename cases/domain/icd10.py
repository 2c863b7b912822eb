"""ICD-10-CM diagnosis codes on the certification (docs/domain.md §2, §6 step 1).

Checks the *format* only (no code table): a category of three characters (a letter, a
digit, a letter or digit), then optionally a dot and one to four more letters or digits,
seven characters at most. ``U`` is accepted: reserved by WHO for emergency use, it holds
real codes such as U07.1 (COVID-19). The placeholder ``X`` only pads a code to reach a
later character (S02.10XA), so a code that *ends* in X is refused. Standard library only:
no Django here (docs/architecture.md §1).
"""

from __future__ import annotations

import re

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


def parse_icd10_list(text: str) -> tuple[list[str], list[str]]:
    """Split codes typed in one field on commas, semicolons or whitespace.

    Returns ``(valid, invalid)``: the valid codes normalised, in order, each once; the
    invalid entries exactly as typed, each once, so a form can say which ones are wrong
    (see ``invalid_icd10_message``).
    """
    valid: list[str] = []
    invalid: list[str] = []
    for raw in _SEPARATORS.split(text or ""):
        if not raw:
            continue
        if is_valid_icd10_cm(raw):
            code = normalise_icd10(raw)
            if code not in valid:
                valid.append(code)
        elif raw not in invalid:
            invalid.append(raw)
    return valid, invalid


def invalid_icd10_message(raw: str) -> str:
    """Plain-words error for one entry that is not an ICD-10-CM code."""
    return (
        f"“{raw}” is not an ICD-10 code: a code is a letter, a digit and a letter or "
        "digit, then optionally a dot and up to four letters or digits "
        "(for example M54.5 or S83.511A)."
    )
