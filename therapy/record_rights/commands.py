"""`flask records destroyed`: the records destroyed on request, to destroy again after a restore."""

from __future__ import annotations

import click
from sqlalchemy import select

from therapy.extensions import db
from therapy.models import DestructionRequest
from therapy.models.enums import DestructionStatus

records_cli = click.Group("records", help="The patient's rights over the record.")


@records_cli.command("destroyed")
def destroyed_command() -> None:
    """List every record destroyed on request: internal number, and when (UTC).

    Run it before restoring a backup into the live database: a backup from before a
    destruction brings that record back (with the internal number it had), and its register
    does not know it was destroyed.
    """
    rows = db.session.execute(
        select(DestructionRequest.patient_id, DestructionRequest.carried_out_at)
        .where(DestructionRequest.status == DestructionStatus.CARRIED_OUT)
        .order_by(DestructionRequest.carried_out_at, DestructionRequest.id)
    ).all()
    for patient_id, carried_out_at in rows:
        click.echo(f"{patient_id}\t{carried_out_at.isoformat(timespec='seconds')}")
    click.echo(f"records destroyed on request: {len(rows)}", err=True)
