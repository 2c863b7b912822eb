"""Forms of the MMI determination: one per step (docs/domain.md §6), the outside records each
step cites, signing, re-opening MMI, and disputes. The step classes in
cases/determination/steps.py decide what each form saves."""

from collections.abc import Sequence
from datetime import date

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone

from outside_records.citations import Citation, PagesRefused, cited_pages
from outside_records.models import OutsideRecord

from ..domain.jurisdictions import GUIDES_EDITIONS, UnknownJurisdiction, for_code
from ..models import (
    Case,
    Consultation,
    Determination,
    Diagnostic,
    Dispute,
    PsychologicalReadiness,
    Role,
    User,
)
from ..reports.determination_lines import record_words
from ..templatetags.dates import day
from .fields import DateInput, ICD10Field, choice_field, model_choice_field, not_in_future
from .impairment import ImpairmentItemsMixin

YES_NO = [("yes", "Yes"), ("no", "No")]


def _text(label: str, *, required: bool = False, rows: int = 3, help_text: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class StepForm(forms.Form):
    """A step's form. It carries the revision of the step as it was when the form was
    opened, so a save can tell that someone else saved the step in between."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    # (legend, field names) groups shown as fieldsets; None: every field in order.
    fieldsets: tuple[tuple[str, tuple[str, ...]], ...] | None = None

    def __init__(self, *args, determination: Determination, case: Case, **kwargs):
        self.determination = determination
        self.case = case
        super().__init__(*args, **kwargs)

    def grouped(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The visible fields in their fieldsets, for the step template."""
        if self.fieldsets is None:
            return [("", [field for field in self if not field.is_hidden])]
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]


class CitationsForm(forms.Form):
    """The outside records of the case a step cites: each ticked, with the pages cited (blank:
    all of it). Only the records offered can be ticked; the service checks them again."""

    prefix = "cite"

    records = forms.MultipleChoiceField(
        label="Outside records reviewed",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Only this case's outside records in force can be cited; "
            "record %(value)s is not one of them."
        },
    )

    def __init__(self, *args, records: Sequence[OutsideRecord], **kwargs):
        super().__init__(*args, **kwargs)
        self.offered = list(records)
        choice_field(self, "records").choices = [(str(r.pk), record_words(r)) for r in self.offered]
        for record in self.offered:
            count = record.stored_file.page_count
            self.fields[self.pages_name(record)] = forms.CharField(
                label="Pages cited",
                required=False,
                max_length=100,
                help_text=f"Of {count} page{'' if count == 1 else 's'}, like 3, 7–9. "
                "Blank: all of it.",
            )

    @staticmethod
    def pages_name(record: OutsideRecord) -> str:
        return f"pages_{record.pk}"

    def rows(self) -> list[tuple[OutsideRecord, object, forms.BoundField]]:
        """Each record with its tick box and its pages, for the step template."""
        boxes = {str(box.data["value"]): box for box in self["records"]}
        return [(r, boxes[str(r.pk)], self[self.pages_name(r)]) for r in self.offered]

    def clean(self):
        cleaned = super().clean()
        ticked = set(cleaned.get("records") or ())
        for record in self.offered:
            name = self.pages_name(record)
            pages = cleaned.get(name) or ""
            if str(record.pk) not in ticked:
                if pages.strip():
                    self.add_error(name, "Tick the record to cite these pages.")
                continue
            try:
                cleaned[name] = cited_pages(pages, record.stored_file.page_count)
            except PagesRefused as refused:
                self.add_error(name, str(refused))
        return cleaned

    def citations(self) -> list[Citation]:
        """The records ticked, in the order offered, with their pages; from a valid form."""
        ticked = set(self.cleaned_data["records"])
        return [
            Citation(record_id=r.pk, pages=self.cleaned_data[self.pages_name(r)])
            for r in self.offered
            if str(r.pk) in ticked
        ]


