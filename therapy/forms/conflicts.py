"""Two versions side by side when an edit lost the compare-and-swap, so nobody's text is lost.

The form keeps what this therapist typed; next to it the page shows, field by field, what
was saved meanwhile. The form's version is moved on to the saved one, so pressing save again
knowingly keeps the typed text, after the therapist has seen (and can copy from) the other.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from wtforms import Field, Form
from wtforms.fields import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectFieldBase,
    SubmitField,
)

from therapy.i18n.translation import gettext as _

# Tokens of one rendering, not content anyone typed.
_NOT_CONTENT = frozenset({"csrf_token", "form_key", "version"})


@dataclass(frozen=True)
class ChangedField:
    """One field where the saved version and the typed one differ."""

    label: str
    saved: str
    yours: str


def _leaves(form: Form, prefix: str = "") -> Iterator[tuple[str, str, Field]]:
    """(name, label, field) of every leaf field, sub-forms and lists flattened."""
    for field in form:
        if field.short_name in _NOT_CONTENT or isinstance(field, SubmitField | HiddenField):
            continue
        label = f"{prefix}{field.label.text}"
        if isinstance(field, FieldList):
            for number, entry in enumerate(field.entries, start=1):
                yield from _entry_leaves(entry, f"{label} {number} · ")
        elif isinstance(field, FormField):
            yield from _leaves(field.form, f"{label} · ")
        else:
            yield field.name, label, field


def _entry_leaves(entry: Field, prefix: str) -> Iterator[tuple[str, str, Field]]:
    if isinstance(entry, FormField):
        yield from _leaves(entry.form, prefix)
    else:
        yield entry.name, prefix.rstrip(" ·"), entry


def _shown(field: Field) -> str:
    """A field's value as the therapist reads it (choice labels, dates, yes/no)."""
    data = field.data
    if isinstance(field, BooleanField):
        return _("yes") if data else _("no")
    if isinstance(field, SelectFieldBase | RadioField):
        chosen = data if isinstance(data, list | tuple | set) else [data]
        wanted = {str(value) for value in chosen if value not in (None, "")}
        labels = [
            str(label) for value, label, *_rest in field.iter_choices() if str(value) in wanted
        ]
        labels += [] if labels else sorted(wanted)
        return ", ".join(labels)
    if isinstance(data, date):
        return format_date(data, "medium")
    return "" if data is None else str(data)


def changed_fields(yours: Form, saved: Form) -> list[ChangedField]:
    """The fields whose typed value differs from the version saved meanwhile, in form order."""
    stored = {name: (label, field) for name, label, field in _leaves(saved)}
    changes = []
    for name, label, field in _leaves(yours):
        theirs = stored.get(name)
        saved_text = _shown(theirs[1]) if theirs else ""
        typed_text = _shown(field)
        if saved_text.strip() != typed_text.strip():
            changes.append(ChangedField(label=label, saved=saved_text, yours=typed_text))
    return changes


def take_over_version(form: Form, version: int) -> None:
    """Let the next save of this form replace the version it has now been shown."""
    form.version.data = version  # type: ignore[attr-defined]
    form.version.raw_data = [str(version)]  # type: ignore[attr-defined]


def show_conflict(yours: Form, saved: Form, saved_version: int) -> list[ChangedField]:
    """After a lost compare-and-swap: what differs, with the typed form moved onto `saved`."""
    take_over_version(yours, saved_version)
    return changed_fields(yours, saved)
