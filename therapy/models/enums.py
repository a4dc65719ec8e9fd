"""Closed vocabularies of the domain (DOMAIN.md), stored by value."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What an account may do: treat patients, or run the practice without clinical access."""

    THERAPIST = "therapist"
    PRACTICE_ADMIN = "practice_admin"


class Profession(StrEnum):
    """The two professions that deliver psychosomatic therapy."""

    EXERCISE_THERAPIST = "exercise_therapist"
    PHYSICAL_THERAPIST = "physical_therapist"


class Register(StrEnum):
    """Where a therapist is registered: BIG (physical therapists) or the Kwaliteitsregister
    Paramedici (exercise therapists)."""

    BIG = "big"
    KRP = "krp"


class Sex(StrEnum):
    """Sex as recorded for the PHQ-15 item 4 rule; values match the scoring module."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class EducationLevel(StrEnum):
    """Highest completed education, in the three CBS levels used in Dutch outcome research."""

    LOW = "low"
    MIDDLE = "middle"
    HIGH = "high"
    UNKNOWN = "unknown"


class RobbinsSymptom(StrEnum):
    """The 23 main symptoms of the Robbins list (DOMAIN.md §6)."""

    BACK_PAIN = "back_pain"
    JOINT_PAIN = "joint_pain"
    EXTREMITY_PAIN = "extremity_pain"
    HEADACHES = "headaches"
    WEAKNESS = "weakness"
    FATIGUE = "fatigue"
    SLEEP_DISTURBANCE = "sleep_disturbance"
    DIFFICULTY_CONCENTRATING = "difficulty_concentrating"
    LOSS_OF_APPETITE = "loss_of_appetite"
    WEIGHT_CHANGE = "weight_change"
    RESTLESSNESS = "restlessness"
    THOUGHTS_SLOWER = "thoughts_slower"
    CHEST_PAIN = "chest_pain"
    SHORTNESS_OF_BREATH = "shortness_of_breath"
    PALPITATIONS = "palpitations"
    DIZZINESS = "dizziness"
    LUMP_IN_THROAT = "lump_in_throat"
    NUMBNESS = "numbness"
    NAUSEA = "nausea"
    LOOSE_BOWELS = "loose_bowels"
    GAS_OR_BLOATING = "gas_or_bloating"
    CONSTIPATION = "constipation"
    ABDOMINAL_PAIN = "abdominal_pain"


class EpisodeStatus(StrEnum):
    """Where a treatment episode stands."""

    INTAKE = "intake"
    ACTIVE = "active"
    CLOSED = "closed"


class EndingReason(StrEnum):
    """Why a treatment episode ended."""

    GOALS_REACHED = "goals_reached"
    PATIENT_CHOICE = "patient_choice"
    REFERRED_ELSEWHERE = "referred_elsewhere"
    DROPPED_OUT = "dropped_out"
    OTHER = "other"


class GoalStatus(StrEnum):
    """Status of a PSFS goal."""

    ACTIVE = "active"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


class RatingOccasion(StrEnum):
    """When a PSFS rating was given: at intake, at a session review, or at the end."""

    BASELINE = "baseline"
    REVIEW = "review"
    END = "end"


class Attendance(StrEnum):
    """Whether a planned session took place; only attended sessions count toward 6-12."""

    ATTENDED = "attended"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class ProtocolElement(StrEnum):
    """The four elements of the treatment protocol (CORPUS)."""

    EDUCATION = "education"
    BODY = "body"
    COGNITIVE = "cognitive"
    ACTIVATING = "activating"


class ScebsDimension(StrEnum):
    """The five SCEBS dimensions explored in session and used as formulation rows."""

    SOMATIC = "somatic"
    COGNITIVE = "cognitive"
    EMOTIONAL = "emotional"
    BEHAVIOURAL = "behavioural"
    SOCIAL = "social"


class FormulationFactor(StrEnum):
    """The four Ps of the explanation model, used as formulation columns."""

    PREDISPOSING = "predisposing"
    PRECIPITATING = "precipitating"
    PERPETUATING = "perpetuating"
    PROTECTIVE = "protective"


class Phq15Timepoint(StrEnum):
    """When a PHQ-15 was administered within an episode."""

    BASELINE = "baseline"
    SESSION = "session"
    END_OF_TREATMENT = "end_of_treatment"
    FOLLOW_UP_4_MONTHS = "follow_up_4m"
    FOLLOW_UP_12_MONTHS = "follow_up_12m"
    OTHER = "other"


class Phq15Rule(StrEnum):
    """Which scoring rule produced a stored total; values match the scoring module."""

    COMPLETE = "complete"
    ITEM4_NOT_APPLICABLE = "item4_not_applicable"
    PRORATED = "prorated"
    INCOMPLETE = "incomplete"


class DocumentKind(StrEnum):
    """The two documents the practice sends out."""

    TREATMENT_REPORT = "treatment_report"
    GP_LETTER = "gp_letter"


class DocumentStatus(StrEnum):
    """A draft is regenerated from the data; a final document never changes."""

    DRAFT = "draft"
    FINAL = "final"


class AuditAction(StrEnum):
    """NEN 7513 event kinds, plus the account events that matter for access review."""

    READ = "read"
    SEARCH = "search"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    PRINT = "print"
    EXPORT = "export"
    LOGIN = "login"
    LOGOUT = "logout"
    ACCOUNT = "account"


class AuditOutcome(StrEnum):
    """Whether the audited action was carried out."""

    SUCCESS = "success"
    DENIED = "denied"
    FAILED = "failed"


class DestructionOrigin(StrEnum):
    """Why destroying a record is considered: the patient asked, or its 20 years have passed."""

    PATIENT_REQUEST = "patient_request"
    RETENTION_ENDED = "retention_ended"


class DestructionRequester(StrEnum):
    """Who asked for the record's destruction (WGBO art. 7:455); kept without a name."""

    PATIENT = "patient"
    # A legal representative (mentor, curator) of a patient who cannot decide for themselves.
    REPRESENTATIVE = "representative"
    # Someone the patient authorised in writing to ask for them.
    AUTHORISED = "authorised"


class DestructionStatus(StrEnum):
    """Where a destruction request stands; carrying_out lives only inside one transaction."""

    AWAITING_DECISION = "awaiting_decision"
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    CARRYING_OUT = "carrying_out"
    CARRIED_OUT = "carried_out"


class ExportKind(StrEnum):
    """The practice-wide exports an administrator runs as a background job."""

    FHIR_PRACTICE = "fhir_practice"
    RESEARCH = "research"


class ExportStatus(StrEnum):
    """Where an export job stands: waiting, running, its file ready, or stopped by an error."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class AnswerSource(StrEnum):
    """Who gave a questionnaire's answers (DOMAIN.md §9): stored with every answer."""

    THERAPIST_PAPER = "therapist_paper"
    PATIENT_DEVICE = "patient_device"
    PATIENT_LINK = "patient_link"


class SelfReportChannel(StrEnum):
    """How a patient is asked: the clinic's device handed over, or a personal link."""

    DEVICE = "device"
    LINK = "link"


class AppointmentStatus(StrEnum):
    """Where a planned session stands: still planned, or cancelled (with a reason)."""

    PLANNED = "planned"
    CANCELLED = "cancelled"


class Repeat(StrEnum):
    """How a series of planned sessions repeats."""

    ONCE = "once"
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