class ClinicalForm(StepForm):
    """Step 1: clinical evaluation. The exam date anchors the certification (docs/domain.md §6)."""

    exam_date = forms.DateField(
        widget=DateInput(),
        help_text="The examination this certification rests on.",
        error_messages={"required": "Enter the date you examined the worker."},
    )
    records_received_date = forms.DateField(
        label="All medical records received on",
        required=False,
        widget=DateInput(),
        help_text="The day the last of the medical records needed arrived. Left blank, it is "
        "the day the last of the outside records you cite was received. The certification "
        "is due by the 7th working day after the later of this day and the exam (Texas, "
        "28 TAC 130.1(d)(2)).",
    )
    diagnosis_codes = ICD10Field(
        label="Diagnosis (ICD-10 codes)",
        error_messages={"required": "Enter at least one ICD-10 diagnosis code."},
    )
    history = _text(
        "History",
        required=True,
        rows=4,
        help_text="How the injury happened and how it has been treated since.",
    )
    complaints = _text("Current complaints")
    objective_findings = _text(
        "Examination findings",
        required=True,
        rows=4,
        help_text="Normal and abnormal findings of this examination.",
    )
    functional_status = _text("Functional status", help_text="What the worker can and cannot do.")
    psychological_readiness = forms.ChoiceField(
        label="Psychological readiness to return to work",
        choices=[("", "---------"), *PsychologicalReadiness.choices],
        error_messages={"required": "Say whether the worker is psychologically ready."},
    )
    psychological_notes = _text("Notes on psychological readiness", rows=2)

    def clean_records_received_date(self):
        value = self.cleaned_data["records_received_date"]
        if value is not None:
            not_in_future(value, "The date the records were received")
        return value


class TherapyForm(StepForm):
    """Step 2: the response to treatment, judged beside the outcome measures."""

    interpretation = _text(
        "Your interpretation",
        required=True,
        rows=4,
        help_text="What the treatment achieved: functional gains, not pain alone.",
    )
    improving_under_authorised_treatment = forms.ChoiceField(
        label="Is authorised treatment still producing improvement?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="Still-authorised treatment that is producing improvement argues against MMI.",
        error_messages={"required": "Answer whether authorised treatment is still helping."},
    )


class DiagnosticsForm(StepForm):
    """Step 3: each diagnostic test on file marked reviewed, stable or changed."""

    objective_findings = _text(
        "Objective findings that support any impairment",
        help_text="Impairment needs an objective clinical or laboratory finding "
        "(Texas Labor Code §408.122).",
    )
    comments = _text("Comments")

    def __init__(self, *args, diagnostics: list[Diagnostic], **kwargs):
        super().__init__(*args, **kwargs)
        self.diagnostics = diagnostics
        for diagnostic in diagnostics:
            self.fields[self.field_name(diagnostic)] = forms.ChoiceField(
                label=self.label(diagnostic),
                choices=[("stable", "Reviewed: stable"), ("changed", "Reviewed: changed")],
                widget=forms.RadioSelect,
                error_messages={"required": "Mark this test reviewed: stable or changed."},
            )
        self.fields = {
            name: self.fields[name]
            for name in [
                "revision",
                *(self.field_name(d) for d in diagnostics),
                "objective_findings",
                "comments",
            ]
        }

    @staticmethod
    def field_name(diagnostic: Diagnostic) -> str:
        return f"diagnostic_{diagnostic.pk}"

    @staticmethod
    def label(diagnostic: Diagnostic) -> str:
        where = f", {diagnostic.body_part}" if diagnostic.body_part else ""
        return f"{diagnostic.get_kind_display()} of {day(diagnostic.date)}{where}"


class ConsultationsForm(StepForm):
    """Step 4: each expert opinion agreeing or disagreeing with MMI, and why."""

    designated_doctor_examined = forms.ChoiceField(
        label="Has a designated doctor examined the worker?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="In Texas the designated doctor's opinion has presumptive weight (§408.125).",
        error_messages={"required": "Answer whether a designated doctor has examined."},
    )
    comments = _text("Comments")

    def __init__(self, *args, consultations: list[Consultation], **kwargs):
        super().__init__(*args, **kwargs)
        self.consultations = consultations
        for consultation in consultations:
            opinion, why = self.field_names(consultation)
            self.fields[opinion] = forms.ChoiceField(
                label=f"{self.label(consultation)}: opinion on MMI",
                choices=Consultation.MMIOpinion.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Say what this opinion says about MMI."},
            )
            self.fields[why] = forms.CharField(
                label="Why",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="The reasons given, and whether you agree with them.",
            )
        self.fields = {
            name: self.fields[name]
            for name in [
                "revision",
                *(n for c in consultations for n in self.field_names(c)),
                "designated_doctor_examined",
                "comments",
            ]
        }

    @staticmethod
    def field_names(consultation: Consultation) -> tuple[str, str]:
        return f"consultation_{consultation.pk}", f"consultation_{consultation.pk}_why"

    @staticmethod
    def label(consultation: Consultation) -> str:
        return (
            f"{consultation.get_kind_display()}, {consultation.consultant}, "
            f"{day(consultation.date)}"
        )

    def clean(self):
        cleaned = super().clean()
        for consultation in self.consultations:
            opinion, why = self.field_names(consultation)
            stated = cleaned.get(opinion) in {
                Consultation.MMIOpinion.AGREES,
                Consultation.MMIOpinion.DISAGREES,
            }
            if stated and not (cleaned.get(why) or "").strip():
                self.add_error(why, "Say why this opinion agrees or disagrees with MMI.")
        designated = [
            c for c in self.consultations if c.kind == Consultation.Kind.DESIGNATED_DOCTOR
        ]
        if designated and cleaned.get("designated_doctor_examined") == "no":
            self.add_error(
                "designated_doctor_examined",
                f"A designated doctor examination is on file ({self.label(designated[-1])}): "
                "answer yes, or correct the consultation.",
            )
        return cleaned


