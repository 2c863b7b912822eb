"""Validity checklist shown before a clinician signs an MMI certification.

Source: DOMAIN.md §2 (the certification, modelled on the Texas DWC069) and the validity
rules of 28 TAC 130.1 as applied by Texas appeals panel decisions; consistency warnings
from DOMAIN.md §2/§3/§6 and Labor Code §408.122 (impairment needs an objective finding).

Standard library only: this module must never import Django (STYLE.md habit 1).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal

from .dates import day_label as _day

MmiType = Literal["clinical", "statutory"]
MMI_TYPES: tuple[str, ...] = ("clinical", "statutory")


@dataclass(frozen=True, kw_only=True)
class CertificationFacts:
    """Everything the checklist needs about one certification, as plain values.

    ``statutory_mmi_date`` is None where the jurisdiction has no statutory MMI (or it is not
    known yet). ``today`` is passed in so the rules stay pure and testable.
    ``has_objective_findings``: an objective finding anywhere (the examination of step 1 or
    diagnostic testing in step 3); ``has_diagnostic_objective_findings``: one from diagnostic
    testing (step 3).
    """

    date_of_injury: date
    exam_date: date | None
    mmi_reached: bool
    mmi_date: date | None
    expected_mmi_date: date | None
    statutory_mmi_date: date | None
    mmi_type: MmiType | None
    impairment_rating: int | None
    rationale: str
    certifier_may_certify: bool
    certifier_may_rate: bool
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
    NOT_CONDITIONAL = "not_conditional"
    RATING_NEEDS_MMI_DATE = "rating_needs_mmi_date"
    RATING_WHOLE_PERCENT = "rating_whole_percent"
    CERTIFIER_AUTHORISED = "certifier_authorised"
    CERTIFIER_MAY_RATE = "certifier_may_rate"
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
    RuleCode.NOT_CONDITIONAL: "Certification not conditional",
    RuleCode.RATING_NEEDS_MMI_DATE: "Impairment rating only with an MMI date",
    RuleCode.RATING_WHOLE_PERCENT: "Impairment rating a whole percent from 0 to 100",
    RuleCode.CERTIFIER_AUTHORISED: "Certifying doctor authorised",
    RuleCode.CERTIFIER_MAY_RATE: "Doctor certified to rate impairment",
    RuleCode.RATIONALE_PRESENT: "Rationale written",
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


# Phrases that make an MMI certification conditional ("at MMI unless surgery…"), which
# 28 TAC 130.1 and the appeals panels treat as invalid (DOMAIN §2). Matched as whole words,
# case-insensitively, with any run of whitespace between the words of a phrase.
CONDITIONAL_PHRASES: tuple[str, ...] = (
    "unless",
    "provided that",
    "providing that",
    "if surgery",
    "pending",
    "contingent",
    "subject to",
    "assuming",
    "depending on",
    "conditional on",
    "conditional upon",
)

_CONDITIONAL_RE = re.compile(
    r"\b(?:"
    + "|".join(r"\s+".join(map(re.escape, p.split())) for p in CONDITIONAL_PHRASES)
    + r")\b",
    re.IGNORECASE,
)


def find_conditional_phrases(text: str) -> tuple[str, ...]:
    """Conditional phrases found in ``text``, as written there, first occurrence of each.

    Used by the "not conditional" rule (28 TAC 130.1; DOMAIN §2) and usable as a live hint
    while the clinician types.
    """
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
    """Rules for a worker certified at MMI (DOMAIN §1–2, 28 TAC 130.1)."""
    results: list[RuleResult] = []
    mmi = facts.mmi_date
    exam = facts.exam_date
    injury = facts.date_of_injury
    statutory = facts.statutory_mmi_date

    # MMI is the earlier of clinical and statutory MMI (Labor Code §401.011(30)); the
    # certification says which one it is (DOMAIN §2).
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
    # Without an exam date this cannot be judged; the exam-date rule already fails.
    if exam is not None:
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
                    f"date itself (DOMAIN §1). Use {_day(statutory)}, or choose clinical "
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
    """A worker not at MMI is certified "not at MMI, expected on or about <date>" (§2)."""
    expected = facts.expected_mmi_date
    exam = facts.exam_date
    if expected is None:
        return [
            _result(
                RuleCode.EXPECTED_MMI_DATE_PRESENT,
                False,
                "The worker is not at MMI, so give the date MMI is expected on or about.",
            )
        ]
    results = [
        _result(
            RuleCode.EXPECTED_MMI_DATE_PRESENT,
            True,
            f"MMI expected on or about {_day(expected)}.",
        )
    ]
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
    return results


def _conditional_rule(facts: CertificationFacts) -> RuleResult:
    # Only a certification *at* MMI can be conditional; "not at MMI pending surgery" is an
    # ordinary, valid reason for not being at MMI.
    phrases = find_conditional_phrases(facts.rationale)
    if not phrases:
        return _result(
            RuleCode.NOT_CONDITIONAL, True, "The certification states MMI without conditions."
        )
    quoted = ", ".join(f"“{phrase}”" for phrase in phrases)
    return _result(
        RuleCode.NOT_CONDITIONAL,
        False,
        f"The rationale says {quoted}, which makes MMI conditional: a certification "
        "cannot be conditional (“at MMI unless surgery…” is invalid, 28 TAC 130.1). "
        "Reword it without the condition; if MMI depends on future treatment, certify "
        "that the worker is not at MMI and give the expected date.",
    )


def _rating_rules(facts: CertificationFacts) -> list[RuleResult]:
    """An impairment rating exists only with an MMI date, as of that date, 0–100 (§2)."""
    rating = facts.impairment_rating
    results: list[RuleResult] = []
    if not facts.mmi_reached:
        if rating is None:
            results.append(
                _result(
                    RuleCode.RATING_NEEDS_MMI_DATE,
                    True,
                    "Not at MMI, and no impairment rating is given.",
                )
            )
        else:
            results.append(
                _result(
                    RuleCode.RATING_NEEDS_MMI_DATE,
                    False,
                    f"An impairment rating of {rating}% is entered but the worker is not "
                    "at MMI: a rating exists only with an MMI date and is rated as of that "
                    "date (28 TAC 130.1). Remove the rating, or certify MMI with its date.",
                )
            )
    elif rating is not None:
        if facts.mmi_date is None:
            results.append(
                _result(
                    RuleCode.RATING_NEEDS_MMI_DATE,
                    False,
                    f"An impairment rating of {rating}% is entered without an MMI date: "
                    "the rating is as of the MMI date, so enter the MMI date "
                    "(28 TAC 130.1).",
                )
            )
        else:
            results.append(
                _result(
                    RuleCode.RATING_NEEDS_MMI_DATE,
                    True,
                    f"The rating is as of the MMI date {_day(facts.mmi_date)}.",
                )
            )

    if rating is not None:
        # bool is an int in Python; True is not a rating.
        whole = isinstance(rating, int) and not isinstance(rating, bool)
        if whole and 0 <= rating <= 100:
            results.append(
                _result(
                    RuleCode.RATING_WHOLE_PERCENT,
                    True,
                    f"Whole person impairment {rating}%.",
                )
            )
        else:
            results.append(
                _result(
                    RuleCode.RATING_WHOLE_PERCENT,
                    False,
                    f"The impairment rating {rating!s}% is not a whole percent from 0 to "
                    "100: give the whole person rating as a whole number, rounded as the "
                    "Guides say (DOMAIN §3).",
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

    rating = facts.impairment_rating
    if facts.mmi_reached or rating is not None:
        # 28 TAC 130.1(a)(1)(B): a doctor not certified to rate may certify MMI only
        # when there is no impairment.
        if facts.certifier_may_rate:
            results.append(
                _result(
                    RuleCode.CERTIFIER_MAY_RATE,
                    True,
                    "You are certified to assign impairment ratings.",
                )
            )
        elif not rating:
            results.append(
                _result(
                    RuleCode.CERTIFIER_MAY_RATE,
                    True,
                    "You are not certified to rate impairment, which is fine for MMI with "
                    "no impairment.",
                )
            )
        else:
            results.append(
                _result(
                    RuleCode.CERTIFIER_MAY_RATE,
                    False,
                    f"You are not certified to assign impairment ratings, so you may "
                    f"certify MMI only with no impairment, but the rating is {rating}% "
                    "(28 TAC 130.1). Enter 0% if there is no permanent impairment, or "
                    "leave the rating blank for a doctor certified to rate.",
                )
            )
    return results


def _rationale_rule(facts: CertificationFacts) -> RuleResult:
    if (facts.rationale or "").strip():
        return _result(RuleCode.RATIONALE_PRESENT, True, "A rationale is written.")
    return _result(
        RuleCode.RATIONALE_PRESENT,
        False,
        "The rationale is empty: explain how you reached your conclusion on MMI — the "
        "findings, the response to treatment and why further material recovery is or is "
        "not expected (DOMAIN §2).",
    )


def check_certification(facts: CertificationFacts) -> Checklist:
    """Check a certification against the validity rules before it is signed.

    Returns every rule that applies (rules about the MMI date only when MMI is reached,
    about the expected date only when it is not, and so on), each passed or failed with a
    plain-words reason. Sources: DOMAIN.md §2; 28 TAC 130.1.
    """
    results: list[RuleResult] = _exam_rules(facts)
    if facts.mmi_reached:
        results += _mmi_rules(facts)
        results.append(_conditional_rule(facts))
    else:
        results += _not_at_mmi_rules(facts)
    results += _rating_rules(facts)
    results += _certifier_rules(facts)
    results.append(_rationale_rule(facts))
    return Checklist(results=tuple(results))


def consistency_warnings(facts: CertificationFacts) -> tuple[ConsistencyWarning, ...]:
    """Clinical inconsistencies worth a second look; they warn but never block signing.

    Sources: DOMAIN.md §2, §3 and §6 (permanent restrictions after MMI); Texas Labor Code
    §408.122 (impairment must rest on an objective clinical or laboratory finding).
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
    return tuple(warnings)
