"""The GP letter's editable parts: prefilled from the record, stored in the draft's content."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from therapy.i18n.translation import gettext as _
from therapy.services.documents.snapshot import EpisodeRecord, LetterContent

TEXT_FIELDS = ("summary", "result", "advice_gp", "advice_patient")
MAX_TEXT_LENGTH = 4000
_SUMMARY_LINE = 220  # characters per summary line, so five lines stay a short paragraph


def _clip(text: str, limit: int = _SUMMARY_LINE) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def prefill_letter(record: EpisodeRecord) -> LetterContent:
    """A first version of the free-text parts, written from what the record holds."""
    patient, grid, ending = record.patient, record.formulation, record.ending
    lines = []
    if patient.main_symptoms:
        symptoms = ", ".join(patient.main_symptoms).lower()
        intensity = (
            _(" (intensity %(value)d/10)", value=patient.symptom_intensity)
            if patient.symptom_intensity is not None
            else ""
        )
        lines.append(_("Main symptoms: %(symptoms)s", symptoms=symptoms) + intensity + ".")
    for index, factor in enumerate(grid.factors):
        # Entries are often whole sentences: their own full stops give way to the "; ".
        texts = [text.rstrip(" .;") for row in grid.rows for text in row.cells[index]]
        if texts:
            lines.append(_clip(f"{factor}: " + "; ".join(texts)) + ".")
    exercises = record.treatment.home_exercises
    advice_patient = "\n".join(
        text.strip() for text in (ending.advice_patient, ending.relapse_prevention) if text.strip()
    )
    if exercises:
        latest = _("Home exercises: %(text)s", text=exercises[-1].text)
        advice_patient = f"{advice_patient}\n{latest}".strip()
    return LetterContent(
        summary="\n".join(lines[:5]),
        result=ending.outcome.strip(),
        advice_gp=ending.advice.strip(),
        advice_patient=advice_patient,
        agreed_with_patient=None,
    )


def letter_from_content(content: dict[str, Any] | None) -> LetterContent:
    """The letter parts stored in a document's content (missing parts read as empty)."""
    content = content or {}
    agreed = content.get("agreed_with_patient")
    return LetterContent(
        **{name: str(content.get(name) or "") for name in TEXT_FIELDS},
        agreed_with_patient=agreed if isinstance(agreed, bool) else None,
    )


def letter_to_content(letter: LetterContent) -> dict[str, Any]:
    """The letter parts as stored in Document.content."""
    return {
        **{name: getattr(letter, name) for name in TEXT_FIELDS},
        "agreed_with_patient": letter.agreed_with_patient,
    }


def content_fingerprint(content: dict[str, Any] | None) -> str:
    """A stable hash of stored content, carried in the form so a save is a compare-and-swap."""
    canonical = json.dumps(content or {}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
