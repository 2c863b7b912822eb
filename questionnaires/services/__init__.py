"""Writes of the questionnaires: a response submitted, a definition loaded."""

from .definitions import definition_load, definition_load_file
from .responses import AnswerRefused, response_submit

__all__ = ["AnswerRefused", "definition_load", "definition_load_file", "response_submit"]
