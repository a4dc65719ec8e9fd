# Examples for `semgrep --test --config .semgrep tests/semgrep`: each `ruleid` line must be
# found, each `ok` line not. Not imported by anything; ruff skips this folder.
# ruleid: therapy-services-no-request-globals
from flask import redirect, render_template, render_template_string, request
from markupsafe import Markup
from sqlalchemy import text

from therapy.extensions import csrf, db


def view(form, patient, name):
    # ruleid: therapy-no-render-template-string
    render_template_string("<p>{{ x }}</p>", x=name)
    # ok: therapy-no-render-template-string
    render_template("patients/detail.html", patient=patient)
    # ruleid: therapy-no-markup
    shown = Markup(name)
    # ruleid: therapy-no-populate-obj
    form.populate_obj(patient)
    # ruleid: therapy-no-sql-string-formatting
    db.session.execute(text(f"SELECT * FROM patient WHERE family_name = '{name}'"))
    # ruleid: therapy-no-sql-string-formatting
    db.session.execute(text("SELECT * FROM patient WHERE id = %s" % name))
    # ok: therapy-no-sql-string-formatting
    db.session.execute(text("SELECT * FROM patient WHERE id = :id"), {"id": name})
    # ruleid: therapy-services-never-commit
    db.session.commit()
    # ruleid: therapy-no-unchecked-redirect
    return redirect(request.args.get("next")), shown


# ruleid: therapy-services-no-request-globals
from flask import session  # noqa: E402


# ruleid: therapy-no-csrf-exemption
@csrf.exempt
def hook():
    return None
