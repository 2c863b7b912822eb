"""The ICD-10-CM code set with its descriptions (the simple-icd-10-cm package): what a code
means, whether it may be reported (cases/domain/icd10.py) and which codes match what a user
types. Every page, export and report that shows a code describes it through here.

The package reads its whole table when imported, about three seconds, so it is imported at
the first use, never when Django starts; the search index is built once, at the first search.
"""

from __future__ import annotations

import bisect
import importlib
import itertools
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from types import ModuleType

from ..domain.icd10 import (
    Diagnosis,
    DiagnosisCheck,
    check_diagnosis,
    check_diagnosis_list,
    is_valid_icd10_cm,
    normalise_icd10,
)

SEARCH_LIMIT = 20
# A word of a query is a code, or the start of one, when it is a letter then a digit.
_CODE_LIKE = re.compile(r"[a-z][0-9][0-9a-z.]*")
_WORD = re.compile(r"[a-z0-9]+")


@cache
def _package() -> ModuleType:
    return importlib.import_module("simple_icd_10_cm")


class PackageCodeTable:
    """The domain's CodeTable read from the simple-icd-10-cm package."""

    def __init__(self, package: ModuleType) -> None:
        self._icd = package

    def description(self, code: str) -> str | None:
        if not self._icd.is_valid_item(code):
            return None
        return str(self._icd.get_description(code))

    def is_billable(self, code: str) -> bool:
        # In ICD-10-CM a code is billable exactly when nothing more specific lies below it.
        return bool(self._icd.is_leaf(code))

    def billable_below(self, code: str) -> list[str]:
        return [item for item in self._icd.get_descendants(code) if self._icd.is_leaf(item)]

    def seventh_characters(self, code: str) -> dict[str, str]:
        # The package lists a code's 7th-character forms (S43.432A, S43.432D…) as its children.
        forms = [item for item in self._icd.get_children(code) if self._extended(item)]
        if not forms:
            return {}
        meanings = self._icd.get_seven_chr_def(code, search_in_ancestors=True)
        # Some meanings hold a tab or a line break where the table wraps them.
        return {item[-1]: " ".join(meanings.get(item[-1], "").split()) for item in forms}

    def _extended(self, code: str) -> bool:
        return bool(self._icd.is_extended_subcategory(code))


@cache
def code_table() -> PackageCodeTable:
    """The code set, loaded at the first call."""
    return PackageCodeTable(_package())


def check_codes(text: str) -> tuple[list[str], list[str]]:
    """Codes typed in one field: (the billable codes, normalised; a message per refused one)."""
    return check_diagnosis_list(text, code_table())


def check_code(code: str) -> DiagnosisCheck:
    return check_diagnosis(code, code_table())


@dataclass(frozen=True)
class ShownDiagnosis:
    """A code as saved, with what to show beside it."""

    code: str
    description: str
    billable: bool

    @property
    def text(self) -> str:
        """The code and its description ("S43.432A Superior glenoid labrum lesion…"), with a
        warning if it may not be reported."""
        if not self.description:
            return f"{self.code} (not in the ICD-10-CM code set)"
        warning = "" if self.billable else " (not a billable code)"
        return f"{self.code} {self.description}{warning}"


def describe(code: str) -> str:
    """The description of a code or a category (S43, M54.50), or "" for an unknown code."""
    if not is_valid_icd10_cm(code):
        return ""
    return code_table().description(normalise_icd10(code)) or ""


def shown_diagnoses(codes: Iterable[str]) -> list[ShownDiagnosis]:
    """Saved codes with their descriptions, each marked if it may not be reported (a code
    saved before the code set was checked, or retired since)."""
    shown = []
    for raw in codes:
        code = raw.strip()
        if not code:
            continue
        description = describe(code)
        billable = bool(description) and code_table().is_billable(normalise_icd10(code))
        shown.append(ShownDiagnosis(code=code, description=description, billable=billable))
    return shown


