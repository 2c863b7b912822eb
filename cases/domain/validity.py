"""Validity checklist shown before a clinician signs an MMI certification.

Source: docs/domain.md §2 (the certification, modelled on the Texas DWC069), the validity
rules of 28 TAC 130.1 as applied by Texas appeals panel decisions, Labor Code §408.123 (an
impairment determination is required with MMI) and 401.011(30) (nothing later than statutory
MMI); consistency warnings from docs/domain.md §2, §3 and §6 and Labor Code §408.122
(impairment needs an objective finding).

Standard library only: this module must never import Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal

from .dates import day_label as _day
from .impairment import ImpairmentItem
from .jurisdictions.base import GUIDES_EDITIONS

MmiType = Literal["clinical", "statutory"]
MMI_TYPES: tuple[str, ...] = ("clinical", "statutory")

ImpairmentFinding = Literal["none", "rated"]
# §408.123(a), 28 TAC 130.1(a)(1)(B)(ii): with MMI the doctor finds either no permanent
# impairment or a permanent impairment of N %; a finding of no impairment is not 0 %.
NO_IMPAIRMENT: ImpairmentFinding = "none"
RATED: ImpairmentFinding = "rated"


@dataclass(frozen=True, kw_only=True)
class CertificationFacts:
    """Everything the checklist needs about one certification, as plain values.

    ``statutory_mmi_date`` is None where the jurisdiction has no statutory MMI (or it is not
    known yet). ``today`` is passed in so the rules stay pure and testable; it is also the
    day the certification would be signed. ``has_objective_findings``: an objective finding
    anywhere (the examination of step 1 or diagnostic testing in step 3);
    ``has_diagnostic_objective_findings``: one from diagnostic testing (step 3).
    ``accepted_guides_editions`` and ``psychiatric_rating_cap`` are the jurisdiction's;
    ``certification_due`` is the day its rules make the certification due, if they do.
    """

    date_of_injury: date
    jurisdiction_name: str
    exam_date: date | None
    mmi_reached: bool
    mmi_date: date | None
    expected_mmi_date: date | None
    statutory_mmi_date: date | None
    mmi_type: MmiType | None
    impairment_finding: ImpairmentFinding | None
    impairment_rating: int | None
    impairment_items: tuple[ImpairmentItem, ...] = ()
    mmi_unconditional: bool
    rationale: str
    certifier_may_certify: bool
    certifier_may_rate: bool
    certifier_role: str
    certifier_licence_jurisdiction: str
    case_jurisdiction: str
    guides_edition: str
    accepted_guides_editions: tuple[str, ...]
    psychiatric_rating_cap: int | None = None
    certification_due: date | None = None
    today: date
    has_permanent_restrictions: bool
    has_objective_findings: bool
    has_diagnostic_objective_findings: bool


class RuleCode(StrEnum):
    """Stable identifiers of the validity rules (safe to store and to use in templates)."""

    EXAM_DATE_PRESENT = "exam_date_present"
    EXAM_DATE_NOT_IN_FUTURE = "exam_date_not_in_future"
    EXAM_DATE_NOT_BEFORE_INJURY = "exam_date_not_before_injury"
    MMI_TYPE_CHOSEN = "mmi_type_chosen"
    MMI_DATE_PRESENT = "mmi_date_present"
    MMI_DATE_NOT_PROSPECTIVE = "mmi_date_not_prospective"
    MMI_DATE_NOT_BEFORE_INJURY = "mmi_date_not_before_injury"
    MMI_DATE_NOT_AFTER_STATUTORY = "mmi_date_not_after_statutory"
    STATUTORY_MMI_ON_STATUTORY_DATE = "statutory_mmi_on_statutory_date"
    EXPECTED_MMI_DATE_PRESENT = "expected_mmi_date_present"
    EXPECTED_MMI_DATE_AFTER_EXAM = "expected_mmi_date_after_exam"
    EXPECTED_MMI_DATE_NOT_AFTER_STATUTORY = "expected_mmi_date_not_after_statutory"
    NOT_AT_MMI_BEFORE_STATUTORY = "not_at_mmi_before_statutory"
    NOT_CONDITIONAL = "not_conditional"
    IMPAIRMENT_DETERMINED = "impairment_determined"
    RATING_NEEDS_MMI_DATE = "rating_needs_mmi_date"
    RATING_WHOLE_PERCENT = "rating_whole_percent"
    PSYCHIATRIC_RATING_CAPPED = "psychiatric_rating_capped"
    CERTIFIER_AUTHORISED = "certifier_authorised"
    CERTIFIER_ROLE_GIVEN = "certifier_role_given"
    CERTIFIER_MAY_RATE = "certifier_may_rate"
    GUIDES_EDITION_ACCEPTED = "guides_edition_accepted"
    RATIONALE_PRESENT = "rationale_present"

    @property
    def label(self) -> str:
        """Short heading shown in the checklist."""
        return _TITLES[self]


_TITLES: dict[RuleCode, str] = {
    RuleCode.EXAM_DATE_PRESENT: "Exam date recorded",
    RuleCode.EXAM_DATE_NOT_IN_FUTURE: "Exam date not in the future",
    RuleCode.EXAM_DATE_NOT_BEFORE_INJURY: "Exam on or after the date of injury",
    RuleCode.MMI_TYPE_CHOSEN: "Clinical or statutory MMI chosen",
    RuleCode.MMI_DATE_PRESENT: "MMI date given",
    RuleCode.MMI_DATE_NOT_PROSPECTIVE: "MMI date not after the exam",
    RuleCode.MMI_DATE_NOT_BEFORE_INJURY: "MMI date on or after the date of injury",
    RuleCode.MMI_DATE_NOT_AFTER_STATUTORY: "MMI date no later than statutory MMI",
    RuleCode.STATUTORY_MMI_ON_STATUTORY_DATE: "Statutory MMI on the statutory date",
    RuleCode.EXPECTED_MMI_DATE_PRESENT: "Expected MMI date given",
    RuleCode.EXPECTED_MMI_DATE_AFTER_EXAM: "Expected MMI date after the exam",
    RuleCode.EXPECTED_MMI_DATE_NOT_AFTER_STATUTORY: "Expected MMI date no later than statutory MMI",
    RuleCode.NOT_AT_MMI_BEFORE_STATUTORY: "Not at MMI only before statutory MMI",
    RuleCode.NOT_CONDITIONAL: "Certification not conditional",
    RuleCode.IMPAIRMENT_DETERMINED: "Impairment determined",
    RuleCode.RATING_NEEDS_MMI_DATE: "Impairment rating only with an MMI date",
    RuleCode.RATING_WHOLE_PERCENT: "Impairment rating a whole percent from 0 to 100",
    RuleCode.PSYCHIATRIC_RATING_CAPPED: "Psychiatric impairment within its cap",
    RuleCode.CERTIFIER_AUTHORISED: "Certifying doctor authorised",
    RuleCode.CERTIFIER_ROLE_GIVEN: "Certifying doctor's role given",
    RuleCode.CERTIFIER_MAY_RATE: "Doctor certified to rate impairment",
    RuleCode.GUIDES_EDITION_ACCEPTED: "Rating guides accepted here",
    RuleCode.RATIONALE_PRESENT: "Rationale written",
}


# The field each rule is about: saving a step refuses a failure of the rules on its own
# fields, with the rule's own reason, so the forms, the services and the checklist say the
# same thing; the rest waits for signing.
RULE_FIELDS: dict[RuleCode, str] = {
    RuleCode.EXAM_DATE_PRESENT: "exam_date",
    RuleCode.EXAM_DATE_NOT_IN_FUTURE: "exam_date",
    RuleCode.EXAM_DATE_NOT_BEFORE_INJURY: "exam_date",
    RuleCode.MMI_DATE_PRESENT: "mmi_date",
    RuleCode.MMI_DATE_NOT_PROSPECTIVE: "mmi_date",
    RuleCode.MMI_DATE_NOT_BEFORE_INJURY: "mmi_date",
    RuleCode.MMI_DATE_NOT_AFTER_STATUTORY: "mmi_date",
    RuleCode.EXPECTED_MMI_DATE_PRESENT: "expected_mmi_date",
    RuleCode.EXPECTED_MMI_DATE_AFTER_EXAM: "expected_mmi_date",
    RuleCode.EXPECTED_MMI_DATE_NOT_AFTER_STATUTORY: "expected_mmi_date",
    RuleCode.NOT_AT_MMI_BEFORE_STATUTORY: "mmi_reached",
    RuleCode.NOT_CONDITIONAL: "mmi_unconditional",
    RuleCode.IMPAIRMENT_DETERMINED: "impairment_finding",
    RuleCode.RATING_NEEDS_MMI_DATE: "impairment_rating",
    RuleCode.RATING_WHOLE_PERCENT: "impairment_rating",
    RuleCode.PSYCHIATRIC_RATING_CAPPED: "impairment_rating",
    RuleCode.CERTIFIER_MAY_RATE: "impairment_finding",
}


@dataclass(frozen=True)
class RuleResult:
    """One line of the checklist: which rule, whether it passed, and why in plain words."""

    code: str
    title: str
    passed: bool
    reason: str


@dataclass(frozen=True)
class Checklist:
    """Every rule that applies to a certification, in the order a clinician reads them."""

    results: tuple[RuleResult, ...]

    @property
    def ok(self) -> bool:
        """True only when every applicable rule passed: the certification may be signed."""
        return all(result.passed for result in self.results)

    @property
    def failures(self) -> tuple[RuleResult, ...]:
        """The rules that block signing."""
        return tuple(result for result in self.results if not result.passed)

    @property
    def codes(self) -> tuple[str, ...]:
        """Codes of every applicable rule (handy in tests and templates)."""
        return tuple(result.code for result in self.results)

    def get(self, code: str) -> RuleResult | None:
        """The result of one rule, or None when that rule did not apply."""
        return next((result for result in self.results if result.code == code), None)

    def __iter__(self) -> Iterator[RuleResult]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)


@dataclass(frozen=True)
class ConsistencyWarning:
    """Something that looks clinically inconsistent: shown, but it does not block signing."""

    code: str
    message: str


# Wording that reads as a condition on MMI ("at MMI unless surgery…", "at MMI if no further
# surgery is performed"), which 28 TAC 130.1 and the appeals panels treat as invalid. It only
# warns: the doctor's explicit statement decides, and describing permanent restrictions
# ("returns to work subject to permanent restrictions") is not a condition (docs/domain.md
# §2). Matched as whole words, case-insensitively, any run of whitespace between words.
CONDITIONAL_PHRASES: tuple[str, ...] = (
    "unless",
    "if no",
    "if not",
    "if further",
    "if surgery",
    "if the",
    "provided that",
    "providing that",
    "pending",
    "contingent",
    "assuming",
    "depending on",
    "dependent on",
    "conditional",
    "as long as",
    "so long as",
    "until",
)

_CONDITIONAL_RE = re.compile(
    r"\b(?:"
    + "|".join(r"\s+".join(map(re.escape, p.split())) for p in CONDITIONAL_PHRASES)
    + r")\b",
    re.IGNORECASE,
)

# Words that name a psychiatric or behavioural impairment in an item's region.
_PSYCHIATRIC_RE = re.compile(r"\b(?:psychiatric|mental|behaviou?ral|psycholog)", re.IGNORECASE)
# Words that name the spine in an item's region, and the two 4th edition spine models.
_SPINE_RE = re.compile(r"\b(?:spine|spinal|lumbar|lumbosacral|thoracic|cervical)", re.I)
_DRE_RE = re.compile(r"\b(?:DRE|diagnosis[- ]related estimate)", re.IGNORECASE)
_ROM_RE = re.compile(r"\b(?:ROM|range[- ]of[- ]motion)\b", re.IGNORECASE)


def find_conditional_phrases(text: str) -> tuple[str, ...]:
    """Wording in ``text`` that reads as a condition, as written there, first occurrence of
    each; shown as a warning beside the doctor's statement that MMI is unconditional."""
    found: list[str] = []
    seen: set[str] = set()
    for match in _CONDITIONAL_RE.finditer(text or ""):
        phrase = " ".join(match.group(0).split())
        key = phrase.lower()
        if key not in seen:
            seen.add(key)
            found.append(phrase)
    return tuple(found)


