"""California: its own word for MMI and its own report, no rules computed here.

Source: docs/domain.md §1 (8 CCR 9785: "permanent and stationary", reported on the PR-4 by the
primary treating physician) and §3 (AMA Guides 5th edition).

Standard library only: this module must never import Django (docs/architecture.md §1).
"""

from __future__ import annotations

from cases.domain.jurisdictions.base import Jurisdiction


class California(Jurisdiction):
    """California: the generic answers (no statutory MMI, no impairment benefit rule)."""

    mmi_term = "permanent and stationary"
    report_form = "PR-4"
    # 8 CCR 9805 and the PDRS: California rates with the AMA Guides 5th edition.
    accepted_guides_editions = ("5th",)

    def __init__(self) -> None:
        super().__init__(code="CA", name="California")
