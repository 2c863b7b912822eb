"""The layers of docs/architecture.md, checked on what each package really imports: the
services and the readiness check never load a form, a view or a step class, so a change to
a page cannot change what may be signed."""

import subprocess
import sys

import pytest

FORBIDDEN = ("cases.forms", "cases.views", "cases.determination.steps")

PROBE = """
import sys
import django
django.setup()
import {module}
print("\\n".join(sorted(name for name in sys.modules if name.startswith({forbidden!r}))))
"""


@pytest.mark.parametrize(
    "module", ["cases.services", "cases.determination.readiness", "cases.selectors.worklists"]
)
def test_module_loads_no_page_code(module):
    # A fresh interpreter: this one has loaded every module already.
    probe = PROBE.format(module=module, forbidden=FORBIDDEN)
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert loaded == []
