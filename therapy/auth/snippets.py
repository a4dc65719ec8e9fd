"""The therapist's own text snippets in their settings: list, add, change and delete."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SubmitField
from wtforms.validators import Regexp

from therapy.auth.blueprint import bp
from therapy.extensions import db
from therapy.forms.base import GuardedForm
from therapy.forms.fields import VersionField, text_field, textarea_field
from therapy.i18n.translation import gettext as _
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import TextSnippet
from therapy.models.snippet import MAX_NAME_LENGTH, MAX_TEXT_LENGTH
from therapy.models.versioning import StaleEdit
from therapy.services.accounts.snippets import (
    SnippetNameTaken,
    add_snippet,
    change_snippet,
    delete_snippet,
    own_snippets,
)

MAX_ID = 2**31 - 1


class SnippetForm(GuardedForm):
    """A short name and the text it stands for."""

    name = text_field(
        _l("Short name"),
        _l(
            "One word you type in a session field, then press Tab to put the text in its "
            "place. Letters, digits, - and _ only."
        ),
        required=True,
        max_length=MAX_NAME_LENGTH,
    )
    text = textarea_field(
        _l("Text"),
        _l("The phrase the short name stands for."),
        required=True,
        max_length=MAX_TEXT_LENGTH,
        rows=3,
    )
    version = VersionField()
    submit = SubmitField(_l("Save snippet"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name.validators = [
            *self.name.validators,
            Regexp(r"^[\w-]+$", message=_l("One word: letters, digits, - and _ only.")),
        ]


class DeleteSnippetForm(GuardedForm):
    """Delete a snippet as it was shown."""

    version = VersionField()
    submit = SubmitField(_l("Delete this snippet"))


def _own_snippet_or_404(snippet_id: int) -> TextSnippet:
    """One of the logged-in therapist's snippets; anyone else's is a 404."""
    if not 1 <= snippet_id <= MAX_ID:
        abort(404)
    snippet = db.session.scalar(
        select(TextSnippet).where(
            TextSnippet.id == snippet_id, TextSnippet.user_id == int(current_user.id)
        )
    )
    if snippet is None:
        abort(404)
    return snippet


def _to_list() -> Response:
    return redirect(url_for("auth.snippets"))


@bp.route("/account/snippets", methods=["GET", "POST"])
def snippets() -> str | Response:
    """One's own snippets, and a form to add one."""
    form = SnippetForm()
    if form.validate_on_submit():
        try:
            add_snippet(int(current_user.id), form.name.data or "", form.text.data or "")
        except SnippetNameTaken:
            db.session.rollback()
            form.name.errors.append(_("You already have a snippet by this name."))
        else:
            db.session.commit()
            flash(_("The snippet “%(name)s” has been added.", name=form.name.data), "success")
            return _to_list()
    return render_template(
        "auth/snippets.html", form=form, snippets=own_snippets(int(current_user.id))
    )


@bp.route("/account/snippets/<int:snippet_id>/edit", methods=["GET", "POST"])
def edit_snippet(snippet_id: int) -> str | Response:
    """Change a snippet; a form opened before someone else's save never overwrites it."""
    snippet = _own_snippet_or_404(snippet_id)
    form = SnippetForm(
        data={"name": snippet.name, "text": snippet.text, "version": snippet.version}
    )
    stale = False
    if form.validate_on_submit():
        try:
            changed = change_snippet(
                snippet, form.version.data, form.name.data or "", form.text.data or ""
            )
        except SnippetNameTaken:
            db.session.rollback()
            form.name.errors.append(_("You already have a snippet by this name."))
        except StaleEdit:
            db.session.rollback()
            stale = True
            snippet = _own_snippet_or_404(snippet_id)
            # What was typed stays; saving again now is done knowing the newer version.
            form.version.data = snippet.version
            form.version.raw_data = [str(snippet.version)]
        else:
            db.session.commit()
            if changed:
                flash(_("The snippet “%(name)s” has been changed.", name=snippet.name), "success")
            return _to_list()
    return render_template(
        "auth/snippet_edit.html",
        form=form,
        snippet=snippet,
        stale=stale,
        delete_form=DeleteSnippetForm(data={"version": snippet.version}),
    )


@bp.route("/account/snippets/<int:snippet_id>/delete", methods=["POST"])
def remove_snippet(snippet_id: int) -> Response:
    """Delete a snippet, unless it was changed after the page was opened."""
    snippet = _own_snippet_or_404(snippet_id)
    form = DeleteSnippetForm()
    if not form.validate_on_submit():
        flash(_("The snippet could not be deleted: please try again."), "error")
        return redirect(url_for("auth.edit_snippet", snippet_id=snippet_id))
    name = snippet.name
    try:
        delete_snippet(snippet, form.version.data)
    except StaleEdit:
        db.session.rollback()
        flash(_("This snippet was changed meanwhile: read it again before deleting."), "warning")
        return redirect(url_for("auth.edit_snippet", snippet_id=snippet_id))
    db.session.commit()
    flash(_("The snippet “%(name)s” has been deleted.", name=name), "success")
    return _to_list()
