"""docs/architecture.md §5: who sees and changes what is decided in cases/access.py only.

Read from the source with ``ast``, so a new view or API module is held to it without a test
of its own:

- no module under cases/views/ or api/ queries a model holding case data itself
  (``Case.objects``, ``Model._default_manager``, ``get_object_or_404(Model, …)``): it asks
  cases/access.py (``get_case_for``, ``cases_visible_to``, ``reports_visible_to``, …) or goes
  through a record it was given by it (``case.treatments``). Allowed: the ``queryset=`` of a
  ``Prefetch`` (children of a parent already authorised) and ``Model.objects.none()`` (reads
  nothing). api/authentication.py reads API tokens, not case data, and is left out;
- no module of the views, forms, determination, services or API compares a user's role with
  ``Role`` members: that is what a capability or a function of cases/access.py says.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from cases.models import Case, Patient, ReportExport

ROOT = Path(__file__).resolve().parents[2]

QUERY_GUARDED = [ROOT / "cases" / "views", ROOT / "api"]
QUERY_EXEMPT = {"api/authentication.py"}  # reads ApiToken, which holds no case data

ROLE_GUARDED = [
    ROOT / "cases" / "views",
    ROOT / "cases" / "forms",
    ROOT / "cases" / "determination",
    ROOT / "cases" / "services",
    ROOT / "api",
]

MANAGERS = {"objects", "_default_manager", "_base_manager"}
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}
# A model held in a variable or attribute (``record_kind.model``, ``self.model``): which one
# cannot be told from the source, so it counts as holding case data.
ANY_MODEL = "model"

# The models the issue named; every one must be found by case_data_models().
NAMED = {
    "Case",
    "Patient",
    "Determination",
    "DeterminationStep",
    "Dispute",
    "Treatment",
    "Assessment",
    "OutcomeScore",
    "Diagnostic",
    "Consultation",
    "WorkStatus",
    "WorkRestriction",
    "DisabilityPeriod",
    "ImpairmentItem",
    "IssuedReport",
    "ReportExport",
}


def case_data_models() -> set[type[models.Model]]:
    """Case, Patient and ReportExport (a ZIP of certifications), every model whose own
    foreign key or many-to-many field leads to one of them, however many steps away
    (OutcomeScore → Assessment → Case), and their history. A new model is covered as soon as
    it points there."""
    holding: set[type[models.Model]] = {Case, Patient, ReportExport}
    every = apps.get_models(include_auto_created=True)
    grown = True
    while grown:
        grown = False
        for model in every:
            if model in holding:
                continue
            # A history model (simple_history) holds the rows of the model it records.
            if getattr(model, "instance_type", None) in holding or any(
                field.is_relation and not field.auto_created and field.related_model in holding
                for field in model._meta.get_fields()
            ):
                holding.add(model)
                grown = True
    return holding


def case_data_names() -> frozenset[str]:
    return frozenset(model.__name__ for model in case_data_models())


def _last_name(node: ast.expr) -> str | None:
    """``Case`` of ``Case`` and of ``models.Case``; None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _is_model(node: ast.expr, names: frozenset[str]) -> bool:
    name = _last_name(node)
    return name is not None and (name in names or name == ANY_MODEL)


def _called_name(call: ast.Call) -> str | None:
    return _last_name(call.func)


def direct_queries(source: str, names: frozenset[str]) -> list[str]:
    """Each query of a case data model in ``source`` made without cases/access.py, as the
    source text of the offending expression."""
    tree = ast.parse(source)
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called_name(node) == "Prefetch":
            for keyword in node.keywords:
                if keyword.arg == "queryset":
                    allowed.update(id(inner) for inner in ast.walk(keyword.value))
        # Model.objects.none(): an empty queryset, e.g. for the schema generator.
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "none"
            and not node.args
        ):
            allowed.add(id(node.func.value))
    found = []
    for node in ast.walk(tree):
        if id(node) in allowed:
            continue
        if (
            isinstance(node, ast.Attribute)
            and node.attr in MANAGERS
            and _is_model(node.value, names)
        ):
            found.append(ast.unparse(node))
        elif (
            isinstance(node, ast.Call)
            and _called_name(node) in SHORTCUTS
            and node.args
            and _is_model(node.args[0], names)
        ):
            found.append(ast.unparse(node))
    return found


