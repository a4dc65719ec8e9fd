"""Documents pages: the list of versions, consent, drafts, the letter's text, finalising."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from therapy.access.scoping import get_document_or_404, get_episode_or_404
from therapy.documents.blueprint import bp
from therapy.documents.forms import NO, YES, ConsentForm, FinaliseForm, LetterForm, NewVersionForm
from therapy.extensions import db
from therapy.i18n.translation import gettext as _
from therapy.models import Document, TreatmentEpisode, User
from therapy.models.enums import DocumentKind
from therapy.services.documents import errors, lifecycle
from therapy.services.documents.consent import record_gp_consent
from therapy.services.documents.current import draft_output, stored_letter_text
from therapy.services.documents.gather import EPISODE_LOAD_OPTIONS, gather_episode, practice_row
from therapy.services.documents.letter import content_fingerprint, letter_to_content, prefill_letter
from therapy.services.documents.produce import (
    KIND_TITLES,
    document_language,
    letter_text,
    practice_today,
)


def _index_url(patient_id: int, episode_id: int) -> str:
    return url_for("documents.index", patient_id=patient_id, episode_id=episode_id)


def _detail_url(document: Document, patient_id: int) -> str:
    return url_for(
        "documents.detail",
        patient_id=patient_id,
        episode_id=document.episode_id,
        document_id=document.id,
    )


def _authors(documents: list[Document]) -> dict[int, User]:
    ids = {d.author_id for d in documents}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


@bp.route("")
def index(patient_id: int, episode_id: int) -> str:
    """Every version of both documents with status, author, time and hash; consent."""
    episode = get_episode_or_404(patient_id, episode_id, joinedload(TreatmentEpisode.patient))
    documents = lifecycle.episode_documents(episode.id)
    recorder = (
        db.session.get(User, episode.gp_consent_recorded_by_id)
        if episode.gp_consent_recorded_by_id
        else None
    )
    consent_form = ConsentForm(
        data={"version": episode.version}
        | ({} if episode.gp_consent is None else {"consent": YES if episode.gp_consent else NO})
    )
    return render_template(
        "documents/index.html",
        episode=episode,
        patient=episode.patient,
        kinds=list(DocumentKind),
        kind_titles=KIND_TITLES,
        by_kind={k: [d for d in documents if d.kind == k] for k in DocumentKind},
        replaced_ids={d.supersedes_id for d in documents if d.supersedes_id},
        authors=_authors(documents),
        consent_recorder=recorder,
        consent_form=consent_form,
        # One form per button: each rendered form has its own one-time key.
        new_forms={k: NewVersionForm(data={"kind": k.value}) for k in DocumentKind},
    )


@bp.route("/consent", methods=["POST"])
def consent(patient_id: int, episode_id: int) -> Response:
    """Record the patient's answer about informing the GP."""
    episode = get_episode_or_404(patient_id, episode_id)
    form = ConsentForm()
    if not form.validate_on_submit():
        flash(_("Choose yes or no to record the patient's answer."), "error")
        return redirect(_index_url(patient_id, episode_id))
    try:
        record_gp_consent(
            episode,
            consent=form.consent.data == YES,
            user_id=current_user.id,
            expected_version=int(form.version.data or 0),
        )
    except errors.StaleEpisodeError:
        db.session.rollback()
        flash(_("The episode was changed meanwhile. Look at the answer again."), "warning")
        return redirect(_index_url(patient_id, episode_id))
    db.session.commit()
    flash(_("The patient's answer has been recorded."), "success")
    return redirect(_index_url(patient_id, episode_id))


@bp.route("/new", methods=["POST"])
def new(patient_id: int, episode_id: int) -> Response:
    """Open a draft of a document, or a correction of its final version."""
    episode = get_episode_or_404(patient_id, episode_id, *EPISODE_LOAD_OPTIONS)
    form = NewVersionForm()
    kind = form.chosen_kind() if form.validate_on_submit() else None
    if kind is None:
        flash(_("Choose which document to start."), "error")
        return redirect(_index_url(patient_id, episode_id))
    replaced = lifecycle.latest_final(episode.id, kind)
    if replaced is not None:
        content = dict(replaced.content or {})  # a correction starts from the words sent
    elif kind == DocumentKind.GP_LETTER:
        with document_language():
            content = letter_to_content(
                prefill_letter(gather_episode(episode, practice_row(), practice_today()))
            )
    else:
        content = {}
    try:
        document = lifecycle.new_version(episode, kind, author_id=current_user.id, content=content)
    except errors.ConsentRequiredError:
        flash(
            _("Record the patient's consent to inform the GP first: no consent, no letter."),
            "error",
        )
        return redirect(_index_url(patient_id, episode_id))
    except errors.DraftExistsError:
        db.session.rollback()
        flash(_("There is already a draft of this document; it is shown here."), "info")
        draft = lifecycle.open_draft(episode.id, kind)
        return redirect(
            _detail_url(draft, patient_id) if draft else _index_url(patient_id, episode_id)
        )
    db.session.commit()
    flash(_("A draft has been started. It shows the record as it is now."), "success")
    return redirect(_detail_url(document, patient_id))


