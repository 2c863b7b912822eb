"""Searching the text of outside records' pages (docs/domain.md §13): the records in force
that the user may see, one case's or all of them, each with the pages where the words are
found and a snippet of each, the words marked.

On PostgreSQL it is full-text search in English (stemmed: "fractures" finds "fracture"),
the query read as a web search box reads it ("quoted phrase", or, -not), on the words that
migration 0003 keeps of every page, GIN-indexed; ts_headline cuts the snippets. On SQLite it
is a plain case-insensitive match of the query as typed, the snippet cut around its first
occurrence. Either way a results page takes four queries, whatever the number of records
and pages."""

import re
import secrets
from collections import defaultdict
from dataclasses import dataclass
from html import unescape
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, F, OuterRef, QuerySet, Value
from django.db.models.functions import Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cases.models import Case, User

from .access import records_visible_to
from .models import OutsideRecord, RecordPage

MAX_QUERY_LENGTH = 200
RECORDS_PER_PAGE = 20
# Pages of one record shown with a snippet; the others are counted.
SNIPPETS_PER_RECORD = 3
_CONFIG = "english"
# The SQLite snippet: this many characters either side of the words found.
_CONTEXT_BEFORE = 80
_CONTEXT_AFTER = 120


@dataclass(frozen=True)
class PageSnippet:
    number: int
    html: SafeString


@dataclass(frozen=True)
class RecordFound:
    record: OutsideRecord
    snippets: list[PageSnippet]
    pages_found: int

    @property
    def pages_not_shown(self) -> int:
        return self.pages_found - len(self.snippets)


def records_search(
    *, user: User, query: str, case: Case | None = None, page_number: str | int | None = 1
) -> Page:
    """One page of the records (of ``case``, or of every case the user may see) whose text
    holds the query, newest received first, as ``RecordFound``. Withdrawn records are not
    searched, nor the clinical-only ones of a user who may not see them."""
    records = records_visible_to(user).in_force()
    if case is not None:
        records = records.filter(case=case)
    records = (
        records.filter(Exists(_pages_matching(query).filter(stored_file=OuterRef("stored_file"))))
        .select_related("case", "case__patient", "stored_file")
        .order_by("-received_on", "-pk")
    )
    page: Page[Any] = Paginator(records, RECORDS_PER_PAGE).get_page(page_number)
    found: list[OutsideRecord] = list(page.object_list)
    numbers: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for page_id, stored_file_id, number in (
        _pages_matching(query)
        .filter(stored_file_id__in={record.stored_file_id for record in found})
        .order_by("stored_file_id", "number")
        .values_list("pk", "stored_file_id", "number")
    ):
        numbers[stored_file_id].append((page_id, number))
    snippets = _snippets(
        [page_id for pages in numbers.values() for page_id, _ in pages[:SNIPPETS_PER_RECORD]],
        query,
    )
    page.object_list = [
        RecordFound(
            record=record,
            snippets=[
                PageSnippet(number=number, html=snippets[page_id])
                for page_id, number in numbers[record.stored_file_id][:SNIPPETS_PER_RECORD]
            ],
            pages_found=len(numbers[record.stored_file_id]),
        )
        for record in found
    ]
    return page


def full_text() -> bool:
    """Whether the search is full-text (PostgreSQL), which reads phrases and exclusions."""
    return connection.vendor == "postgresql"


def _pages_matching(query: str) -> QuerySet[RecordPage]:
    if full_text():
        return RecordPage.objects.filter(
            search_vector=SearchQuery(query, config=_CONFIG, search_type="websearch")
        )
    return RecordPage.objects.filter(text__icontains=query)


def _snippets(page_ids: list[int], query: str) -> dict[int, SafeString]:
    """The snippet of each page, by its id: the record's text escaped, and nothing else
    marked up than the words found."""
    if not page_ids:
        return {}
    pages = RecordPage.objects.filter(pk__in=page_ids)
    if not full_text():
        return {
            page_id: _snippet_around(text, query)
            for page_id, text in pages.values_list("pk", "text")
        }
    # The page's text is untrusted: it could hold any marker known in advance, so these
    # are new on every search, and made of characters that escaping leaves alone.
    token = secrets.token_hex(8)
    start, stop = f"[{token}[", f"]{token}]"
    # ts_headline drops what it reads as HTML tags: it is given the text with its tags
    # escaped, so that they are shown as the text they are.
    text: F | Replace = F("text")
    for character, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = Replace(text, Value(character), Value(entity))
    headlines = pages.annotate(
        snippet=SearchHeadline(
            text,
            SearchQuery(query, config=_CONFIG, search_type="websearch"),
            config=_CONFIG,
            start_sel=start,
            stop_sel=stop,
            max_words=30,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
    ).values_list("pk", "snippet")
    return {
        # Escaped again whatever ts_headline returned: only our markers become markup.
        page_id: mark_safe(  # noqa: S308
            escape(unescape(_one_line(snippet))).replace(start, "<mark>").replace(stop, "</mark>")
        )
        for page_id, snippet in headlines
    }


def _snippet_around(text: str, query: str) -> SafeString:
    """The words found on the page (compared as SQLite's LIKE does) and some text either side."""
    at = text.lower().find(query.lower())
    if at < 0:
        return mark_safe(escape(_one_line(text[: _CONTEXT_BEFORE + _CONTEXT_AFTER])))  # noqa: S308
    end = at + len(query)
    begin, finish = max(0, at - _CONTEXT_BEFORE), end + _CONTEXT_AFTER
    before = ("…" if begin else "") + _one_line(text[begin:at])
    after = _one_line(text[end:finish]) + ("…" if finish < len(text) else "")
    return mark_safe(  # noqa: S308 - each part escaped
        f"{escape(before)}<mark>{escape(_one_line(text[at:end]))}</mark>{escape(after)}"
    )


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)