def _result(code: RuleCode, passed: bool, reason: str) -> RuleResult:
    return RuleResult(code=str(code), title=code.label, passed=passed, reason=reason)


def _exam_rules(facts: CertificationFacts) -> list[RuleResult]:
    exam = facts.exam_date
    injury = facts.date_of_injury
    if exam is None:
        return [
            _result(
                RuleCode.EXAM_DATE_PRESENT,
                False,
                "No exam date is recorded: enter the date you examined the worker. The "
                "certification and the MMI date are judged against that exam "
                "(28 TAC 130.1).",
            )
        ]
    results = [_result(RuleCode.EXAM_DATE_PRESENT, True, f"Exam date {_day(exam)} is recorded.")]
    if exam > facts.today:
        results.append(
            _result(
                RuleCode.EXAM_DATE_NOT_IN_FUTURE,
                False,
                f"The exam date {_day(exam)} is after today ({_day(facts.today)}): a "
                "certification can only follow an examination that has taken place. "
                "Correct the exam date, or sign after the exam.",
            )
        )
    else:
        results.append(
            _result(
                RuleCode.EXAM_DATE_NOT_IN_FUTURE,
                True,
                f"The exam date {_day(exam)} is not after today ({_day(facts.today)}).",
            )
        )
    if exam < injury:
        results.append(
            _result(
                RuleCode.EXAM_DATE_NOT_BEFORE_INJURY,
                False,
                f"The exam date {_day(exam)} is before the date of injury {_day(injury)}: "
                "the exam that certifies MMI must be on or after the injury. Correct the "
                "exam date or the date of injury.",
            )
        )
    else:
        results.append(
            _result(
                RuleCode.EXAM_DATE_NOT_BEFORE_INJURY,
                True,
                f"The exam date {_day(exam)} is on or after the date of injury {_day(injury)}.",
            )
        )
    return results