def diagnoses_text(codes: Iterable[str], separator: str = "; ") -> str:
    """Saved codes with their descriptions on one line, for exports and reports."""
    return separator.join(item.text for item in shown_diagnoses(codes))


class _SearchIndex:
    """Every billable code, numbered shortest description first (the order words are
    answered in); a sorted list of the codes without their dots, for prefixes; and each word
    of the descriptions with the numbers of the codes it describes."""

    def __init__(self, icd: ModuleType) -> None:
        entries = sorted(
            (
                (len(description), code, description)
                for code in icd.get_all_codes(with_dots=True)
                if is_valid_icd10_cm(code)
                and icd.is_leaf(code)
                and (description := str(icd.get_description(code)))
            ),
        )
        self.codes = [Diagnosis(code, description) for _, code, description in entries]
        self.by_code = sorted(
            (diagnosis.code.replace(".", ""), number) for number, diagnosis in enumerate(self.codes)
        )
        postings: dict[str, list[int]] = {}
        for number, diagnosis in enumerate(self.codes):
            for word in set(_WORD.findall(diagnosis.description.lower())):
                postings.setdefault(word, []).append(number)
        self.vocabulary = sorted(postings)
        self.postings = postings

    def with_code_prefix(self, prefix: str) -> list[int]:
        """The numbers of the codes starting with ``prefix`` (no dot), in code order."""
        start = bisect.bisect_left(self.by_code, (prefix, -1))
        found = []
        for compact, number in itertools.islice(self.by_code, start, None):
            if not compact.startswith(prefix):
                break
            found.append(number)
        return found

    def with_word_prefix(self, prefix: str) -> set[int]:
        """The numbers of the codes with a word of their description starting with ``prefix``."""
        found: set[int] = set()
        start = bisect.bisect_left(self.vocabulary, prefix)
        for word in itertools.islice(self.vocabulary, start, None):
            if not word.startswith(prefix):
                break
            found.update(self.postings[word])
        return found


_index: _SearchIndex | None = None
_index_lock = threading.Lock()


def _search_index() -> _SearchIndex:
    global _index
    with _index_lock:
        if _index is None:
            _index = _SearchIndex(_package())
        return _index


def prepare_search() -> None:
    """Build the search index in the background, if it is not built yet: a form with the
    picker calls this as it is shown, so the code set is loaded before the first keystroke
    rather than after it."""
    if _index is None and not _index_lock.locked():
        threading.Thread(target=_search_index, name="diagnosis-search-index", daemon=True).start()


def search_diagnoses(query: str, *, limit: int = SEARCH_LIMIT) -> list[Diagnosis]:
    """Billable codes matching what was typed: a code or its start (S43.4, s434) and words,
    each the start of a word of the description (shoulder disloc). In code order when a code
    was typed, else shortest description first."""
    typed = query.lower().split()
    prefixes = [
        normalise_icd10(word).replace(".", "") for word in typed if _CODE_LIKE.fullmatch(word)
    ]
    words = [
        part for word in typed if not _CODE_LIKE.fullmatch(word) for part in _WORD.findall(word)
    ]
    if not prefixes and not words:
        return []
    index = _search_index()
    matching: set[int] | None = None
    for word in sorted(set(words), key=len, reverse=True):
        found = index.with_word_prefix(word)
        matching = found if matching is None else matching & found
    if prefixes:
        # The longest code typed narrows most; the others must match too.
        prefixes.sort(key=len, reverse=True)
        numbers = [
            number
            for number in index.with_code_prefix(prefixes[0])
            if matching is None or number in matching
        ]
        diagnoses = [index.codes[number] for number in numbers]
        diagnoses = [
            diagnosis
            for diagnosis in diagnoses
            if all(diagnosis.code.replace(".", "").startswith(prefix) for prefix in prefixes)
        ]
        return diagnoses[:limit]
    assert matching is not None
    return [index.codes[number] for number in sorted(matching)[:limit]]
