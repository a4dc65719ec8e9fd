"""The grid adds a factor from the cell itself: a small form that posts without JavaScript."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from tests.factories import make_episode, make_patient, make_session, make_user
from tests.web.forms_on_page import forms_on
from therapy.extensions import db
from therapy.models import FormulationEntry
from therapy.models.enums import Attendance, FormulationFactor, ScebsDimension


def test_a_cell_form_adds_its_factor_and_comes_back_to_the_grid(client, login, app) -> None:
    therapist = make_user()
    episode = make_episode(make_patient(therapist), started_on=date.today() - timedelta(days=30))
    first = make_session(episode, 1)
    second = make_session(episode, 2)
    cancelled = make_session(
        episode,
        3,
        attendance=Attendance.NO_SHOW,
        duration_minutes=None,
        education_minutes=0,
        body_minutes=0,
        cognitive_minutes=0,
        activating_minutes=0,
    )
    db.session.commit()
    login(therapist)
    url = f"/patients/{episode.patient_id}/episodes/{episode.id}/formulation"
    page = client.get(url).text
    cells = [f for f in forms_on(url, page) if f.fields.get("dimension")]
    assert len(cells) == 20, "one add form in every cell"
    cell = next(
        f
        for f in cells
        if (f.fields["dimension"], f.fields["factor"]) == ("emotional", "protective")
    )
    # The latest session that took place is preselected (the page's HTML: forms_on reads no
    # options).
    chosen = re.search(r'id="session-emotional-protective"[^>]*>(.*?)</select>', page, re.S)
    assert chosen and f'<option selected value="{second.id}">' in chosen.group(1)
    assert f'value="{cancelled.id}"' not in page
    cell.fields.update(text="Enjoys singing in a choir", session_id=str(first.id))
    response = client.post(cell.action, data=cell.fields)
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    grid = client.get(url).text
    assert "Enjoys singing in a choir" in grid
    entry = db.session.scalar(select(FormulationEntry))
    assert (entry.dimension, entry.factor, entry.session_id) == (
        ScebsDimension.EMOTIONAL,
        FormulationFactor.PROTECTIVE,
        first.id,
    )
    # An empty factor is explained on the full form, nothing added.
    again = next(f for f in forms_on(url, grid) if f.fields.get("factor") == "protective")
    again.fields.update(text="   ", session_id="0")
    response = client.post(again.action, data=again.fields)
    assert response.status_code == 200 and 'class="error-summary' in response.text
    assert len(db.session.scalars(select(FormulationEntry)).all()) == 1


def test_a_closed_or_read_only_grid_has_no_cell_forms(client, login, app) -> None:
    therapist = make_user()
    episode = make_episode(make_patient(therapist))
    db.session.commit()
    login(therapist)
    page = client.get(f"/patients/{episode.patient_id}/episodes/{episode.id}").text
    assert "data-in-place" not in page  # the episode page shows the grid to read
