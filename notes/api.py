"""Case notes in the REST API (/api/v1/, routed in api/urls.py): a case's notes and a note
written on a case. Scoped like the pages through cases/access.py and notes/access.py (a
note private to clinicians reaches a clinician's token only); writes go through
notes/services.py, which refuses what the page refuses."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from api.filters import StrictFilterSet
from api.serializers import InputSerializer, PersonSerializer
from api.views import CaseRecordList, _user
from cases.access import Capability, get_case_for
from cases.models import Case

from . import services
from .access import notes_visible_to
from .models import Note, NoteVersion
from .selectors import with_versions


def _party_field() -> serializers.ChoiceField:
    # Declared, because a read-only model field loses allow_blank and the schema would
    # then refuse the blank party of a note written with no party.
    return serializers.ChoiceField(choices=Note.Party.choices, allow_blank=True, read_only=True)


class NoteVersionSerializer(serializers.ModelSerializer):
    party = _party_field()
    written_by = PersonSerializer(read_only=True)

    class Meta:
        model = NoteVersion
        fields = [
            "number",
            "kind",
            "happened_at",
            "party",
            "party_name",
            "with_whom",
            "text",
            "written_by",
            "written_at",
        ]
        read_only_fields = fields


class NoteSerializer(serializers.ModelSerializer):
    """A note as its latest version says it, with every version (``versions``, the latest
    first); ``edited`` when it has more than one; ``withdrawn_at`` set, with who and why,
    when it was withdrawn."""

    case = serializers.IntegerField(source="case_id", read_only=True)
    party = _party_field()
    written_by = PersonSerializer(read_only=True)
    edited = serializers.BooleanField(source="is_edited", read_only=True)
    edited_by = PersonSerializer(read_only=True, allow_null=True)
    withdrawn_by = PersonSerializer(read_only=True, allow_null=True)
    versions = NoteVersionSerializer(many=True, read_only=True)

    class Meta:
        model = Note
        fields = [
            "id",
            "case",
            "kind",
            "happened_at",
            "party",
            "party_name",
            "with_whom",
            "text",
            "private",
            "written_by",
            "written_at",
            "edited",
            "edited_at",
            "edited_by",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawn_reason",
            "versions",
        ]
        read_only_fields = fields


class NoteInputSerializer(InputSerializer):
    """A note written on a case: ``happened_at`` not in the future, a ``text``, and for
    anything but a plain note, with whom (``party`` and/or ``with_whom``). ``private`` only
    from a clinician's token."""

    class Meta:
        model = Note
        fields = ["kind", "happened_at", "party", "with_whom", "text", "private"]


class NoteFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=Note.Kind.choices)

    class Meta:
        model = Note
        fields: list[str] = []


class CaseNoteList(CaseRecordList):
    """The notes on a case the caller may see, newest communication first; anyone who may
    see the case writes one. A moment in the future, an empty text, a call, email, letter or
    meeting with nobody named, or a private note from a role other than a clinician is
    refused."""

    record_name = "notes"
    serializer_class = NoteSerializer
    filterset_class = NoteFilter
    ordering_fields = ["happened_at", "written_at"]
    ordering = ["-happened_at", "-pk"]

    def records(self, case: Case):
        notes = notes_visible_to(_user(self.request)).filter(case=case)
        return with_versions(notes.select_related("written_by", "edited_by", "withdrawn_by"))

    @extend_schema(request=NoteInputSerializer, responses={201: NoteSerializer})
    def post(self, request: Request, case_id: int) -> Response:
        user = _user(request)
        case = get_case_for(
            user,
            case_id,
            capability=Capability.WRITE_NOTES,
            refine=lambda cases: cases.select_related(
                "patient", "employer", "insurer", "adjuster", "case_manager"
            ),
        )
        serializer = NoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        note = services.note_write(
            case=case,
            by=user,
            kind=data["kind"],
            happened_at=data["happened_at"],
            party=data.get("party", ""),
            with_whom=data.get("with_whom", ""),
            text=data["text"],
            private=data.get("private", False),
        )
        shown = self.records(case).get(pk=note.pk)
        return Response(NoteSerializer(shown).data, status=status.HTTP_201_CREATED)