def _mmi_rules(facts: CertificationFacts) -> list[RuleResult]:
    """Rules for a worker certified at MMI (docs/domain.md §1–2, 28 TAC 130.1)."""
    results: list[RuleResult] = []
    mmi = facts.mmi_date
    exam = facts.exam_date
    injury = facts.date_of_injury
    statutory = facts.statutory_mmi_date

    # MMI is the earlier of clinical and statutory MMI (Labor Code §401.011(30)); the
    # certification says which one it is (docs/domain.md §2).
    if facts.mmi_type in MMI_TYPES:
        results.append(
            _result(RuleCode.MMI_TYPE_CHOSEN, True, f"{facts.mmi_type.capitalize()} MMI.")
        )
    else:
        results.append(
            _result(
                RuleCode.MMI_TYPE_CHOSEN,
                False,
                "Say whether this is clinical MMI (no further material recovery can "
                "reasonably be expected) or statutory MMI (the end of the 104th week of "
                "temporary income benefits).",
            )
        )

    if mmi is None:
        results.append(
            _result(
                RuleCode.MMI_DATE_PRESENT,
                False,
                "You certify that the worker has reached MMI but give no MMI date: enter "
                "the date MMI was reached (28 TAC 130.1).",
            )
        )
        return results
    results.append(_result(RuleCode.MMI_DATE_PRESENT, True, f"MMI date {_day(mmi)}."))

    # Not prospective: MMI cannot be certified for a date after the exam (28 TAC 130.1).
    # Without an exam date, it cannot at least be after today; the exam-date rule fails.
    if exam is None:
        if mmi > facts.today:
            results.append(
                _result(
                    RuleCode.MMI_DATE_NOT_PROSPECTIVE,
                    False,
                    f"The MMI date {_day(mmi)} is after today: MMI is not certified for a "
                    "date to come (28 TAC 130.1). Use a date on or before the exam, or "
                    "certify that the worker is not at MMI and give the expected date.",
                )
            )
    else:
        if mmi > exam:
            results.append(
                _result(
                    RuleCode.MMI_DATE_NOT_PROSPECTIVE,
                    False,
                    f"The MMI date {_day(mmi)} is after the exam date {_day(exam)}: MMI "
                    "cannot be certified for a date after the examination "
                    "(28 TAC 130.1). Use a date on or before the exam date, or certify "
                    "that the worker is not at MMI and give the expected date.",
                )
            )
        else:
            results.append(
                _result(
                    RuleCode.MMI_DATE_NOT_PROSPECTIVE,
                    True,
                    f"The MMI date {_day(mmi)} is on or before the exam date {_day(exam)}.",
                )
            )

    if mmi < injury:
        results.append(
            _result(
                RuleCode.MMI_DATE_NOT_BEFORE_INJURY,
                False,
                f"The MMI date {_day(mmi)} is before the date of injury {_day(injury)}: "
                "a worker cannot recover from an injury before it happened. Correct the "
                "MMI date or the date of injury.",
            )
        )
    else:
        results.append(
            _result(
                RuleCode.MMI_DATE_NOT_BEFORE_INJURY,
                True,
                f"The MMI date {_day(mmi)} is on or after the date of injury {_day(injury)}.",
            )
        )

    if statutory is not None:
        if mmi > statutory:
            results.append(
                _result(
                    RuleCode.MMI_DATE_NOT_AFTER_STATUTORY,
                    False,
                    f"The MMI date {_day(mmi)} is after the statutory MMI date "
                    f"{_day(statutory)}: MMI is the earlier of clinical and statutory MMI, "
                    "so it cannot be later than the statutory date (Labor Code "
                    f"§401.011(30), 28 TAC 130.1). Certify statutory MMI on "
                    f"{_day(statutory)}, or an earlier clinical MMI date.",
                )
            )
        else:
            results.append(
                _result(
                    RuleCode.MMI_DATE_NOT_AFTER_STATUTORY,
                    True,
                    f"The MMI date {_day(mmi)} is on or before the statutory MMI date "
                    f"{_day(statutory)}.",
                )
            )

    if facts.mmi_type == "statutory":
        if statutory is None:
            results.append(
                _result(
                    RuleCode.STATUTORY_MMI_ON_STATUTORY_DATE,
                    False,
                    "Statutory MMI is chosen, but no statutory MMI date is known for this "
                    "case: record when temporary income benefits began to accrue so the "
                    "statutory date can be worked out, or certify clinical MMI.",
                )
            )
        elif mmi != statutory:
            results.append(
                _result(
                    RuleCode.STATUTORY_MMI_ON_STATUTORY_DATE,
                    False,
                    f"Statutory MMI is chosen, but the MMI date {_day(mmi)} is not the "
                    f"statutory MMI date {_day(statutory)}: statutory MMI falls on that "
                    f"date itself (Labor Code 401.011(30)). Use {_day(statutory)}, or choose "
                    "clinical "
                    "MMI if the worker reached MMI earlier.",
                )
            )
        else:
            results.append(
                _result(
                    RuleCode.STATUTORY_MMI_ON_STATUTORY_DATE,
                    True,
                    f"Statutory MMI on the statutory MMI date {_day(statutory)}.",
                )
            )
    return results


