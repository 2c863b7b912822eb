"""The diary rules (docs/domain.md §8, Diaries), one small class each (base.py says what a
rule is). To add one: write its class in the module of its jurisdiction (or
every_jurisdiction.py) and list it here."""

from .base import Due, Finding, Rule
from .california import PR2Due
from .deliveries import CopiesUndelivered, WindowClosing
from .every_jurisdiction import ReviewDateReached, WorkStatusExpiring
from .texas import DWC069Due, StatutoryMMIApproaching

RULES: tuple[Rule, ...] = (
    DWC069Due(),
    StatutoryMMIApproaching(),
    PR2Due(),
    ReviewDateReached(),
    WorkStatusExpiring(),
    CopiesUndelivered(),
    WindowClosing(),
)

BY_KEY: dict[str, Rule] = {rule.key: rule for rule in RULES}

__all__ = ["BY_KEY", "RULES", "Due", "Finding", "Rule"]
