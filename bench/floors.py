"""Floors: the least a bare Flask + SQLAlchemy + Jinja app must do for each page's job.

Each floor runs on the app's database with the app's connection settings
(therapy.database.engine.configure_engine: WAL, synchronous=FULL, BEGIN IMMEDIATE for writes
on SQLite) and nothing else: no login, layout, badges, drafts or form keys.

- page: 50 patients through the ORM into a Jinja table (read only);
- audited read: the same page plus one append-only audit row whose hash is SHA-256 over the
  previous row's hash (the chain's own hash function, the chain's lock on PostgreSQL), all
  in one durable commit;
- form: a plain Flask-WTF form with the same number and kinds of fields as the page's form,
  with its CSRF token, rendered by a template compiled once;
- durable save: that form validated, then the rows the real save writes inserted (Core) with
  as many chained audit rows as the real save writes, in one durable commit.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from flask import Flask, request
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Connection, Engine, create_engine, insert, select, text
from sqlalchemy.orm import sessionmaker
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from therapy.audit.chain import GENESIS_HASH, chained_hash
from therapy.database.engine import IMMEDIATE_ENVIRON_KEY, configure_engine
from therapy.models import AuditEvent, Patient
from therapy.models.types import utcnow
from therapy.services.protocol.elements import TECHNIQUES

BARE_TEMPLATE = """<!doctype html><title>Patients</title><table>
{% for row in rows %}<tr><td>{{ row.family_name }}, {{ row.given_name }}</td>
<td>{{ row.record_number }}</td><td>{{ row.date_of_birth }}</td></tr>{% endfor %}</table>"""
FORM_TEMPLATE = """<!doctype html><title>Form</title><form method="post">
{{ form.csrf_token }}{% for field in form if field.name != "csrf_token" %}
<p>{{ field.label }} {{ field() }}</p>{% endfor %}</form>"""
_CHAIN_LOCK = 7513  # as therapy.audit.chain: appends are serialised on PostgreSQL
AUDIT = AuditEvent.__table__


def _engine(url: str) -> Engine:
    engine = create_engine(url)
    configure_engine(engine)  # the app's pragmas and transaction start, nothing more
    return engine


def bare_app(url: str, therapist_id: int) -> Flask:
    """The physical floor: 50 patients through the SQLAlchemy ORM into a Jinja table.

    The same stack as the app with nothing else: no login, audit, CSRF, layout or badges.
    The template is compiled once, as Flask compiles a template file once and caches it.
    """
    bare = Flask("bare")
    sessions = sessionmaker(create_engine(url))
    template = bare.jinja_env.from_string(BARE_TEMPLATE)
    page = _page(therapist_id)

    @bare.route("/")
    def index() -> str:
        with sessions() as session:
            return template.render(rows=session.scalars(page).all())

    return bare


def _page(therapist_id: int) -> Any:
    return (
        select(Patient)
        .where(Patient.therapist_id == therapist_id)
        .order_by(Patient.family_name)
        .limit(50)
    )


def append_audit(connection: Connection, rows: int, user_id: int, object_type: str) -> None:
    """Append `rows` chained events in the caller's transaction: lock, last hash, insert."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
    previous = connection.scalar(select(AUDIT.c.row_hash).order_by(AUDIT.c.id.desc()).limit(1))
    previous = previous or GENESIS_HASH
    events = []
    for _ in range(rows):
        event = SimpleNamespace(
            occurred_at=utcnow(),
            action="read",
            outcome="success",
            user_id=user_id,
            on_behalf_of_id=None,
            patient_id=None,
            object_type=object_type,
            object_id=None,
            endpoint="floor",
            client_address="127.0.0.1",
            detail="",
        )
        row_hash = chained_hash(previous, event)
        events.append({**vars(event), "prev_hash": previous, "row_hash": row_hash})
        previous = row_hash
    connection.execute(insert(AUDIT), events)  # in one statement, as the app appends them