def _not_at_mmi_rules(facts: CertificationFacts) -> list[RuleResult]:
    """A worker not at MMI is certified "not at MMI, expected on or about <date>"; neither
    that certification nor its expected date may fall after statutory MMI (401.011(30),
    28 TAC 130.4): once statutory MMI has come, the worker is at MMI by law."""
    expected = facts.expected_mmi_date
    exam = facts.exam_date
    statutory = facts.statutory_mmi_date
    results: list[RuleResult] = []
    if statutory is not None and exam is not None:
        if exam > statutory:
            results.append(
                _result(
                    RuleCode.NOT_AT_MMI_BEFORE_STATUTORY,
                    False,
                    f"The exam of {_day(exam)} is after the statutory MMI date "
                    f"{_day(statutory)}: by then the worker has reached MMI by law, so "
                    "“not at MMI” cannot be certified (Labor Code 401.011(30), 28 TAC "
                    f"130.4). Certify statutory MMI on {_day(statutory)}, or an earlier "
                    "clinical MMI date.",
                )
            )
        else:
            results.append(
                _result(
                    RuleCode.NOT_AT_MMI_BEFORE_STATUTORY,
                    True,
                    f"The exam of {_day(exam)} is before the statutory MMI date {_day(statutory)}.",
                )
            )
    if expected is None:
        results.append(
            _result(
                RuleCode.EXPECTED_MMI_DATE_PRESENT,
                False,
                "The worker is not at MMI, so give the date MMI is expected on or about.",
            )
        )
        return results
    results.append(
        _result(
            RuleCode.EXPECTED_MMI_DATE_PRESENT,
            True,
            f"MMI expected on or about {_day(expected)}.",
        )
    )
    if exam is not None:
        if expected <= exam:
            results.append(
                _result(
                    RuleCode.EXPECTED_MMI_DATE_AFTER_EXAM,
                    False,
                    f"The expected MMI date {_day(expected)} is not after the exam date "
                    f"{_day(exam)}: a worker who is not at MMI at the exam can only reach "
                    "it later. Give a later expected date, or certify that MMI has been "
                    "reached.",
                )
            )
        else:
            results.append(
                _result(
                    RuleCode.EXPECTED_MMI_DATE_AFTER_EXAM,
                    True,
                    f"The expected MMI date {_day(expected)} is after the exam date {_day(exam)}.",
                )
            )
    if statutory is not None:
        if expected > statutory:
            results.append(
                _result(
                    RuleCode.EXPECTED_MMI_DATE_NOT_AFTER_STATUTORY,
                    False,
                    f"The expected MMI date {_day(expected)} is after the statutory MMI date "
                    f"{_day(statutory)}: the worker reaches MMI by law on that date at the "
                    "latest (Labor Code 401.011(30), 28 TAC 130.4). Give an expected date on "
                    f"or before {_day(statutory)}.",
                )
            )
        else:
            results.append(
                _result(
                    RuleCode.EXPECTED_MMI_DATE_NOT_AFTER_STATUTORY,
                    True,
                    f"The expected MMI date {_day(expected)} is on or before the statutory "
                    f"MMI date {_day(statutory)}.",
                )
            )
    return results


