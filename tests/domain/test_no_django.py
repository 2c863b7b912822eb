"""docs/architecture.md §1: the pure rules in cases/domain import nothing from Django."""

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "cases" / "domain"


def test_no_module_in_cases_domain_imports_django():
    offenders = []
    for path in DOMAIN.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name == "django" or name.startswith("django.") for name in names):
                offenders.append(str(path.relative_to(DOMAIN)))
    assert offenders == []
