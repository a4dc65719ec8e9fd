"""The base of every form: a key that makes a double submit harmless, and drafts to restore.

- Every rendered form carries a fresh `form_key` (hidden): the first post that saves claims
  it, an identical second post saves nothing (therapy.forms.guard). The key belongs to the
  rendering, not to the form object: a page that renders one form object twice (two "Start a
  draft" buttons) gets a different key in each, so the second button is not a resend.
- A form with `keeps_drafts = True` is autosaved as a server-side draft while it is typed
  in; opened with `?draft=restore` it is filled from that draft instead of the stored data.
- A post that arrived with an expired token is shown again as typed, and never validates,
  so nothing is saved until the therapist presses save once more.
"""

from __future__ import annotations

from functools import cache
from typing import Any, ClassVar

from babel import support
from flask import current_app, g, has_request_context, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.i18n import messages_path

from therapy.forms.drafts import find_draft
from therapy.forms.keys import new_form_key

RESTORE_ARG = "draft"
RESTORE_VALUE = "restore"


class FormKeyField(HiddenField):
    """The hidden one-time key: each rendering of it on a page carries a key of its own."""

    def __call__(self, **kwargs: Any) -> Any:
        if getattr(self, "_rendered", False):
            self.data = new_form_key()  # a second <form> on the page: never the same key
        self._rendered = True
        return super().__call__(**kwargs)


class GuardedForm(FlaskForm):
    """A FlaskForm with a one-time form key and, where wanted, server-side drafts."""

    keeps_drafts: ClassVar[bool] = False

    form_key = FormKeyField(default=new_form_key)

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> Any:
            """WTForms' own messages in the page's language, read from disk once per language
            (Flask-WTF reads the catalogue again on every request)."""
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _wtforms_messages(str(get_locale()))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        restoring = self.keeps_drafts and _restore_requested()
        if restoring and "formdata" not in kwargs:
            draft = find_draft(int(current_user.id), request.path)
            if draft is not None:
                kwargs["formdata"] = draft.fields
                g.draft_restored = draft
        super().__init__(*args, **kwargs)
        shown = kwargs.get("formdata", True) is not None  # formdata=None: a copy, not shown
        if self.keeps_drafts and shown and has_request_context() and current_user.is_authenticated:
            # The page offers a kept draft and the browser autosaves this form (drafts.js).
            g.draft_form = self
            self.form_key.render_kw = {"data-draft-url": url_for("drafts.save")}

    def validate_on_submit(self, extra_validators: Any = None) -> bool:
        """False for a post with an expired token: it is shown again, never saved."""
        if has_request_context() and g.get("form_expired"):
            return False
        return bool(super().validate_on_submit(extra_validators))


@cache
def _wtforms_messages(locale: str) -> support.NullTranslations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


def _restore_requested() -> bool:
    return (
        has_request_context()
        and request.method == "GET"
        and request.args.get(RESTORE_ARG) == RESTORE_VALUE
        and current_user.is_authenticated
    )
