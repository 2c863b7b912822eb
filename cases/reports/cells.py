"""Cells of the CSV files we serve, as text a spreadsheet shows rather than runs."""

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection);
# tab and carriage return can smuggle one past a naive check, and some spreadsheets read the
# full-width forms (＝ ＋ － ＠) as the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(cell: str) -> str:
    """The cell as text a spreadsheet shows rather than runs: a leading apostrophe."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell
