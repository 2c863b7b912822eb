"""Filling the official forms with pypdf, from plain values: no database."""

import pytest

from cases.reports.official import dwc069_rev0115
from cases.reports.official.filling import UnknownField, form_field_values, form_fill

FORM = dwc069_rev0115.FORM


def test_each_fill_starts_from_the_blank_form():
    # The blank is read once per process and cloned for each fill: nothing a fill writes
    # may reach the next one.
    first = form_fill(FORM, {"DWC Claim": "DWC-26-1", "13. Treating Doctor": True})
    second = form_fill(FORM, {"Carrier Claim": "LSM-2"})

    assert form_field_values(first)["DWC Claim"] == "DWC-26-1"
    assert form_field_values(first)["13. Treating Doctor"] != "/Off"
    filled_again = form_field_values(second)
    assert filled_again["Carrier Claim"] == "LSM-2"
    assert filled_again.get("DWC Claim", "") == ""
    assert filled_again.get("13. Treating Doctor", "/Off") == "/Off"


def test_a_field_the_revision_does_not_have_is_refused():
    with pytest.raises(UnknownField, match="DWC069 Rev. 01/15 has no field"):
        form_fill(FORM, {"Box 99": "x"})
