"""What the API shows of each record, and the shape of what it accepts.

Input rules are not repeated here: writes are checked by the same forms as the pages
(cases/forms/clinical.py) and saved by the same services (cases/services/), see views.
"""

from django.db import models
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.access import Capability, has_capability
from cases.models import (
    Assessment,
    Case,
    Consultation,
    Determination,
    Diagnostic,
    Instrument,
    IssuedReport,
    Organisation,
    OutcomeScore,
    Patient,
    Treatment,
    User,
    WorkRestriction,
    WorkStatus,
)
from cases.reports.preparing import kinds_being_prepared

# The most restrictions one work status takes through the API: more than any DWC073 lists,
# and a bound on what one request asks the server to check.
MAX_RESTRICTIONS = 30


class StrictCharField(serializers.CharField):
    """Text must be sent as a JSON string (DRF would turn 0 into "0")."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A whole number must be sent as a JSON number (DRF would read "5")."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """Yes or no must be sent as JSON true or false (DRF would read "yes" or 1)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class InputSerializer(serializers.ModelSerializer):
    """Reads input as JSON types, without DRF's lenient conversions."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.BooleanField: StrictBooleanField,
        models.PositiveIntegerField: StrictIntegerField,
        models.PositiveSmallIntegerField: StrictIntegerField,
    }


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name", "role"]


class ClinicianSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name", "licence_type", "licence_number", "licence_jurisdiction"]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind"]


class PatientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Patient
        fields = ["id", "first_name", "last_name", "date_of_birth"]


class CaseSerializer(serializers.ModelSerializer):
    patient = PatientSerializer()
    employer = OrganisationSerializer()
    insurer = OrganisationSerializer()
    case_manager = PersonSerializer()
    adjuster = PersonSerializer(allow_null=True)
    diagnosis_codes = serializers.ListField(
        source="diagnosis_code_list", child=serializers.CharField(), help_text="ICD-10-CM."
    )
    average_weekly_wage = serializers.SerializerMethodField(
        help_text="Shown to roles that see benefit estimates; null for others."
    )
    links = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "claim_number",
            "state_claim_number",
            "jurisdiction",
            "status",
            "date_of_injury",
            "disability_began",
            "statutory_mmi_date",
            "spinal_extension_ordered_on",
            "spinal_extension_date",
            "body_part",
            "body_side",
            "diagnosis_codes",
            "injury_description",
            "patient",
            "employer",
            "insurer",
            "case_manager",
            "adjuster",
            "representative_name",
            "representative_address",
            "representative_fax",
            "average_weekly_wage",
            "next_review_date",
            "mmi_date",
            "opened_at",
            "updated_at",
            "links",
        ]

    @extend_schema_field(serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True))
    def get_average_weekly_wage(self, case: Case) -> str | None:
        if case.average_weekly_wage is None:
            return None
        if not has_capability(self.context["request"].user, Capability.SEE_BENEFITS):
            return None
        return f"{case.average_weekly_wage:.2f}"

    @extend_schema_field(
        {
            "type": "object",
            "additionalProperties": {"type": "string", "format": "uri"},
            "description": "The case's records and its FHIR export.",
        }
    )
    def get_links(self, case: Case) -> dict[str, str]:
        request = self.context["request"]
        names = {
            "self": "api:case-detail",
            "treatments": "api:treatment-list",
            "assessments": "api:assessment-list",
            "diagnostics": "api:diagnostic-list",
            "consultations": "api:consultation-list",
            "work_statuses": "api:work-status-list",
            "determinations": "api:determination-list",
        }
        links = {
            key: request.build_absolute_uri(reverse(name, args=[case.pk]))
            for key, name in names.items()
        }
        links["reports"] = request.build_absolute_uri(reverse("api:report-list", args=[case.pk]))
        links["fhir"] = request.build_absolute_uri(reverse("api:fhir-everything", args=[case.pk]))
        return links


class TreatmentSerializer(InputSerializer):
    class Meta:
        model = Treatment
        fields = ["id", *Treatment.RECORDED_FIELDS, "created_at"]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"authorised": {"default": True}}


class OutcomeScoreSerializer(serializers.ModelSerializer):
    instrument: serializers.SlugRelatedField[Instrument] = serializers.SlugRelatedField(
        slug_field="abbreviation", read_only=True
    )

    class Meta:
        model = OutcomeScore
        fields = ["instrument", "value", "scale_min", "scale_max"]


class AssessmentSerializer(serializers.ModelSerializer):
    clinician = ClinicianSerializer(read_only=True)
    scores = OutcomeScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", *Assessment.RECORDED_FIELDS, "scores"]


class ScoreInputSerializer(serializers.Serializer):
    instrument = StrictCharField(
        max_length=20, help_text="The measure's abbreviation, one the case tracks (e.g. ODI)."
    )
    value = serializers.DecimalField(max_digits=7, decimal_places=2)
    scale_max = serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="The scale the value is on, for a measure with two (NDI: 50 points or 100 %).",
    )


class AssessmentInputSerializer(InputSerializer):
    scores = ScoreInputSerializer(many=True, required=False, default=list)

    class Meta:
        model = Assessment
        # The clinician is whoever sends the assessment.
        fields = [*(f for f in Assessment.RECORDED_FIELDS if f != "clinician"), "scores"]
        extra_kwargs = {
            "pain_score": {
                "min_value": 0,
                "max_value": 10,
                "help_text": "Pain now, 0–10. On a case that tracks the NPRS this is the NPRS "
                "answer: sent alone it records the NPRS score too; sent with an NPRS score "
                "it must agree with it (the NPRS in whole points, a half rounded up). The "
                "assessment read back carries both.",
            }
        }


class DiagnosticSerializer(serializers.ModelSerializer):
    class Meta:
        model = Diagnostic
        fields = ["id", *Diagnostic.RECORDED_FIELDS, "created_at"]


class ConsultationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consultation
        fields = ["id", *Consultation.RECORDED_FIELDS, "created_at"]


class WorkRestrictionSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkRestriction
        fields = ["id", *WorkRestriction.RECORDED_FIELDS]


class WorkRestrictionInputSerializer(InputSerializer):
    """One restriction of a work status: posture, lifting, motion or body part; frequencies
    as the US Department of Labor defines them."""

    class Meta:
        model = WorkRestriction
        fields = WorkRestriction.RECORDED_FIELDS
        extra_kwargs = {
            "max_hours_per_day": {"min_value": 0, "max_value": 24},
            "max_pounds": {"min_value": 0, "max_value": 32767},
        }


class WorkStatusInputSerializer(InputSerializer):
    """A work status report (Texas DWC073 model) and its restrictions. What makes one
    complete (real dates, an explanation when off work, restrictions only and always when
    returning with restrictions) is checked by the same rules as the page's form."""

    restrictions = serializers.ListField(
        child=WorkRestrictionInputSerializer(),
        required=False,
        default=list,
        max_length=MAX_RESTRICTIONS,
        help_text="At least one when returning to work with restrictions; none for full duty.",
    )

    class Meta:
        model = WorkStatus
        fields = [*WorkStatus.RECORDED_FIELDS, "restrictions"]
        extra_kwargs = {"hours_per_day": {"min_value": 0, "max_value": 24}}