class LegalForm(StepForm):
    """Step 5: the law the certification is made under and the DWC069 content."""

    certifying_clinician = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Certifying doctor",
        help_text="A doctor on the care team authorised to certify MMI; only they can sign.",
        error_messages={"required": "Choose the doctor who certifies."},
    )
    certifier_role = forms.ChoiceField(
        label="The certifying doctor's role",
        choices=[("", "---------"), *Determination.CertifierRole.choices],
        error_messages={"required": "Choose the certifying doctor's role."},
    )
    mmi_type = forms.ChoiceField(
        label="Clinical or statutory MMI",
        choices=[("", "Not at MMI"), *Determination.MMIType.choices],
        required=False,
        help_text="MMI is the earlier of clinical MMI (no further material recovery can "
        "reasonably be expected) and statutory MMI (set by law).",
    )
    carrier_claim_number = forms.CharField(label="Carrier claim number", max_length=40)
    state_claim_number = forms.CharField(label="State claim number", max_length=40, required=False)
    guides_edition = forms.ChoiceField(
        label="Rating guides used",
        choices=(),
        error_messages={"required": "Choose the rating guides used."},
    )

    def __init__(self, *args, statutory_mmi_date: date | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.statutory_mmi_date = statutory_mmi_date
        model_choice_field(self, "certifying_clinician").queryset = User.objects.filter(
            care_team_cases=self.case, role=Role.CLINICIAN, is_active=True, may_certify_mmi=True
        )
        # Only the guides the case's jurisdiction accepts (Texas: the 4th edition, or the
        # 3rd in its second printing; California the 5th; Florida its own 1996 schedule).
        try:
            accepted = for_code(self.case.jurisdiction).accepted_guides_editions
        except UnknownJurisdiction:
            accepted = ()
        choice_field(self, "guides_edition").choices = [
            ("", "---------"),
            *((code, GUIDES_EDITIONS[code]) for code in accepted),
        ]

    def clean(self):
        cleaned = super().clean()
        try:
            for_code(self.case.jurisdiction)
        except UnknownJurisdiction as error:
            raise forms.ValidationError(
                f"The case's jurisdiction is not known: {error} A case manager corrects it."
            ) from None
        if cleaned.get("mmi_type") == Determination.MMIType.STATUTORY and (
            self.statutory_mmi_date is None
        ):
            self.add_error(
                "mmi_type",
                "Statutory MMI needs a statutory MMI date, and this case has none: the "
                "jurisdiction sets no statutory MMI or the date disability began is not "
                "recorded. Choose clinical MMI, or have a case manager record that date.",
            )
        return cleaned


class OutcomeForm(ImpairmentItemsMixin, StepForm):
    """The outcome: at MMI (with its date and rating) or not (with the expected date). The
    rating is computed from the impairment items when there are any."""

    mmi_reached = forms.ChoiceField(
        label="Has the worker reached MMI?",
        choices=[("yes", "Yes: at MMI"), ("no", "No: not at MMI yet")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the worker has reached MMI."},
    )
    mmi_date = forms.DateField(label="MMI date", widget=DateInput(), required=False)
    impairment_finding = forms.ChoiceField(
        label="Impairment determination",
        choices=Determination.ImpairmentFinding.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="No permanent impairment is not the same as a 0 % rating; only a doctor "
        "certified to rate may assign a rating, 0 % included.",
    )
    impairment_rating = forms.IntegerField(
        label="Whole person impairment (%)",
        required=False,
        min_value=0,
        max_value=100,
        help_text="With a permanent impairment: the whole person rating, a whole percent from "
        "0 to 100. With impairment items the rating computed from them is saved instead.",
        error_messages={
            "invalid": "Give the whole person impairment as a whole percent from 0 to 100.",
            # Formatted with the limit, hence the doubled percent sign.
            "min_value": "The impairment cannot be below %(limit_value)s %%.",
            "max_value": "The impairment cannot be above %(limit_value)s %%.",
        },
    )
    permanent_restrictions = _text("Permanent restrictions")
    future_care = _text("Future and maintenance care")
    return_to_work = _text("Return-to-work recommendation")
    expected_mmi_date = forms.DateField(
        label="MMI expected on or about", widget=DateInput(), required=False
    )
    plan = _text("Plan to reach MMI")
    mmi_unconditional = forms.BooleanField(
        label="MMI does not depend on any future treatment or event.",
        required=False,
        help_text="A certification of MMI “unless” or “if” something happens later is invalid "
        "(28 TAC 130.1). Describing permanent restrictions is not a condition.",
    )
    rationale = _text(
        "Rationale",
        required=True,
        rows=5,
        help_text="How you reached this conclusion: findings, response to treatment, and why "
        "further material recovery is or is not expected. State MMI without conditions.",
    )

    fieldsets = (
        ("", ("mmi_reached",)),
        (
            "If at MMI",
            (
                "mmi_date",
                "impairment_finding",
                "impairment_rating",
                "permanent_restrictions",
                "future_care",
                "return_to_work",
                "mmi_unconditional",
            ),
        ),
        ("If not at MMI", ("expected_mmi_date", "plan")),
        ("", ("rationale",)),
    )

    REACHED_ONLY = (
        "mmi_date",
        "impairment_finding",
        "impairment_rating",
        "permanent_restrictions",
        "future_care",
        "return_to_work",
        "mmi_unconditional",
    )
    NOT_REACHED_ONLY = ("expected_mmi_date", "plan")

    def clean(self):
        # The rules on dates, the impairment determination and conditions are judged by the
        # service that saves the step, with the checklist's own words; the form only asks
        # for what each answer needs.
        cleaned = super().clean()
        if cleaned.get("mmi_reached") == "no" and not (cleaned.get("plan") or "").strip():
            self.add_error("plan", "Describe the plan to reach MMI.")
        return cleaned


class SignForm(forms.Form):
    """Signing: the certifying clinician confirms with their password. The password is
    checked as a login is (``authenticate``), so a wrong one counts towards the same lockout
    (django-axes) as a failed login, and a locked-out user cannot sign."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to sign."},
    )
    confirm = forms.BooleanField(
        label="I certify this determination. I understand that a signed certification "
        "cannot be changed: corrections are made by amendment.",
        error_messages={"required": "Tick the box to confirm you are signing."},
    )

    def __init__(self, *args, user: User, request: HttpRequest, **kwargs):
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        confirmed = authenticate(self.request, username=self.user.username, password=password)
        if confirmed is None or confirmed.pk != self.user.pk:
            raise forms.ValidationError("That is not your password. Nothing was signed.")
        return password


class RescindForm(forms.Form):
    """Re-opening MMI: why, in a category and in words, confirmed."""

    category = forms.ChoiceField(
        label="Why is MMI re-opened?",
        choices=Determination.RescindReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why MMI is re-opened."},
    )
    reason = _text("Explanation", required=True)
    confirm = forms.BooleanField(
        label="I re-open MMI: this certification is rescinded and the case goes back into "
        "treatment. The certification stays on file.",
        error_messages={"required": "Tick the box to confirm."},
    )


class DisputeForm(forms.ModelForm):
    """A party's dispute; its dates are judged by the service that records it."""

    class Meta:
        model = Dispute
        fields = [
            "disputed_by",
            "disputed_issue",
            "notice_date",
            "received_on",
            "review_requested",
            "notes",
        ]
        labels = {"notice_date": "The party received the certification on"}
        widgets = {
            "notice_date": DateInput(),
            "received_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, determination: Determination, **kwargs):
        self.determination = determination
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        issue = self.fields["disputed_issue"]
        issue.required = True
        issue.error_messages["required"] = "Say what the party disputes."


class DisputeResolveForm(forms.ModelForm):
    outcome = forms.ChoiceField(
        choices=[
            choice for choice in Dispute.Outcome.choices if choice[0] != Dispute.Outcome.PENDING
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome of the review."},
    )

    class Meta:
        model = Dispute
        fields = ["outcome", "outcome_date", "notes"]
        widgets = {"outcome_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome_date"].required = True
        self.fields["outcome_date"].error_messages["required"] = "Give the date of the outcome."

    def clean_outcome_date(self):
        value = self.cleaned_data["outcome_date"]
        not_in_future(value, "The outcome date")
        if value < self.instance.notice_date:
            raise forms.ValidationError(
                f"The outcome cannot come before the notice ({day(self.instance.notice_date)})."
            )
        return value
