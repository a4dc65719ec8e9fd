"""Correcting a GP of the practice's shared list: name, practice, address and AGB code."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from sqlalchemy import func, select

from therapy.extensions import db
from therapy.models import GeneralPractitioner, Patient
from therapy.models.versioning import claim_version


@dataclass(frozen=True)
class GpDetails:
    """Everything the GP form edits, as plain data (column name -> value)."""

    name: str
    voorvoegsel: str = ""
    family_name: str = ""
    practice_name: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    agb_code: str = ""


@dataclass(frozen=True)
class GpLine:
    """One GP in the practice's list, with how many patients name them."""

    id: int
    full_name: str
    practice_name: str
    city: str
    agb_code: str
    patients: int


def details_of(gp: GeneralPractitioner) -> GpDetails:
    """The stored details of a GP."""
    return GpDetails(**{f.name: getattr(gp, f.name) for f in fields(GpDetails)})


def gp_lines() -> list[GpLine]:
    """Every GP of the practice by main surname, with the practice-wide count of patients."""
    counts = (
        select(Patient.gp_id, func.count(Patient.id).label("n"))
        .where(Patient.gp_id.is_not(None))
        .group_by(Patient.gp_id)
        .subquery()
    )
    rows = db.session.execute(
        select(GeneralPractitioner, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.gp_id == GeneralPractitioner.id)
        .order_by(
            func.lower(GeneralPractitioner.family_name),
            func.lower(GeneralPractitioner.name),
            GeneralPractitioner.id,
        )
    )
    return [
        GpLine(gp.id, gp.full_name, gp.practice_name, gp.city, gp.agb_code, int(n))
        for gp, n in rows
    ]


def update_gp(
    gp: GeneralPractitioner, details: GpDetails, expected_version: int | None
) -> list[str]:
    """Save an edit made from the form of `expected_version` (or raise StaleEdit).

    Returns the names of the columns that changed, for the audit trail (never their values:
    the trail names what changed, the record holds the text).
    """
    claim_version(GeneralPractitioner, gp, expected_version)
    changed = []
    for name, value in asdict(details).items():
        if getattr(gp, name) != value:
            setattr(gp, name, value)
            changed.append(name)
    db.session.flush()
    return changed
