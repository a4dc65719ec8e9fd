"""The data model, one module per aggregate; importing this registers every table."""

from therapy.models.access import LoginFailure, RecoveryCode, UserSession
from therapy.models.amendment import Amendment
from therapy.models.appointment import Appointment
from therapy.models.audit import AuditEvent
from therapy.models.audit_redaction import AuditRedaction
from therapy.models.destruction import DestructionRequest
from therapy.models.document import Document
from therapy.models.episode import Goal, GoalRating, TreatmentEpisode
from therapy.models.export_job import ExportJob
from therapy.models.form_state import FormDraft, FormSubmission
from therapy.models.formulation import FormulationEntry, FormulationRevision
from therapy.models.patient import Patient, PatientSymptom
from therapy.models.phq15 import Phq15Administration
from therapy.models.practice import GeneralPractitioner, Practice, User
from therapy.models.self_report import SelfReportRequest
from therapy.models.snippet import TextSnippet
from therapy.models.therapy_session import AllianceCheckin, SessionTechnique, TherapySession

__all__ = [
    "AllianceCheckin",
    "Amendment",
    "Appointment",
    "AuditEvent",
    "AuditRedaction",
    "DestructionRequest",
    "Document",
    "ExportJob",
    "FormDraft",
    "FormSubmission",
    "FormulationEntry",
    "FormulationRevision",
    "GeneralPractitioner",
    "Goal",
    "GoalRating",
    "LoginFailure",
    "Patient",
    "PatientSymptom",
    "Phq15Administration",
    "Practice",
    "RecoveryCode",
    "SelfReportRequest",
    "SessionTechnique",
    "TextSnippet",
    "TherapySession",
    "TreatmentEpisode",
    "User",
    "UserSession",
]
