"""The questionnaires' pure rules, without Django (docs/domain.md §12)."""
