"""Loaded by pytest before Django (see addopts in pyproject.toml).

The suite runs with DEBUG off, as production does, and so with a secret key of its own
rather than the development one, set before the settings are imported."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-never-used-in-production")