def _letter_form(document: Document) -> LetterForm | None:
    """The letter's own words, for a draft letter only; the stored text fills it in."""
    if document.kind != DocumentKind.GP_LETTER or document.is_final:
        return None
    content = dict(document.content or {})
    agreed = content.get("agreed_with_patient")
    return LetterForm(
        data=content
        | {
            "agreed_with_patient": YES if agreed is True else NO if agreed is False else None,
            "fingerprint": content_fingerprint(document.content),
        }
    )


def _letter_content(form: LetterForm, episode: TreatmentEpisode) -> dict[str, object]:
    """What to store: the typed words, or a fresh first version from the record."""
    if form.refill.data:
        with document_language():
            return letter_to_content(
                prefill_letter(gather_episode(episode, practice_row(), practice_today()))
            )
    return {
        "summary": form.summary.data or "",
        "result": form.result.data or "",
        "advice_gp": form.advice_gp.data or "",
        "advice_patient": form.advice_patient.data or "",
        "agreed_with_patient": {YES: True, NO: False}.get(form.agreed_with_patient.data or ""),
    }


@bp.route("/<int:document_id>", methods=["GET", "POST"])
def detail(patient_id: int, episode_id: int, document_id: int) -> str | Response:
    """One version: its facts, download, finalising, and for a letter its text and plain text."""
    document = get_document_or_404(patient_id, episode_id, document_id)
    episode = get_episode_or_404(patient_id, episode_id, *EPISODE_LOAD_OPTIONS)
    is_letter = document.kind == DocumentKind.GP_LETTER
    letter_form = _letter_form(document)
    unsaved_form = None
    if is_letter and document.is_final and request.method == "POST":
        # Sent from a tab opened before the letter was finalised: give the typed words back.
        unsaved_form = LetterForm()
        flash(
            _(
                "Your text was not saved: this letter had been finalised, and a final letter "
                "is never changed. Your text is below; start a correction to use it."
            ),
            "warning",
        )
    if letter_form is not None and letter_form.validate_on_submit():
        try:
            lifecycle.save_content(
                document, _letter_content(letter_form, episode), letter_form.fingerprint.data or ""
            )
        except (errors.StaleDocumentError, errors.NotADraftError):
            db.session.rollback()
            flash(
                _("The letter was changed or finalised meanwhile. Your text is below, not saved."),
                "warning",
            )
        else:
            db.session.commit()
            flash(_("The letter has been saved."), "success")
            return redirect(_detail_url(document, patient_id))
    plain_text = None
    if is_letter and document.is_final:
        plain_text = stored_letter_text(document)
    elif is_letter and episode.gp_consent:
        meta, record, letter = draft_output(document, episode)
        plain_text = letter_text(meta, record, letter)  # type: ignore[arg-type]
    return render_template(
        "documents/detail.html",
        document=document,
        episode=episode,
        patient=episode.patient,
        title=KIND_TITLES[document.kind],
        author=db.session.get(User, document.author_id),
        replaced_by=db.session.scalar(
            select(Document).where(Document.supersedes_id == document.id)
        ),
        letter_form=letter_form,
        unsaved_form=unsaved_form,
        plain_text=plain_text,
        finalise_form=FinaliseForm(data={"fingerprint": content_fingerprint(document.content)}),
        new_form=NewVersionForm(data={"kind": document.kind.value}),
        consent_missing=is_letter and episode.gp_consent is not True,
    )


@bp.route("/<int:document_id>/finalise", methods=["POST"])
def finalise(patient_id: int, episode_id: int, document_id: int) -> Response:
    """Make the PDF once and keep it, with its hash, author, time and data snapshot."""
    document = get_document_or_404(patient_id, episode_id, document_id)
    episode = get_episode_or_404(patient_id, episode_id, *EPISODE_LOAD_OPTIONS)
    back = _detail_url(document, patient_id)
    form = FinaliseForm()
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm you have read the draft."), "error")
        return redirect(back)
    try:
        lifecycle.finalise(
            document,
            episode,
            practice_row(),
            user_id=current_user.id,
            expected_fingerprint=form.fingerprint.data or "",
        )
    except errors.ConsentRequiredError:
        message = _("Record the patient's consent to inform the GP first: no consent, no letter.")
    except errors.LetterIncompleteError:
        message = _("Say whether the plan was agreed with the patient, then finalise.")
    except errors.StaleDocumentError:
        message = _("The letter was changed meanwhile. Read it again, then finalise.")
    except errors.NotADraftError:
        message = _("This version has already been finalised.")
    else:
        db.session.commit()
        flash(_("Finalised. The PDF is kept exactly as it is now."), "success")
        return redirect(back)
    db.session.rollback()
    flash(message, "error")
    return redirect(back)
