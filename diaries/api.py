"""Tasks in the REST API (/api/v1/, routed in api/urls.py): a case's tasks, a task made on a
case, a task marked done. Scoped like the pages through cases/access.py; writes go through
diaries/services.py, which refuses what the page refuses."""

import django_filters
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from api.filters import StrictFilterSet
from api.serializers import InputSerializer, PersonSerializer
from api.views import ApiView, CaseRecordList, _user
from cases.access import Capability, get_case_for, of_visible_cases
from cases.models import Case

from . import services
from .models import Task
from .selectors import assignable_users


class TaskSerializer(serializers.ModelSerializer):
    """A task: made by hand (``created_by``) or by a rule (``rule``, ``rule_name``); done
    when ``done_at`` is set, by ``done_by`` or, when that is null, closed by its rule."""

    case = serializers.IntegerField(source="case_id", read_only=True)
    assignee = PersonSerializer(read_only=True)
    created_by = PersonSerializer(read_only=True, allow_null=True)
    done_by = PersonSerializer(read_only=True, allow_null=True)
    rule_name = serializers.CharField(read_only=True)
    done = serializers.BooleanField(source="is_done", read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "case",
            "title",
            "text",
            "due_on",
            "assignee",
            "created_by",
            "created_at",
            "rule",
            "rule_name",
            "done",
            "done_at",
            "done_by",
            "done_note",
        ]
        read_only_fields = fields


class TaskInputSerializer(InputSerializer):
    """A task made by hand. ``assignee`` is the id of a user who may see the case (the
    caller when left out); ``due_on`` today or later."""

    assignee = serializers.IntegerField(
        required=False, min_value=1, help_text="A user who may see the case; you if left out."
    )

    class Meta:
        model = Task
        fields = ["title", "due_on", "assignee", "text"]


class TaskFilter(StrictFilterSet):
    done = django_filters.BooleanFilter(field_name="done_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Task
        fields: list[str] = []


class CaseTaskList(CaseRecordList):
    """The tasks on a case, by due date; anyone who may see the case and keeps a diary adds
    one by hand. A due date in the past, or an assignee who may not see the case, is
    refused."""

    record_name = "tasks"
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    ordering_fields = ["due_on", "created_at", "done_at"]
    ordering = ["due_on", "pk"]

    def records(self, case: Case):
        return Task.objects.filter(case=case).select_related("assignee", "created_by", "done_by")

    @extend_schema(request=TaskInputSerializer, responses={201: TaskSerializer})
    def post(self, request: Request, case_id: int) -> Response:
        user = _user(request)
        case = get_case_for(user, case_id, capability=Capability.KEEP_DIARY)
        serializer = TaskInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assignee = assignable_users(case).filter(pk=data.get("assignee", user.pk)).first()
        if assignee is None:
            raise ValidationError(
                {"assignee": ["Assign the task to someone who may see this case."]}
            )
        task = services.task_create(
            case=case,
            created_by=user,
            title=data["title"],
            due_on=data["due_on"],
            assignee=assignee,
            text=data.get("text", ""),
        )
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)


class TaskDone(ApiView, generics.GenericAPIView):
    """Mark a task done. A task already done is answered as it is."""

    serializer_class = TaskSerializer
    pagination_class = None
    filter_backends: list = []

    @extend_schema(request=None, responses={200: TaskSerializer})
    def post(self, request: Request, task_id: int) -> Response:
        user = _user(request)
        task = Task.objects.filter(of_visible_cases(user), pk=task_id).first()
        if task is None:
            raise Http404("No such task.")
        done = services.task_mark_done(task=task, by=user)
        shown = Task.objects.select_related("assignee", "created_by", "done_by").get(pk=done.pk)
        return Response(TaskSerializer(shown).data)
