"""Filling an official form's AcroForm fields with pypdf.

A form revision is an ``OfficialForm`` (its file and its signature field) and a field map:
a function from the record's values to ``{field name: value}`` (one module per revision,
beside this one). A text value is a string, a check box True when ticked; a field the record
does not know is left out and stays blank.

The filled fields are read-only, and carry their own appearance streams, so that every viewer
shows the values as filled, without regenerating anything (which would break a signature).
"""

import io
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import cast

from pypdf import PdfReader, PdfWriter
from pypdf.constants import FieldDictionaryAttributes as FA
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

FORMS_DIR = Path(__file__).resolve().parent / "forms"

FieldValues = Mapping[str, str | bool]


@dataclass(frozen=True)
class OfficialForm:
    """One revision of a state's form, shipped in ``forms/``."""

    code: str
    title: str
    revision: str
    file: Path
    # The form's own signature field, or the name of the one added (at ``signature_box``,
    # page index and box in points) when the form has none.
    signature_field: str
    signature_box: tuple[int, tuple[int, int, int, int]] | None = None
    # Text fields drawn against their right edge (one that shares its box with the signature).
    aligned_right: frozenset[str] = frozenset()


class UnknownField(KeyError):
    """A field map names a field the form does not have: the map is for another revision."""


def _qualified_name(field: DictionaryObject) -> str:
    parts = []
    node: DictionaryObject | None = field
    while node is not None:
        if "/T" in node:
            parts.append(str(node["/T"]))
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return ".".join(reversed(parts))


def _field_of(widget: DictionaryObject) -> DictionaryObject:
    """The field dictionary of a widget (the widget itself when merged with its field)."""
    if "/T" not in widget and "/Parent" in widget:
        return cast(DictionaryObject, widget["/Parent"].get_object())
    return widget


def _on_state(widget: DictionaryObject) -> NameObject:
    normal = cast(DictionaryObject, cast(DictionaryObject, widget["/AP"])["/N"])
    states = [str(name) for name in normal if str(name) != "/Off"]
    return NameObject(states[0] if states else "/Yes")


# Helvetica's average glyph width, in ems, and the line height: enough to size a value so
# that it stays inside its box.
_AVERAGE_WIDTH = 0.55
_LEADING = 1.2
LARGEST, SMALLEST = 9.0, 5.0


def _fitted(field: DictionaryObject, widget: DictionaryObject, value: str) -> str:
    """Set the field's font size so that ``value`` fits its box (lines joined when two do
    not fit its height), and return the value as it is to be drawn."""
    left, bottom, right, top = (float(edge) for edge in cast(ArrayObject, widget["/Rect"]))
    width, height = abs(right - left) - 4, abs(top - bottom) - 2
    lines = value.splitlines() or [""]
    if len(lines) > 1 and height < len(lines) * SMALLEST * _LEADING:
        lines = [", ".join(line for line in lines if line)]
    longest = max(len(line) for line in lines) or 1
    size = min(LARGEST, height / (len(lines) * _LEADING), width / (longest * _AVERAGE_WIDTH))
    size = max(SMALLEST, round(size, 1))
    if len(lines) > 1:
        flags = int(field.get(FA.Ff, 0))
        field[NameObject(FA.Ff)] = NumberObject(flags | FA.FfBits.Multiline)
    appearance = TextStringObject(f"/Helv {size} Tf 0 g")
    field[NameObject("/DA")] = appearance
    widget[NameObject("/DA")] = appearance
    return "\n".join(lines)


@cache
def _blank(file: Path) -> tuple[PdfReader, frozenset[str]]:
    """The blank form, read and decrypted once per process, and the names of its fields:
    filling clones it (a fifth of the time reading it again takes)."""
    reader = PdfReader(file)
    if reader.is_encrypted:
        reader.decrypt("")  # the published forms open with an empty user password
    return reader, frozenset(reader.get_fields() or {})


# A PdfReader reads its objects lazily from one stream: one fill at a time clones from it.
_BLANK_READING = threading.Lock()


def form_fill(form: OfficialForm, values: FieldValues, *, appended: bytes | None = None) -> bytes:
    """The form filled with ``values``, every field read-only, followed by the pages of the
    PDF ``appended`` (the narrative report), as one PDF."""
    blank, known = _blank(form.file)
    unknown = set(values) - known
    if unknown:
        raise UnknownField(f"{form.code} {form.revision} has no field {sorted(unknown)!r}.")
    with _BLANK_READING:
        writer = PdfWriter(clone_from=blank)
    texts = {name: value for name, value in values.items() if isinstance(value, str)}
    for page in writer.pages:
        page_texts = {}
        for annotation in page.get("/Annots", []) or []:
            widget = annotation.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            field = _field_of(widget)
            name = _qualified_name(field)
            kind = field.get("/FT")
            if kind == "/Btn" and values.get(name) is True:
                state = _on_state(widget)
                field[NameObject("/V")] = state
                widget[NameObject("/AS")] = state
            elif kind == "/Tx" and name in texts:
                page_texts[name] = _fitted(field, widget, texts[name])
                if name in form.aligned_right:
                    field[NameObject("/Q")] = NumberObject(2)
                    widget[NameObject("/Q")] = NumberObject(2)
            if kind != "/Sig":
                flags = int(field.get(FA.Ff, 0))
                field[NameObject(FA.Ff)] = NumberObject(flags | FA.FfBits.ReadOnly)
        if page_texts:
            writer.update_page_form_field_values(page, page_texts, auto_regenerate=False)
    # Each text field now has its own appearance: no viewer is asked to draw them again.
    acro_form = cast(DictionaryObject, writer.root_object["/AcroForm"])
    acro_form[NameObject("/NeedAppearances")] = BooleanObject(False)
    if appended is not None:
        writer.append(PdfReader(io.BytesIO(appended)), import_outline=False)
    writer.add_metadata({"/Title": TextStringObject(f"{form.code} {form.title}")})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def form_field_values(pdf: bytes) -> dict[str, str]:
    """The filled values of a PDF's fields, by qualified name (what tests read back)."""
    fields = PdfReader(io.BytesIO(pdf)).get_fields() or {}
    return {
        name: str(field["/V"])
        for name, field in fields.items()
        if "/V" in field and field.get("/FT") != "/Sig"
    }
