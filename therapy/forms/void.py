"""The form that voids a patient's own answers (PHQ-15, check-in, PSFS rating; issue 13)."""

from __future__ import annotations

from wtforms import SubmitField

from therapy.forms.base import GuardedForm
from therapy.forms.fields import textarea_field
from therapy.i18n.translation import lazy_gettext as _l
from therapy.services.voiding import REASON_MAX_LENGTH


class VoidForm(GuardedForm):
    """Void answers the patient gave: the reason is required and stays on the record."""

    reason = textarea_field(
        _l("Reason"),
        _l(
            "Why these answers should no longer count, for example “answered by a relative, "
            "not the patient”. Stays visible on the episode next to the voided answers."
        ),
        required=True,
        max_length=REASON_MAX_LENGTH,
        rows=3,
    )
    submit = SubmitField(_l("Void these answers"))
