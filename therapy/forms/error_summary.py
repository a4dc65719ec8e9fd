"""The error summary of a form: every error with the label and id of the field it belongs to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask
from wtforms import Field, FieldList, FormField


@dataclass(frozen=True)
class ErrorItem:
    """One line of the summary; `target` is the id to link to, None when nothing is to click."""

    target: str | None
    label: str
    message: str


def error_items(form: Any, groups: Mapping[str, str] | None = None) -> list[ErrorItem]:
    """The form's errors in field order, nested fields labelled by their group ("Goal 2: …").

    An entry of a list is "<list label> <n>" unless `groups` names it by id, as the page does
    (e.g. "3. Cycling to work" for a goal review).
    """
    items: list[ErrorItem] = []
    _collect(form, "", items, groups or {})
    # Form-wide errors (WTForms' form_errors) belong to no field.
    items.extend(ErrorItem(None, "", str(message)) for message in form.form_errors)
    return items


def _collect(
    fields: Iterable[Field], prefix: str, items: list[ErrorItem], groups: Mapping[str, str]
) -> None:
    for field in fields:
        label = str(field.label.text)
        if isinstance(field, FieldList):
            for number, entry in enumerate(field.entries, start=1):
                name = groups.get(entry.id) or f"{label} {number}"
                _collect_one(entry, _join(prefix, name), items, groups)
        else:
            _collect_one(field, _join(prefix, label), items, groups)


def _collect_one(
    field: Field, label: str, items: list[ErrorItem], groups: Mapping[str, str]
) -> None:
    if isinstance(field, FormField):
        _collect(field.form, label, items, groups)
        items.extend(ErrorItem(None, label, str(message)) for message in field.form.form_errors)
        return
    if not field.errors:
        return
    # A hidden field (CSRF token, id, version) cannot be fixed by hand: listed, not linked.
    hidden = getattr(field.widget, "input_type", None) == "hidden"
    target = None if hidden else field.id
    items.append(ErrorItem(target, label, " ".join(str(message) for message in field.errors)))


def _join(prefix: str, label: str) -> str:
    """ "Goal 2" + "Activity" -> "Goal 2: Activity"; a label that repeats its group is said once."""
    if not prefix or label == prefix.rsplit(": ", 1)[-1]:
        return prefix or label
    return f"{prefix}: {label}"


def init_form_errors(app: Flask) -> None:
    """Give every template the summary's items (see _macros/forms.html form_errors)."""
    app.jinja_env.globals["form_error_items"] = error_items
