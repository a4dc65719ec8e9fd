"""The practice settings page: its language, and how change is judged on every chart and letter."""

from __future__ import annotations

from dataclasses import asdict

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from therapy.admin.blueprint import bp
from therapy.admin.details_forms import PracticeDetailsForm
from therapy.admin.settings_forms import PracticeSettingsForm
from therapy.audit.events import note_event
from therapy.extensions import db
from therapy.i18n.locale import practice_language, use_language
from therapy.i18n.translation import gettext as _
from therapy.models.enums import AuditAction
from therapy.services.patients.record_numbers import current_prefix, normalised_prefix, save_prefix
from therapy.services.practice.details import current_details, save_details
from therapy.services.practice.settings import (
    PracticeSettings,
    SettingsError,
    current_settings,
    save_language,
    save_settings,
)


@bp.route("/settings", methods=["GET", "POST"])
def settings() -> str | Response:
    """Change the practice's language and change settings; shows the reliable-change threshold."""
    saved = current_settings()
    form = PracticeSettingsForm(
        data={
            "phq15_sd": saved.phq15_sd,
            "phq15_alpha": saved.phq15_alpha,
            "phq15_mcid": saved.phq15_mcid,
            "psfs_mcid": saved.psfs_mcid,
            "language": practice_language(),
            "record_prefix": current_prefix(),
        }
    )
    if form.validate_on_submit():
        try:
            chosen = PracticeSettings(
                phq15_sd=float(form.phq15_sd.data or 0),
                phq15_alpha=float(form.phq15_alpha.data or 0),
                phq15_mcid=int(form.phq15_mcid.data or 0),
                psfs_mcid=float(form.psfs_mcid.data or 0),
            )
        except SettingsError as error:  # the form's checks should have caught it already
            getattr(form, str(error)).errors.append(_("This value is outside its range."))
        else:
            practice, changes = save_settings(chosen)
            language = form.language.data or practice_language()
            if save_language(language)[1]:
                changes.append(f"language -> {language}")
            if form.record_prefix.data and save_prefix(form.record_prefix.data)[1]:
                changes.append(f"record prefix -> {normalised_prefix(form.record_prefix.data)}")
            if changes:
                note_event(
                    AuditAction.ACCOUNT,
                    patient_id=None,
                    object_type="practice",
                    object_id=practice.id,
                    detail="settings changed: " + ", ".join(changes),
                )
            db.session.commit()
            if current_user.language is None:  # this account follows the practice
                use_language(language)
            flash(_("The practice settings have been saved."), "success")
            return redirect(url_for("admin.settings"))
    return render_template("admin/settings.html", form=form, saved=saved)


@bp.route("/settings/practice", methods=["GET", "POST"])
def practice_details() -> str | Response:
    """The practice's letterhead: the sender's name, address and codes on every document."""
    form = PracticeDetailsForm(data=asdict(current_details()))
    if form.validate_on_submit():
        practice, changed = save_details(form.details())
        if changed:
            note_event(
                AuditAction.ACCOUNT,
                patient_id=None,
                object_type="practice",
                object_id=practice.id,
                detail="details changed: " + ", ".join(changed),
            )
        db.session.commit()
        flash(_("The practice details have been saved."), "success")
        return redirect(url_for("admin.practice_details"))
    return render_template("admin/practice_details.html", form=form)
