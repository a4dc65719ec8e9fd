"""The treatment protocol's vocabulary: four elements and the techniques under each."""

from __future__ import annotations

from dataclasses import dataclass

from therapy.i18n.translation import lazy_gettext as _l
from therapy.models.enums import ProtocolElement

PROTOCOL_MIN_SESSIONS = 6
PROTOCOL_MAX_SESSIONS = 12
PROTOCOL_MIN_MINUTES = 30
PROTOCOL_MAX_MINUTES = 45


@dataclass(frozen=True)
class Technique:
    """A technique a therapist can tick under a protocol element."""

    code: str
    label: object  # a lazy string, translated when shown


TECHNIQUES: dict[ProtocolElement, tuple[Technique, ...]] = {
    ProtocolElement.EDUCATION: (
        Technique("symptom_explanation", _l("Symptom explanation")),
        Technique("body_mind_link", _l("Body–mind link")),
        Technique("stress_physiology", _l("Stress physiology")),
        Technique("sensitisation", _l("Sensitisation and the alarm system")),
        Technique("vicious_circle", _l("Vicious circle of symptoms")),
    ),
    ProtocolElement.BODY: (
        Technique("relaxation", _l("Relaxation")),
        Technique("breathing", _l("Breathing exercises")),
        Technique("mindfulness", _l("Mindfulness")),
        Technique("body_awareness", _l("Body awareness")),
        Technique("posture_movement", _l("Posture and movement awareness")),
    ),
    ProtocolElement.COGNITIVE: (
        Technique("thinking_feeling_doing", _l("Thinking–feeling–doing")),
        Technique("thought_record", _l("Thought record")),
        Technique("beliefs", _l("Examining beliefs")),
        Technique("worry_management", _l("Worry management")),
        Technique("problem_solving", _l("Problem solving")),
    ),
    ProtocolElement.ACTIVATING: (
        Technique("graded_activity", _l("Graded activity")),
        Technique("pacing", _l("Pacing")),
        Technique("home_exercises", _l("Home exercises")),
        Technique("activity_diary", _l("Activity diary")),
        Technique("exposure", _l("Graded exposure to avoided activities")),
    ),
}


def technique_codes(element: ProtocolElement) -> frozenset[str]:
    """The technique codes known under one element."""
    return frozenset(technique.code for technique in TECHNIQUES[element])
