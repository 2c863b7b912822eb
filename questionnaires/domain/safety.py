"""What the patient is shown when an answer crosses a safety alert (PHQ-9 item 9): the 988
Suicide & Crisis Lifeline, by call or text (docs/domain.md §12)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class CrisisLine:
    name: str
    action: str
    number: str = "988"


CRISIS_LINES = {
    "en": CrisisLine(name="988 Suicide & Crisis Lifeline", action="Call or text 988"),
    "es": CrisisLine(
        name="988 Línea de Prevención del Suicidio y Crisis",
        action="Llame o envíe un mensaje de texto al 988",
    ),
}


def crisis_line(language: str) -> CrisisLine:
    """The crisis line in the patient's language (English when it is not Spanish)."""
    return CRISIS_LINES.get(language, CRISIS_LINES["en"])
