"""The practice outcomes page: per therapist and for the practice, no patient, small counts hidden.

Open to the practice administrator and to a therapist marked practice lead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import render_template, request
from sqlalchemy import select

from therapy.admin.blueprint import bp
from therapy.admin.forms import OutcomesFilterForm
from therapy.exports.outcomes.charts import Bar, bar_chart
from therapy.exports.outcomes.figures import (
    ALL_CLASSES,
    Period,
    Tally,
    practice_tallies,
    shown_count,
    shown_mean,
    shown_share,
    total,
)
from therapy.exports.outcomes.labels import CHANGE_LABELS, PSFS_LABELS
from therapy.extensions import db
from therapy.i18n.labels import ELEMENT_LABELS
from therapy.i18n.translation import gettext as _
from therapy.models import User
from therapy.models.enums import ProtocolElement
from therapy.services.practice.settings import current_settings
from therapy.services.psfs.scoring import DETERIORATED, IMPROVED, UNCHANGED
from therapy.svg.inline import inline_svg


@dataclass(frozen=True)
class OutcomeRow:
    """One line of the tables: a therapist or the practice, every figure ready to show."""

    name: str
    tally: Tally
    is_practice: bool = False

    def count(self, value: int) -> str:
        """A count, "< 5" when small."""
        return shown_count(value)

    def share(self, part: int) -> int | None:
        """Part of the closed episodes, as a percentage (None when withheld)."""
        return shown_share(part, self.tally.closed)

    @property
    def sessions_per_episode(self) -> float | None:
        """Attended sessions per closed episode."""
        return shown_mean(self.tally.attended_sessions, self.tally.closed)

    def minutes_per_session(self, element: ProtocolElement) -> float | None:
        """Minutes of one element per attended session."""
        return shown_mean(self.tally.element_minutes[element], self.tally.attended_sessions)

    @property
    def sessions_of_protocol_length(self) -> int | None:
        """Attended sessions of 30-45 minutes, as a percentage of attended sessions."""
        return shown_share(self.tally.sessions_in_protocol_length, self.tally.attended_sessions)

    @property
    def psfs_mean_change(self) -> float | None:
        """Mean PSFS change over the closed episodes with a paired rating."""
        paired = self.tally.closed - self.tally.psfs["none"]
        return shown_mean(self.tally.psfs_change_sum, paired)


def _month(value: date | None) -> date | None:
    return None if value is None else date(value.year, value.month, 1)


def _charts(practice: OutcomeRow) -> list[object]:
    classes = [
        Bar(str(CHANGE_LABELS[name]), _value(count), practice.count(count))
        for name in ALL_CLASSES
        if (count := practice.tally.phq15[name]) is not None
    ]
    minutes = []
    for element in ProtocolElement:
        mean = practice.minutes_per_session(element)
        shown = "—" if mean is None else f"{mean:.1f}"
        minutes.append(Bar(str(ELEMENT_LABELS[element]), mean, shown))
    return [
        inline_svg(bar_chart(_("PHQ-15 change, closed episodes (practice)"), classes)),
        inline_svg(bar_chart(_("Minutes per attended session (practice)"), minutes, scale=45)),
    ]


def _value(count: int) -> float | None:
    return None if 0 < count < 5 else float(count)


@bp.route("/outcomes")
def outcomes() -> str:
    """Episodes, sessions, protocol minutes, PHQ-15 and PSFS change, alerts and drop-out."""
    form = OutcomesFilterForm(request.args)
    period = Period()
    if form.validate():
        period = Period(_month(form.first.data), _month(form.last.data))
    settings = current_settings()
    tallies = practice_tallies(period, settings.change, settings.psfs_mcid)
    names = dict(db.session.execute(select(User.id, User.full_name)).tuples().all())
    rows = [
        OutcomeRow(names.get(user_id, "?"), tally)
        for user_id, tally in sorted(tallies.items(), key=lambda item: names.get(item[0], ""))
    ]
    practice = OutcomeRow(_("The practice"), total(tallies.values()), is_practice=True)
    return render_template(
        "admin/outcomes.html",
        form=form,
        rows=[*rows, practice],
        practice=practice,
        charts=_charts(practice),
        elements=list(ProtocolElement),
        classes=ALL_CLASSES,
        psfs_directions=[IMPROVED, UNCHANGED, DETERIORATED],
        change_labels=CHANGE_LABELS,
        psfs_labels=PSFS_LABELS,
    )
