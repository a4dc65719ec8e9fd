"""Dutch first: the practice's and each account's language, and the voorvoegsel kept apart.

- practice.language: the default language of screens and documents. Practices that already
  exist were English-only until now and stay English (their documents so far are English);
  a practice created from now on takes the configured default, Dutch.
- user_account.language: an account's own choice; empty follows the practice.
- patient.voorvoegsel: a family name stored as "de Vries" is split into "de" + "Vries" when it
  starts with lower-case Dutch prefixes and has a main surname after them, so it sorts under
  V; what a letter writes (given name, voorvoegsel, surname) stays the same. A capitalised
  "Van Dijk" is left whole: written that way it may be one surname (as in Flanders).
- general_practitioner: the one `name` becomes title and initials (`name`), `voorvoegsel`
  and the main surname (`family_name`), split the same way ("Dr. J. van Dijk" -> "Dr. J.",
  "van", "Dijk"); the full name reads as before.
The downgrade joins the parts back into the old columns.

Revision ID: 7a4c2e91d3b0
Revises: 3c1f0e2a7d54
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "7a4c2e91d3b0"
down_revision = "3c1f0e2a7d54"
branch_labels = None
depends_on = None

LANGUAGE_CHECK = "language IN ('nl', 'en_GB')"
# Dutch tussenvoegsels (as in the BRP's list), lower case; multi-word ones are sequences.
PREFIX_WORDS = frozenset(
    {
        "van",
        "de",
        "der",
        "den",
        "het",
        "'t",
        "’t",
        "ter",
        "ten",
        "te",
        "in",
        "op",
        "aan",
        "bij",
        "onder",
        "over",
        "uit",
        "voor",
        "tot",
        "von",
        "la",
        "le",
        "du",
        "da",
        "di",
        "del",
        "des",
        "'s",
        "’s",
        "d'",
        "l'",
    }
)

practice = sa.table("practice", sa.column("id", sa.Integer), sa.column("language", sa.String))
patient = sa.table(
    "patient",
    sa.column("id", sa.Integer),
    sa.column("voorvoegsel", sa.String),
    sa.column("family_name", sa.String),
)
gp = sa.table(
    "general_practitioner",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("voorvoegsel", sa.String),
    sa.column("family_name", sa.String),
)


def split_surname(text):
    """("de", "Vries") from "de Vries"; ("", text) unless lower-case prefixes lead."""
    words = text.split()
    count = 0
    while count < len(words) - 1 and words[count] in PREFIX_WORDS:
        count += 1
    if count == 0:
        return "", text
    return " ".join(words[:count]), " ".join(words[count:])


def split_gp_name(text):
    """("Dr. J.", "van", "Dijk") from "Dr. J. van Dijk": the last word is the surname, the
    prefix words before it the voorvoegsel, the rest title and initials."""
    words = text.split()
    if len(words) < 2:
        return "", "", text
    end = len(words) - 1
    start = end
    while start > 1 and words[start - 1].lower() in PREFIX_WORDS:
        start -= 1
    return " ".join(words[:start]), " ".join(words[start:end]), words[end]


def upgrade():
    """Add the language columns and the voorvoegsel, and split the names that carry one."""
    with op.batch_alter_table("practice", schema=None) as batch_op:
        # A practice added from now on is Dutch (the server default, for rows written by
        # hand too); the practices that exist now were English-only and stay English.
        batch_op.add_column(
            sa.Column("language", sa.String(length=8), nullable=False, server_default="nl")
        )
        batch_op.create_check_constraint(op.f("ck_practice_language_known"), LANGUAGE_CHECK)
    op.get_bind().execute(practice.update().values(language="en_GB"))
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_user_account_language_known"), f"language IS NULL OR {LANGUAGE_CHECK}"
        )
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("voorvoegsel", sa.String(length=20), nullable=False, server_default="")
        )
    with op.batch_alter_table("general_practitioner", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("voorvoegsel", sa.String(length=20), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("family_name", sa.String(length=100), nullable=False, server_default="")
        )

    connection = op.get_bind()
    for row in connection.execute(sa.select(patient.c.id, patient.c.family_name)).all():
        prefix, surname = split_surname(row.family_name)
        if prefix:
            connection.execute(
                patient.update()
                .where(patient.c.id == row.id)
                .values(voorvoegsel=prefix, family_name=surname)
            )
    for row in connection.execute(sa.select(gp.c.id, gp.c.name)).all():
        front, prefix, surname = split_gp_name(row.name)
        connection.execute(
            gp.update()
            .where(gp.c.id == row.id)
            .values(name=front, voorvoegsel=prefix, family_name=surname)
        )


def downgrade():
    """Join the names back together and drop the new columns."""
    connection = op.get_bind()
    for row in connection.execute(
        sa.select(patient.c.id, patient.c.voorvoegsel, patient.c.family_name)
    ).all():
        if row.voorvoegsel:
            connection.execute(
                patient.update()
                .where(patient.c.id == row.id)
                .values(family_name=f"{row.voorvoegsel} {row.family_name}"[:100])
            )
    for row in connection.execute(
        sa.select(gp.c.id, gp.c.name, gp.c.voorvoegsel, gp.c.family_name)
    ).all():
        whole = " ".join(part for part in (row.name, row.voorvoegsel, row.family_name) if part)
        connection.execute(gp.update().where(gp.c.id == row.id).values(name=whole[:200]))
    with op.batch_alter_table("general_practitioner", schema=None) as batch_op:
        batch_op.drop_column("family_name")
        batch_op.drop_column("voorvoegsel")
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.drop_column("voorvoegsel")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_user_account_language_known"), type_="check")
        batch_op.drop_column("language")
    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_practice_language_known"), type_="check")
        batch_op.drop_column("language")
