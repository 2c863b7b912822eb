"""Loaded by pytest before Django (see addopts in pyproject.toml).

The suite runs with DEBUG off, as production does, so it needs a secret key other than
the development one before the settings are imported."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-never-used-in-production")
