"""The practice's letterhead: name, address, postcode, town, phone, e-mail and AGB code."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import select

from therapy.extensions import db
from therapy.models import Practice


@dataclass(frozen=True)
class PracticeDetails:
    """What every document prints as its sender (DOMAIN.md §8); checked by the form."""

    name: str = ""
    address: str = ""
    postcode: str = ""
    town: str = ""
    phone: str = ""
    email: str = ""
    agb_code: str = ""


def current_details() -> PracticeDetails:
    """The letterhead as stored, or an empty one while there is no practice row."""
    practice = db.session.scalar(select(Practice).order_by(Practice.id).limit(1))
    if practice is None:
        return PracticeDetails()
    return PracticeDetails(
        **{f.name: getattr(practice, f.name) or "" for f in fields(PracticeDetails)}
    )


def save_details(details: PracticeDetails) -> tuple[Practice, list[str]]:
    """Store the letterhead (adding the practice row if there is none); the fields changed."""
    practice = db.session.scalar(select(Practice).order_by(Practice.id).limit(1))
    if practice is None:
        practice = Practice(name="")
        db.session.add(practice)
    changed = []
    for field in fields(PracticeDetails):
        value = getattr(details, field.name)
        if (getattr(practice, field.name) or "") != value:
            changed.append(field.name)
            setattr(practice, field.name, value)
    db.session.flush()
    return practice, changed
