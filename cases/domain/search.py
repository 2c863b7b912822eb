"""How a case is found by name or claim number: the terms it is filed under, and the terms a
search looks up. Pure rules, standard library only.

A case is filed under every prefix of every word of its patient's names and of its claim
numbers, and of each of those written without separators ("O'Brien" under O, OB, …, OBRIEN;
"SC-00042" under SC, 00042 and SC00042). Letters are compared upper-cased with their
accents dropped. A search word then matches a case when it starts a word of those fields:
one exact look-up per word, which an index keeps in the case list's order
(docs/performance.md, "Case list").
"""

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

__all__ = ["MAX_TERM_LENGTH", "birth_date_typed", "search_terms", "terms_of"]

MAX_TERM_LENGTH = 40

_SEPARATORS = re.compile(r"[\W_]+")


def _words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text.upper())
    folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    return [word[:MAX_TERM_LENGTH] for word in _SEPARATORS.split(folded) if word]


# A date of birth as people type one: 1984-02-03, or 2/3/1984 (month first, as in the US).
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def birth_date_typed(query: str) -> date | None:
    """The date ``query`` is, when the whole of it is one (a search for a date of birth)."""
    query = query.strip()
    if found := _ISO_DATE.fullmatch(query):
        year, month, day = found.groups()
    elif found := _US_DATE.fullmatch(query):
        month, day, year = found.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def search_terms(query: str) -> list[str]:
    """The terms a search for ``query`` looks up, each of which a case must be filed under:
    its words, longest first (the longest usually narrows most), leaving out any word that
    starts another (a case filed under JOHN is filed under JO too)."""
    words = set(_words(query))
    needed = {word for word in words if not any(o != word and o.startswith(word) for o in words)}
    return sorted(needed, key=lambda term: (-len(term), term))


def terms_of(fields: Iterable[str]) -> set[str]:
    """Every term a case with these field values (names, claim numbers) is filed under."""
    terms: set[str] = set()
    for text in fields:
        words = _words(text)
        joined = "".join(words)[:MAX_TERM_LENGTH]
        for word in {*words, joined} - {""}:
            terms.update(word[:length] for length in range(1, len(word) + 1))
    return terms
