"""Cells of the CSV files we serve, as text a spreadsheet shows rather than runs."""

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection);
# tab and carriage return can smuggle one past a naive check.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """The cell as text a spreadsheet shows rather than runs: a leading apostrophe."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell
