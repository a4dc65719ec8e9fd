"""Words shown for the stored enum values, marked for translation."""

from __future__ import annotations

from flask import Flask

from therapy.i18n.translation import lazy_gettext as _l
from therapy.models.enums import (
    AnswerSource,
    Attendance,
    DestructionOrigin,
    DestructionRequester,
    DestructionStatus,
    EducationLevel,
    EndingReason,
    EpisodeStatus,
    FormulationFactor,
    GoalStatus,
    Phq15Timepoint,
    Profession,
    ProtocolElement,
    Register,
    RobbinsSymptom,
    Role,
    ScebsDimension,
    SelfReportChannel,
    Sex,
)

ELEMENT_LABELS = {
    ProtocolElement.EDUCATION: _l("Psychosomatic education"),
    ProtocolElement.BODY: _l("Body-oriented exercises"),
    ProtocolElement.COGNITIVE: _l("Cognitive-behavioural approaches"),
    ProtocolElement.ACTIVATING: _l("Activating therapy"),
}

STATUS_LABELS = {
    EpisodeStatus.INTAKE: _l("Intake"),
    EpisodeStatus.ACTIVE: _l("In treatment"),
    EpisodeStatus.CLOSED: _l("Closed"),
}
SEX_LABELS = {Sex.FEMALE: _l("Female"), Sex.MALE: _l("Male"), Sex.OTHER: _l("Other")}
EDUCATION_LABELS = {
    EducationLevel.LOW: _l("Low (primary, VMBO, MBO 1)"),
    EducationLevel.MIDDLE: _l("Middle (HAVO, VWO, MBO 2–4)"),
    EducationLevel.HIGH: _l("High (HBO, university)"),
    EducationLevel.UNKNOWN: _l("Unknown"),
}
ROLE_LABELS = {Role.THERAPIST: _l("Therapist"), Role.PRACTICE_ADMIN: _l("Practice administrator")}
PROFESSION_LABELS = {
    Profession.EXERCISE_THERAPIST: _l("Exercise therapist"),
    Profession.PHYSICAL_THERAPIST: _l("Physical therapist"),
}
REGISTER_LABELS = {
    Register.BIG: _l("BIG register"),
    Register.KRP: _l("Kwaliteitsregister Paramedici"),
}
ATTENDANCE_LABELS = {
    Attendance.ATTENDED: _l("Attended"),
    Attendance.CANCELLED: _l("Cancelled"),
    Attendance.NO_SHOW: _l("No-show"),
}
ENDING_LABELS = {
    EndingReason.GOALS_REACHED: _l("Goals reached"),
    EndingReason.PATIENT_CHOICE: _l("Patient's choice"),
    EndingReason.REFERRED_ELSEWHERE: _l("Referred elsewhere"),
    EndingReason.DROPPED_OUT: _l("Dropped out"),
    EndingReason.OTHER: _l("Other"),
}
GOAL_STATUS_LABELS = {
    GoalStatus.ACTIVE: _l("Active"),
    GoalStatus.ACHIEVED: _l("Achieved"),
    GoalStatus.DROPPED: _l("Dropped"),
}
SYMPTOM_LABELS = {
    RobbinsSymptom.BACK_PAIN: _l("Back pain"),
    RobbinsSymptom.JOINT_PAIN: _l("Joint pain"),
    RobbinsSymptom.EXTREMITY_PAIN: _l("Extremity pain"),
    RobbinsSymptom.HEADACHES: _l("Headaches"),
    RobbinsSymptom.WEAKNESS: _l("Weakness"),
    RobbinsSymptom.FATIGUE: _l("Fatigue"),
    RobbinsSymptom.SLEEP_DISTURBANCE: _l("Sleep disturbance"),
    RobbinsSymptom.DIFFICULTY_CONCENTRATING: _l("Difficulty concentrating"),
    RobbinsSymptom.LOSS_OF_APPETITE: _l("Loss of appetite"),
    RobbinsSymptom.WEIGHT_CHANGE: _l("Weight change"),
    RobbinsSymptom.RESTLESSNESS: _l("Restlessness"),
    RobbinsSymptom.THOUGHTS_SLOWER: _l("Thoughts slower"),
    RobbinsSymptom.CHEST_PAIN: _l("Chest pain"),
    RobbinsSymptom.SHORTNESS_OF_BREATH: _l("Shortness of breath"),
    RobbinsSymptom.PALPITATIONS: _l("Palpitations"),
    RobbinsSymptom.DIZZINESS: _l("Dizziness"),
    RobbinsSymptom.LUMP_IN_THROAT: _l("Lump in throat"),
    RobbinsSymptom.NUMBNESS: _l("Numbness"),
    RobbinsSymptom.NAUSEA: _l("Nausea"),
    RobbinsSymptom.LOOSE_BOWELS: _l("Loose bowels"),
    RobbinsSymptom.GAS_OR_BLOATING: _l("Gas or bloating"),
    RobbinsSymptom.CONSTIPATION: _l("Constipation"),
    RobbinsSymptom.ABDOMINAL_PAIN: _l("Abdominal pain"),
}

SCEBS_LABELS = {
    ScebsDimension.SOMATIC: _l("Somatic"),
    ScebsDimension.COGNITIVE: _l("Cognitive"),
    ScebsDimension.EMOTIONAL: _l("Emotional"),
    ScebsDimension.BEHAVIOURAL: _l("Behavioural"),
    ScebsDimension.SOCIAL: _l("Social"),
}
FACTOR_LABELS = {
    FormulationFactor.PREDISPOSING: _l("Predisposing"),
    FormulationFactor.PRECIPITATING: _l("Precipitating"),
    FormulationFactor.PERPETUATING: _l("Perpetuating"),
    FormulationFactor.PROTECTIVE: _l("Protective"),
}

PHQ15_TIMEPOINT_LABELS = {
    Phq15Timepoint.BASELINE: _l("Baseline (intake)"),
    Phq15Timepoint.SESSION: _l("At a session"),
    Phq15Timepoint.END_OF_TREATMENT: _l("End of treatment"),
    Phq15Timepoint.FOLLOW_UP_4_MONTHS: _l("Follow-up at 4 months"),
    Phq15Timepoint.FOLLOW_UP_12_MONTHS: _l("Follow-up at 12 months"),
    Phq15Timepoint.OTHER: _l("Other"),
}

DESTRUCTION_STATUS_LABELS = {
    DestructionStatus.AWAITING_DECISION: _l("Awaiting the therapist's decision"),
    DestructionStatus.AWAITING_CONFIRMATION: _l("Awaiting confirmation"),
    DestructionStatus.REFUSED: _l("Refused"),
    DestructionStatus.WITHDRAWN: _l("Withdrawn"),
    DestructionStatus.CARRYING_OUT: _l("Being destroyed"),
    DestructionStatus.CARRIED_OUT: _l("Record destroyed"),
}
DESTRUCTION_ORIGIN_LABELS = {
    DestructionOrigin.PATIENT_REQUEST: _l("Request to destroy the record"),
    DestructionOrigin.RETENTION_ENDED: _l("Retention period of 20 years ended"),
}
REQUESTER_LABELS = {
    DestructionRequester.PATIENT: _l("The patient"),
    DestructionRequester.REPRESENTATIVE: _l("The patient's legal representative"),
    DestructionRequester.AUTHORISED: _l("Someone the patient authorised in writing"),
}


def phq15_timepoint_text(timepoint: Phq15Timepoint, session_number: int | None, note: str) -> str:
    """A PHQ-15 timepoint in words: "Baseline (intake)", "Session 3", "Other: at referral"."""
    if timepoint is Phq15Timepoint.SESSION and session_number is not None:
        return str(_l("Session %(number)d", number=session_number))
    if timepoint is Phq15Timepoint.OTHER and note:
        return str(_l("Other: %(note)s", note=note))
    return str(PHQ15_TIMEPOINT_LABELS[timepoint])


# A practice export's state, by the words the exports page and its poller use ("stopped": the
# job's process died without finishing).
EXPORT_STATUS_LABELS = {
    "queued": _l("Waiting to start"),
    "running": _l("Running"),
    "done": _l("Ready"),
    "failed": _l("Failed"),
    "stopped": _l("Stopped"),
}

# Who answered a questionnaire (DOMAIN.md §9), on screens and in documents.
ANSWER_SOURCE_LABELS = {
    AnswerSource.THERAPIST_PAPER: _l("entered by the therapist from paper"),
    AnswerSource.PATIENT_DEVICE: _l("answered by the patient on the practice's device"),
    AnswerSource.PATIENT_LINK: _l("answered by the patient with a personal link"),
}
SELF_REPORT_CHANNEL_LABELS = {
    SelfReportChannel.DEVICE: _l("Device handed over"),
    SelfReportChannel.LINK: _l("Personal link"),
}


def init_labels(app: Flask) -> None:
    """Make the label tables available to every template."""
    app.jinja_env.globals.update(
        status_labels=STATUS_LABELS,
        sex_labels=SEX_LABELS,
        education_labels=EDUCATION_LABELS,
        role_labels=ROLE_LABELS,
        profession_labels=PROFESSION_LABELS,
        attendance_labels=ATTENDANCE_LABELS,
        ending_labels=ENDING_LABELS,
        goal_status_labels=GOAL_STATUS_LABELS,
        scebs_labels=SCEBS_LABELS,
        factor_labels=FACTOR_LABELS,
        element_labels=ELEMENT_LABELS,
        symptom_labels=SYMPTOM_LABELS,
        phq15_timepoint_labels=PHQ15_TIMEPOINT_LABELS,
        destruction_status_labels=DESTRUCTION_STATUS_LABELS,
        destruction_origin_labels=DESTRUCTION_ORIGIN_LABELS,
        requester_labels=REQUESTER_LABELS,
        export_status_labels=EXPORT_STATUS_LABELS,
        answer_source_labels=ANSWER_SOURCE_LABELS,
        self_report_channel_labels=SELF_REPORT_CHANNEL_LABELS,
    )
