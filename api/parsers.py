"""The API's JSON parser: DRF's, refusing documents nested deeper than any input needs."""

from collections.abc import Iterable
from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

# No input of the API nests more than a few levels (a work status, its list of
# restrictions, one restriction): deeper JSON is refused before any serializer walks it.
MAX_DEPTH = 20
TOO_DEEP = f"JSON parse error - nested more than {MAX_DEPTH} levels deep."


def depth(value) -> int:
    """How many arrays and objects deep a parsed JSON value goes, without recursion."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, level = pending.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            break
        pending.extend((child, level + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # Deep enough to exhaust Python's recursion limit while decoding.
            raise ParseError(TOO_DEEP) from None
        if depth(data) > MAX_DEPTH:
            raise ParseError(TOO_DEEP)
        return data