def _conditional_rule(facts: CertificationFacts) -> RuleResult:
    # Only a certification *at* MMI can be conditional; "not at MMI pending surgery" is an
    # ordinary, valid reason for not being at MMI. The doctor states it; wording that reads
    # as a condition is a warning (consistency_warnings), never a block.
    if facts.mmi_unconditional:
        return _result(
            RuleCode.NOT_CONDITIONAL,
            True,
            "You state that MMI does not depend on any future treatment or event.",
        )
    return _result(
        RuleCode.NOT_CONDITIONAL,
        False,
        "Confirm that MMI does not depend on any future treatment or event: a conditional "
        "certification (“at MMI unless surgery…”) is invalid (28 TAC 130.1). If MMI "
        "depends on future treatment, certify that the worker is not at MMI and give the "
        "expected date.",
    )


def _impairment_rules(facts: CertificationFacts) -> list[RuleResult]:
    """With MMI, exactly one impairment determination: no permanent impairment, or a
    permanent impairment of N % (0 % is a rating); without MMI, none (docs/domain.md §2)."""
    finding = facts.impairment_finding
    rating = facts.impairment_rating
    results: list[RuleResult] = []
    if not facts.mmi_reached:
        if finding is None and rating is None:
            results.append(
                _result(
                    RuleCode.RATING_NEEDS_MMI_DATE,
                    True,
                    "Not at MMI, and no impairment is determined.",
                )
            )
        else:
            given = f"a rating of {rating} %" if rating is not None else "an impairment finding"
            results.append(
                _result(
                    RuleCode.RATING_NEEDS_MMI_DATE,
                    False,
                    f"The worker is not at MMI but {given} is entered: impairment is "
                    "determined only with MMI, as of the MMI date (28 TAC 130.1). Remove it, "
                    "or certify MMI with its date.",
                )
            )
        return results

    if finding == NO_IMPAIRMENT and rating is None:
        results.append(
            _result(
                RuleCode.IMPAIRMENT_DETERMINED,
                True,
                "No permanent impairment (not the same as a 0 % rating).",
            )
        )
    elif finding == RATED and rating is not None:
        results.append(
            _result(
                RuleCode.IMPAIRMENT_DETERMINED,
                True,
                f"Permanent impairment of {rating} % whole person.",
            )
        )
    elif finding == NO_IMPAIRMENT:
        results.append(
            _result(
                RuleCode.IMPAIRMENT_DETERMINED,
                False,
                f"You find no permanent impairment but a rating of {rating} % is entered: "
                "choose one. A finding of no impairment is not a 0 % rating (DWC069; Labor "
                "Code §408.123).",
            )
        )
    else:
        results.append(
            _result(
                RuleCode.IMPAIRMENT_DETERMINED,
                False,
                "With MMI, give the impairment determination: “no permanent impairment”, "
                "or “permanent impairment of N %” with the whole person rating (0 % "
                "included). It may not be left blank (Labor Code §408.123(a), 28 TAC "
                "130.1).",
            )
        )

    if rating is not None:
        # bool is an int in Python; True is not a rating.
        whole = isinstance(rating, int) and not isinstance(rating, bool)
        if whole and 0 <= rating <= 100:
            results.append(
                _result(RuleCode.RATING_WHOLE_PERCENT, True, f"Whole person impairment {rating}%.")
            )
        else:
            results.append(
                _result(
                    RuleCode.RATING_WHOLE_PERCENT,
                    False,
                    f"The impairment rating {rating!s}% is not a whole percent from 0 to "
                    "100: give the whole person rating as a whole number, each combined "
                    "value rounded halves up as the Guides say.",
                )
            )

    cap = facts.psychiatric_rating_cap
    if cap is not None and finding == RATED:
        over = [
            item
            for item in facts.impairment_items
            if _PSYCHIATRIC_RE.search(item.region) and item.value > cap
        ]
        if over:
            named = ", ".join(f"{item.region} {item.value} %" for item in over)
            results.append(
                _result(
                    RuleCode.PSYCHIATRIC_RATING_CAPPED,
                    False,
                    f"{facts.jurisdiction_name} rates a psychiatric impairment at most "
                    f"{cap} % ({named}): Florida Statutes 440.15(3)(b). Lower it to "
                    f"{cap} % or less.",
                )
            )
        else:
            results.append(
                _result(
                    RuleCode.PSYCHIATRIC_RATING_CAPPED,
                    True,
                    f"No psychiatric impairment is rated above {cap} %.",
                )
            )
    return results


