"""The pages a doctor cites from an outside record ("3, 7–9"): read, checked against the
record's length and written back one way. Plain Python: the forms and the service that saves
a determination's step both use it."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

# A page or a range, the two numbers joined by a hyphen, an en dash or an em dash.
_PART = re.compile(r"(\d{1,6})(?:\s*[-–—]\s*(\d{1,6}))?")

Span = tuple[int, int]


class PagesRefused(ValueError):
    """The pages typed cannot be read, or are not pages of the record; the message says why."""


@dataclass(frozen=True)
class Citation:
    """One outside record cited in a step of a determination; ``pages`` blank: all of it."""

    record_id: int
    pages: str = ""


def read_pages(text: str, page_count: int) -> tuple[Span, ...]:
    """The pages of ``text`` as ordered, merged spans (first, last); () for a blank text,
    which cites the whole record."""
    spans: list[Span] = []
    for part in (piece.strip() for piece in re.split(r"[,;]", text)):
        if not part:
            continue
        match = _PART.fullmatch(part)
        if match is None:
            raise PagesRefused(
                f"“{part[:20]}” is not a page or a range of pages: write them like 3, 7–9."
            )
        first = int(match[1])
        last = int(match[2] or first)
        if first < 1:
            raise PagesRefused("Pages are numbered from 1.")
        if last < first:
            raise PagesRefused(
                f"{first}–{last} runs backwards: write the lower page first ({last}–{first})."
            )
        if last > page_count:
            raise PagesRefused(
                f"Page {last} is past the end: this record has {page_count} "
                f"page{'' if page_count == 1 else 's'}."
            )
        spans.append((first, last))
    return merged(spans)


def merged(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Spans in order, those that overlap or touch made one."""
    out: list[Span] = []
    for first, last in sorted(spans):
        if out and first <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], last))
        else:
            out.append((first, last))
    return tuple(out)


def pages_text(spans: Iterable[Span]) -> str:
    """Spans as they are written: "3, 7–9"."""
    return ", ".join(str(first) if first == last else f"{first}–{last}" for first, last in spans)


def cited_pages(text: str, page_count: int) -> str:
    """``text`` checked against the record's length and written the one way; "" for all."""
    return pages_text(read_pages(text, page_count))