class WorkStatusSerializer(serializers.ModelSerializer):
    issued_by = ClinicianSerializer()
    restrictions = WorkRestrictionSerializer(many=True)

    class Meta:
        model = WorkStatus
        fields = ["id", *WorkStatus.RECORDED_FIELDS, "issued_by", "restrictions", "created_at"]


class IssuedReportSerializer(serializers.ModelSerializer):
    """An issued PDF: what it is, the SHA-256 of its bytes, and where to download them."""

    download_url = serializers.HyperlinkedIdentityField(
        view_name="api:report-download", lookup_url_kwarg="report_id"
    )

    class Meta:
        model = IssuedReport
        fields = [
            "id",
            "kind",
            "version",
            "determination",
            "determination_status",
            "sha256",
            "issued_at",
            "download_url",
        ]


class DeterminationSerializer(serializers.ModelSerializer):
    certifying_clinician = ClinicianSerializer()
    diagnosis_codes = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(
        view_name="api:determination-detail", lookup_url_kwarg="determination_id"
    )
    reports = IssuedReportSerializer(
        source="issued_reports", many=True, help_text="Its issued certification and letters."
    )
    reports_being_prepared = serializers.SerializerMethodField(
        help_text="True while the PDFs of its current state (signed, superseded, rescinded) "
        "are being rendered, a few seconds after the change: `reports` lists them once stored."
    )

    class Meta:
        model = Determination
        fields = [
            "id",
            "url",
            "case",
            "version",
            "status",
            "supersedes",
            "certifying_clinician",
            "certifier_role",
            "exam_date",
            "records_received_date",
            "diagnosis_codes",
            "guides_edition",
            "statutory_mmi_date",
            "mmi_reached",
            "mmi_type",
            "mmi_date",
            "expected_mmi_date",
            "impairment_finding",
            "impairment_rating",
            "mmi_unconditional",
            "permanent_restrictions",
            "future_care",
            "return_to_work",
            "rationale",
            "jurisdiction",
            "signed_at",
            "dispute_deadline",
            "rescinded_at",
            "reports",
            "reports_being_prepared",
        ]

    def get_diagnosis_codes(self, determination: Determination) -> list[str]:
        return [code for code in determination.diagnosis_codes.split(",") if code]

    def get_reports_being_prepared(self, determination: Determination) -> bool:
        return bool(kinds_being_prepared(determination, determination.issued_reports.all()))