def _certifier_rules(facts: CertificationFacts) -> list[RuleResult]:
    results: list[RuleResult] = []
    if facts.certifier_may_certify:
        results.append(
            _result(
                RuleCode.CERTIFIER_AUTHORISED,
                True,
                "You are authorised to certify MMI for this case.",
            )
        )
    else:
        results.append(
            _result(
                RuleCode.CERTIFIER_AUTHORISED,
                False,
                "You are not recorded as a doctor authorised to certify MMI for this case "
                "(the treating doctor, a doctor acting for the treating doctor, the "
                "designated doctor, or the carrier-selected RME doctor; 28 TAC 130.1). "
                "Ask the authorised doctor to certify, or have your role recorded.",
            )
        )
    if facts.certifier_role:
        results.append(_result(RuleCode.CERTIFIER_ROLE_GIVEN, True, "The role is given."))
    else:
        results.append(
            _result(
                RuleCode.CERTIFIER_ROLE_GIVEN,
                False,
                "Say in which role you certify (treating doctor, doctor acting for the "
                "treating doctor, designated doctor, or carrier-selected RME doctor): the "
                "report states it (28 TAC 130.1).",
            )
        )

    if facts.mmi_reached and facts.impairment_finding == RATED:
        # 28 TAC 130.1(a)(1)(B): only a doctor certified to rate assigns a rating, 0 %
        # included; one who is not may certify MMI only with no permanent impairment.
        if facts.certifier_may_rate:
            results.append(
                _result(
                    RuleCode.CERTIFIER_MAY_RATE,
                    True,
                    "You are certified to assign impairment ratings.",
                )
            )
        else:
            results.append(
                _result(
                    RuleCode.CERTIFIER_MAY_RATE,
                    False,
                    "You are not certified to assign impairment ratings, so you may certify "
                    "MMI only with “no permanent impairment” (28 TAC 130.1(a)(1)(B)); a "
                    "0 % rating is a rating too. Choose “no permanent impairment”, or leave "
                    "the certification to a doctor certified to rate.",
                )
            )
    elif facts.mmi_reached and facts.impairment_finding == NO_IMPAIRMENT:
        results.append(
            _result(
                RuleCode.CERTIFIER_MAY_RATE,
                True,
                "No permanent impairment: any authorised doctor may certify it.",
            )
        )
    return results


