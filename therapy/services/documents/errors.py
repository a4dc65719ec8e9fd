"""What can stop a document action: each a reason the documents page explains in words."""

from __future__ import annotations


class DocumentError(Exception):
    """A document action that cannot be carried out."""


class ConsentRequiredError(DocumentError):
    """No GP letter without the patient's recorded consent (DOMAIN.md §4)."""


class DraftExistsError(DocumentError):
    """There is already an open draft of this kind; finish that one first."""


class NotADraftError(DocumentError):
    """Final documents are medical records and never change."""


class LetterIncompleteError(DocumentError):
    """The letter does not yet say whether the plan was agreed with the patient."""


class StaleDocumentError(DocumentError):
    """The draft's text was changed by someone else since the form was opened."""


class StaleEpisodeError(DocumentError):
    """The episode was changed by someone else since the form was opened."""
