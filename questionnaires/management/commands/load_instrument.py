"""Check an instrument definition file (docs/questionnaires.md) and load it: a licensed
instrument (ODI, NDI, QuickDASH, LEFS…) whose items the clinic holds a licence for, or a new
version of any definition. Nothing is loaded unless the whole file is right."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from questionnaires.domain.definition_file import DefinitionFileError
from questionnaires.services import definition_load_file


class Command(BaseCommand):
    help = "Check an instrument definition file and load it (docs/questionnaires.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The definition file (JSON).")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            definition = definition_load_file(file)
        except DefinitionFileError as error:
            lines = "\n".join(f"  {line}" for line in error.errors)
            raise CommandError(f"{file} was not loaded:\n{lines}") from None
        items = definition.items.count()
        self.stdout.write(
            f"Loaded {definition.instrument.abbreviation} version {definition.version}: "
            f"{items} items, scored by {definition.get_rule_display().lower()}."
        )