def _mentions_role(node: ast.expr) -> bool:
    return any(
        _last_name(inner) == "Role" for inner in ast.walk(node) if isinstance(inner, ast.expr)
    )


def _is_role_attribute(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "role"


def role_comparisons(source: str) -> list[str]:
    """Each ``x.role ==/!=/in/not in`` a ``Role`` member (either way round) in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        for index, op in enumerate(node.ops):
            if not isinstance(op, ast.Eq | ast.NotEq | ast.In | ast.NotIn):
                continue
            left, right = operands[index], operands[index + 1]
            if (_is_role_attribute(left) and _mentions_role(right)) or (
                _is_role_attribute(right) and _mentions_role(left)
            ):
                found.append(ast.unparse(node))
                break
    return found


def _modules(roots: list[Path]) -> Iterator[tuple[str, str]]:
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), path.read_text()


def _direct_queries_in_tree() -> set[tuple[str, str]]:
    names = case_data_names()
    return {
        (module, query)
        for module, source in _modules(QUERY_GUARDED)
        if module not in QUERY_EXEMPT
        for query in direct_queries(source, names)
    }


# --- The tree ------------------------------------------------------------------------------


def test_every_model_named_in_the_issue_counts_as_case_data():
    assert NAMED - case_data_names() == set()


def test_views_and_the_api_query_case_data_only_through_cases_access():
    offenders = _direct_queries_in_tree()
    assert not offenders, (
        "Query case data through cases/access.py (or a record it gave you), not directly: "
        f"{sorted(offenders)}"
    )


def test_only_cases_access_compares_roles():
    offenders = [
        (module, comparison)
        for module, source in _modules(ROLE_GUARDED)
        for comparison in role_comparisons(source)
    ]
    assert not offenders, (
        "Ask cases/access.py (a capability, or a function there) instead of comparing roles: "
        f"{offenders}"
    )


# --- The checks themselves -----------------------------------------------------------------

NAMES = frozenset({"Case", "Assessment", "OutcomeScore"})


@pytest.mark.parametrize(
    "source",
    [
        "Case.objects.get(pk=1)",
        "models.Case.objects.filter(pk=1)",
        "Assessment._default_manager.all()",
        "Case._base_manager.all()",
        "get_object_or_404(Assessment, pk=1)",
        "shortcuts.get_list_or_404(Case, pk__in=ids)",
        "get_object_or_404(record_kind.model, pk=1)",
        "self.model.objects.filter(pk=1)",
        "Prefetch('scores', OutcomeScore.objects.all())",  # positional: not the queryset=
        "Prefetch('scores', queryset=x, to_attr=Case.objects.first())",
        "Case.objects.none().union(Case.objects.all())",
    ],
)
def test_a_direct_query_is_found(source):
    assert direct_queries(source, NAMES)


@pytest.mark.parametrize(
    "source",
    [
        "cases_visible_to(user).filter(pk=1)",
        "get_case_for(user, 1).assessments.all()",
        "Prefetch('scores', queryset=OutcomeScore.objects.select_related('instrument'))",
        "models.Prefetch('scores', queryset=OutcomeScore.objects.all())",
        "User.objects.filter(role=Role.CLINICIAN)",
        "self.serializer_class.Meta.model.objects.none()",
        "get_object_or_404(case.assessments, pk=1)",
        "get_object_or_404(cases_visible_to(user), pk=1)",
    ],
)
def test_a_query_through_access_is_not_found(source):
    assert direct_queries(source, NAMES) == []


@pytest.mark.parametrize(
    "source",
    [
        "user.role == Role.CLINICIAN",
        "request.user.role != Role.ADMINISTRATOR",
        "user.role in (Role.ADJUSTER, Role.CASE_MANAGER)",
        "user.role not in {Role.ADJUSTER}",
        "Role.CLINICIAN == clinician.role",
        "ok and user.role == models.Role.CASE_MANAGER",
    ],
)
def test_a_role_comparison_is_found(source):
    assert role_comparisons(source)


@pytest.mark.parametrize(
    "source",
    [
        "has_capability(user, Capability.OPEN_CASE)",
        "User.objects.filter(role=Role.CLINICIAN)",
        "user.role_label == 'x'",
        "user.role == other.role",
    ],
)
def test_other_code_is_not_a_role_comparison(source):
    assert role_comparisons(source) == []
