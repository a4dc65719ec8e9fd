"""Caseload views."""

from __future__ import annotations

from dataclasses import dataclass

from flask import (
    current_app,
    get_template_attribute,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response

from therapy.access.scoping import caseload_patients, current_therapist_id, note_caseload_search
from therapy.caseload.badge_links import badge_url
from therapy.caseload.blueprint import bp
from therapy.clock import practice_today
from therapy.forms.fields import clean_text
from therapy.i18n.labels import STATUS_LABELS
from therapy.i18n.locale import format_day
from therapy.i18n.translation import lazy_gettext as _l
from therapy.services.caseload.cache import kept_caseload_page
from therapy.services.caseload.filters import CaseloadView, caseload_view, view_filter
from therapy.services.caseload.page import CaseloadPage, CaseloadRow, caseload_page

# The caseload's filters, in the order the page offers them.
VIEW_LABELS = {
    CaseloadView.CURRENT.value: _l("Needs attention"),
    CaseloadView.IN_TREATMENT.value: _l("In treatment"),
    CaseloadView.AWAITING_DOCUMENTS.value: _l("Awaiting documents"),
    CaseloadView.CLOSED.value: _l("Closed"),
    CaseloadView.ALL.value: _l("All patients"),
}


@dataclass(frozen=True)
class ShownBadge:
    """A badge as the page shows it: plain text, escaped when the page is written."""

    code: str
    label: str
    detail: str
    url: str | None = None  # the page where it is done


@dataclass(frozen=True)
class ShownRow:
    """One caseload line with its links, labels and dates written out."""

    name: str
    record_number: str
    patient_url: str
    episode_url: str | None
    status: str | None  # the status code, for the CSS class
    status_label: str
    sessions: str | None  # "held / planned"
    last_session: str
    badges: tuple[ShownBadge, ...]


@dataclass(frozen=True)
class ShownCaseload:
    """A caseload page and its lines, ready to show; kept until patient data changes."""

    page: CaseloadPage
    rows: tuple[ShownRow, ...]
    # The table, its count and pager, written out once: a kept page is not written again.
    table: Markup


def _shown_row(row: CaseloadRow) -> ShownRow:
    episode_url = (
        url_for("episodes.detail", patient_id=row.patient_id, episode_id=row.episode_id)
        if row.episode_id is not None
        else None
    )
    return ShownRow(
        name=row.name,
        record_number=row.record_number,
        patient_url=url_for("patients.detail", patient_id=row.patient_id),
        episode_url=episode_url,
        status=row.status.value if row.status else None,
        status_label=str(STATUS_LABELS[row.status]) if row.status else "",
        sessions=f"{row.sessions_held} / {row.sessions_planned}" if row.sessions_planned else None,
        last_session=format_day(row.last_session_on) or "–",
        badges=tuple(
            ShownBadge(
                b.code,
                str(b.label),
                str(b.detail),
                badge_url(b.code, row.patient_id, row.episode_id)
                if row.episode_id is not None
                else None,
            )
            for b in row.badges
        ),
    )


def _shown(text: str, page: int, per_page: int, view: CaseloadView) -> ShownCaseload:
    patients = view_filter(caseload_patients(), view)
    today = practice_today()
    result = caseload_page(patients, today=today, text=text, page=page, per_page=per_page)
    rows = tuple(_shown_row(row) for row in result.rows)
    # Written once by the template's macro (escaped by Jinja), kept with the page.
    table = get_template_attribute("caseload/_table.html", "caseload_table")
    return ShownCaseload(result, rows, table(result, rows, view.value))


@bp.route("/")
def index() -> str | Response:
    """My patients, searchable by name or record number, a page at a time.

    The page is worked out again only when patient data changed since it was last shown
    (therapy.services.caseload.cache); a search goes on the audit trail every time.
    """
    if current_user.is_practice_admin:
        return redirect(url_for("admin.accounts"))
    # Cleaned like any typed text: PostgreSQL refuses a NUL byte even in a search pattern.
    text = str(clean_text(request.args.get("q", "")[:100]))
    page = request.args.get("page", 1, type=int) or 1
    view = caseload_view(request.args.get("show", CaseloadView.CURRENT))
    per_page = int(current_app.config["CASELOAD_PAGE_SIZE"])
    therapist_id = current_therapist_id()
    if therapist_id is None:
        shown = _shown(text, page, per_page, view)
    else:
        # The locale is part of the key: labels and dates are written out in it; so is the
        # day, which the attendance rules count from.
        key = (
            therapist_id,
            str(get_locale()),
            practice_today(),
            view,
            text.strip(),
            page,
            per_page,
        )
        shown = kept_caseload_page(key, lambda: _shown(text, page, per_page, view))
    note_caseload_search(shown.page)
    return render_template(
        "caseload/index.html",
        caseload=shown.page,
        rows=shown.rows,
        table=shown.table,
        view=view.value,
        views=VIEW_LABELS,
    )
