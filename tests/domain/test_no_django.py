"""docs/architecture.md §1: the pure rules in cases/domain import nothing from Django."""

import ast
import subprocess
import sys
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


def test_every_module_in_cases_domain_imports_on_its_own():
    # A fresh interpreter per module: an import cycle shows only when its module comes first.
    modules = [
        ".".join(("cases", "domain", *path.relative_to(DOMAIN).with_suffix("").parts))
        for path in sorted(DOMAIN.rglob("*.py"))
    ]
    failures = {}
    for module in modules:
        run = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True)
        if run.returncode:
            failures[module] = run.stderr.decode().strip().splitlines()[-1]
    assert failures == {}