def _edition_rule(facts: CertificationFacts) -> RuleResult:
    edition = facts.guides_edition
    accepted = " or ".join(GUIDES_EDITIONS[code] for code in facts.accepted_guides_editions)
    if edition in facts.accepted_guides_editions:
        return _result(
            RuleCode.GUIDES_EDITION_ACCEPTED,
            True,
            f"{GUIDES_EDITIONS[edition]}, accepted in {facts.jurisdiction_name}.",
        )
    if not edition:
        return _result(
            RuleCode.GUIDES_EDITION_ACCEPTED,
            False,
            f"Choose the rating guides used: {facts.jurisdiction_name} accepts {accepted}.",
        )
    return _result(
        RuleCode.GUIDES_EDITION_ACCEPTED,
        False,
        f"{GUIDES_EDITIONS.get(edition, edition)} is not accepted in "
        f"{facts.jurisdiction_name}, which rates with {accepted} (Texas: Labor Code §408.124, "
        "28 TAC 130.1(c); California: 8 CCR 9805; Florida: 440.15(3)(b)).",
    )


def _rationale_rule(facts: CertificationFacts) -> RuleResult:
    if (facts.rationale or "").strip():
        return _result(RuleCode.RATIONALE_PRESENT, True, "A rationale is written.")
    return _result(
        RuleCode.RATIONALE_PRESENT,
        False,
        "The rationale is empty: explain how you reached your conclusion on MMI — the "
        "findings, the response to treatment and why further material recovery is or is "
        "not expected (the narrative the DWC069 requires).",
    )


def check_certification(facts: CertificationFacts) -> Checklist:
    """Check a certification against the validity rules before it is signed.

    Returns every rule that applies (rules about the MMI date only when MMI is reached,
    about the expected date only when it is not, and so on), each passed or failed with a
    plain-words reason. Sources: docs/domain.md §2; 28 TAC 130.1; Labor Code §408.123.
    """
    results: list[RuleResult] = _exam_rules(facts)
    if facts.mmi_reached:
        results += _mmi_rules(facts)
        results.append(_conditional_rule(facts))
    else:
        results += _not_at_mmi_rules(facts)
    results += _impairment_rules(facts)
    results += _certifier_rules(facts)
    results.append(_edition_rule(facts))
    results.append(_rationale_rule(facts))
    return Checklist(results=tuple(results))