def _element_form(element: str) -> type[Form]:
    """An element's minutes, its techniques as checkboxes and a note."""

    class Element(Form):
        minutes = IntegerField(validators=[Optional(), NumberRange(0, 240)])
        techniques = SelectMultipleField(
            choices=[(t.code, t.code) for e, ts in TECHNIQUES.items() if e == element for t in ts],
            option_widget=widgets.CheckboxInput(),
            widget=widgets.ListWidget(prefix_label=False),
        )
        note = TextAreaField()

    return Element


class GoalRow(Form):
    """A goal's re-rating: hidden id, score, status."""

    goal_id = HiddenField()
    score = IntegerField(validators=[Optional(), NumberRange(0, 10)])
    status = SelectField(choices=[("active", "Active"), ("reached", "Reached"), ("dropped", "X")])


class SessionFloorForm(FlaskForm):
    """The session form's fields, one for one, with plain WTForms fields."""

    held_on = DateField(validators=[InputRequired()])
    duration_minutes = IntegerField(validators=[Optional(), NumberRange(1, 240)])
    attendance = RadioField(choices=[("attended", "Attended"), ("cancelled", "C"), ("no", "N")])
    symptom_course = TextAreaField()
    scebs_somatic = TextAreaField()
    scebs_cognitive = TextAreaField()
    scebs_emotional = TextAreaField()
    scebs_behavioural = TextAreaField()
    scebs_social = TextAreaField()
    education = FormField(_element_form("education"))
    body = FormField(_element_form("body"))
    cognitive = FormField(_element_form("cognitive"))
    activating = FormField(_element_form("activating"))
    goals = FieldList(FormField(GoalRow), max_entries=5)
    home_exercises = TextAreaField()
    notes = TextAreaField()
    alliance_bond = IntegerField(validators=[Optional(), NumberRange(0, 10)])
    alliance_goals = IntegerField(validators=[Optional(), NumberRange(0, 10)])
    alliance_tasks = IntegerField(validators=[Optional(), NumberRange(0, 10)])
    left_unsaid = TextAreaField()
    version = HiddenField()
    submit = SubmitField()


_ANSWERS = [("0", "0"), ("1", "1"), ("2", "2"), ("na", "n/a")]
Phq15FloorForm = type(
    "Phq15FloorForm",
    (FlaskForm,),
    {
        "timepoint": SelectField(choices=[("baseline", "B"), ("other", "O"), ("end", "E")]),
        "session_id": SelectField(choices=[("", "-")], validate_choice=False),
        "timepoint_note": StringField(),
        "administered_on": DateField(validators=[InputRequired()]),
        "quick": StringField(),
        **{
            f"item_{n:02d}": RadioField(choices=_ANSWERS, validate_choice=False)
            for n in range(1, 16)
        },
        "submit": SubmitField(),
    },
)


def form_floor_app(url: str, form_class: type[FlaskForm], save: Callable[..., None]) -> Flask:
    """A bare app with the form at /form (GET renders it; POST validates it and saves it
    with `save(connection, form)` in one durable commit), the audited read at /audited and
    the read-only page at /."""
    bare = Flask("floor")
    bare.config.update(SECRET_KEY=secrets.token_hex(16), WTF_CSRF_TIME_LIMIT=None)
    CSRFProtect(bare)
    engine = _engine(url)
    sessions = sessionmaker(engine)
    page_template = bare.jinja_env.from_string(BARE_TEMPLATE)
    form_template = bare.jinja_env.from_string(FORM_TEMPLATE)
    page = _page(1)

    @bare.route("/audited")
    def audited() -> str:
        # As the app's patient pages: their read writes, so SQLite begins IMMEDIATE.
        request.environ[IMMEDIATE_ENVIRON_KEY] = True
        with sessions() as session, session.begin():
            rows = session.scalars(page).all()
            append_audit(session.connection(), 1, 1, "patient")
            body = page_template.render(rows=rows)
        return body

    @bare.route("/form", methods=["GET", "POST"])
    def form_page() -> Any:
        form = form_class()
        if form.validate_on_submit():
            with engine.begin() as connection:
                save(connection, form)
            return "", 302, {"Location": "/audited"}
        if request.method == "POST":
            return str(form.errors), 400
        return form_template.render(form=form)

    return bare