def field_errors(facts: CertificationFacts, fields: Iterable[str]) -> dict[str, list[str]]:
    """The failed rules about ``fields``, by field: what saving a step with those fields
    refuses (the checklist's own reasons; the checklist judges the rest at signing)."""
    wanted = set(fields)
    errors: dict[str, list[str]] = {}
    for result in check_certification(facts).failures:
        field = RULE_FIELDS.get(RuleCode(result.code))
        if field in wanted:
            errors.setdefault(field, []).append(result.reason)
    return errors


def _mixed_spine_models(items: tuple[ImpairmentItem, ...]) -> list[str]:
    """Spine regions rated with both the DRE and the range-of-motion model."""
    models: dict[str, set[str]] = {}
    for item in items:
        if not _SPINE_RE.search(item.region):
            continue
        seen = models.setdefault(item.region, set())
        if _DRE_RE.search(item.method):
            seen.add("DRE")
        if _ROM_RE.search(item.method):
            seen.add("ROM")
    return [region for region, seen in models.items() if seen == {"DRE", "ROM"}]


def consistency_warnings(facts: CertificationFacts) -> tuple[ConsistencyWarning, ...]:
    """Things worth a second look before signing; they warn but never block.

    Sources: docs/domain.md §2, §3 and §6; Texas Labor Code §408.122 (impairment must rest
    on an objective finding); 28 TAC 130.1(d)(2) (the DWC069 due date); the AMA Guides 4th
    edition (one spine model per region).
    """
    warnings: list[ConsistencyWarning] = []
    rating = facts.impairment_rating
    if rating == 0 and facts.has_permanent_restrictions:
        warnings.append(
            ConsistencyWarning(
                code="zero_rating_with_permanent_restrictions",
                message="The whole person impairment is 0% but permanent restrictions are "
                "recorded: a permanent restriction usually reflects a permanent "
                "impairment. Check the rating or the restrictions.",
            )
        )
    if facts.has_permanent_restrictions and not facts.has_diagnostic_objective_findings:
        warnings.append(
            ConsistencyWarning(
                code="restrictions_without_objective_finding",
                message="Permanent restrictions are recorded but no objective finding from "
                "diagnostic testing (step 3) supports them: record the finding they rest on, "
                "or review the restrictions.",
            )
        )
    if rating is not None and rating > 0 and not facts.has_objective_findings:
        warnings.append(
            ConsistencyWarning(
                code="rating_without_objective_finding",
                message=f"An impairment of {rating}% is rated but no objective finding is "
                "recorded: impairment must rest on an objective clinical or laboratory "
                "finding (Texas Labor Code §408.122). Record the finding, or review the "
                "rating.",
            )
        )
    phrases = find_conditional_phrases(facts.rationale) if facts.mmi_reached else ()
    if phrases:
        quoted = ", ".join(f"“{phrase}”" for phrase in phrases)
        warnings.append(
            ConsistencyWarning(
                code="conditional_wording",
                message=f"The rationale says {quoted}, which can read as a condition on MMI "
                "(“at MMI if no further surgery is performed” makes a certification invalid, "
                "28 TAC 130.1). If MMI depends on a future event, the worker is not at MMI; "
                "otherwise reword it so nobody reads it as a condition.",
            )
        )
    licence = facts.certifier_licence_jurisdiction
    if licence and facts.case_jurisdiction and licence != facts.case_jurisdiction:
        warnings.append(
            ConsistencyWarning(
                code="licence_jurisdiction_differs",
                message=f"The certifying doctor is licensed in {licence} but the case is "
                f"under {facts.jurisdiction_name} ({facts.case_jurisdiction}) law: check that "
                f"the licence allows certifying in {facts.case_jurisdiction}.",
            )
        )
    if facts.guides_edition == "4th":
        for region in _mixed_spine_models(facts.impairment_items):
            warnings.append(
                ConsistencyWarning(
                    code="spine_models_mixed",
                    message=f"{region} is rated with both the DRE model and the range-of-"
                    "motion model: the AMA Guides 4th edition rates a spine region with one "
                    "of them (DRE first; range of motion only where the Guides send you to "
                    "it). Check the items of that region.",
                )
            )
    due = facts.certification_due
    if due is not None and facts.today > due:
        warnings.append(
            ConsistencyWarning(
                code="signed_after_due_date",
                message=f"The certification was due by {_day(due)}, the 7th working day "
                "after the later of the exam and the receipt of the medical records (28 TAC "
                f"130.1(d)(2)); signing today, {_day(facts.today)}, is late. Sign it now all "
                "the same, and note why it is late.",
            )
        )
    return tuple(warnings)
