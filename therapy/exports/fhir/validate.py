"""Every resource goes through fhir.resources' R4 models before it leaves; output parses back.

A practice export writes about a million resources, most of them made of the same parts (a
LOINC code, the patient's reference, 10 minutes of education). The validator checks each
resource through its model, and each distinct part through the part's own model once:
a part already validated is handed to the resource's model as the validated object it is,
and a resource of a shape already validated (therapy.exports.fhir.shapes) is not validated again.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from functools import cache
from types import SimpleNamespace
from typing import Any

import orjson

from therapy.exports.fhir.shapes import shape_key

PART_CACHE = 8192


@cache
def _r4() -> Any:
    """fhir.resources' R4 models and pydantic's error, loaded when the first resource is
    checked: together some 25 MB a process, which a web worker that never exports a record
    does not carry."""
    from fhir.resources import get_fhir_model_class
    from fhir.resources.bundle import Bundle
    from pydantic import ValidationError

    return SimpleNamespace(
        model_class=get_fhir_model_class, Bundle=Bundle, ValidationError=ValidationError
    )


def compact_json(resource: dict[str, Any]) -> bytes:
    """A resource as compact UTF-8 JSON (one NDJSON line, without its newline)."""
    return orjson.dumps(resource)


class FhirValidationError(ValueError):
    """A resource the R4 models refuse: never written out."""


class ResourceValidator:
    """Validates resources through their fhir.resources model, each distinct part once."""

    def __init__(self, cache_size: int = PART_CACHE) -> None:
        self._parts: OrderedDict[tuple[str, str], Any] = OrderedDict()
        self._fields: dict[type, dict[str, Any]] = {}
        self._shapes: OrderedDict[bytes, None] = OrderedDict()
        self._size = cache_size
        self.checked = 0
        self.validated = 0  # resources that went through the models (the rest shared a shape)

    def _part(self, type_name: str, value: dict[str, Any]) -> Any:
        # repr() of plain JSON data is unambiguous (strings are quoted): a safe cache key.
        key = (type_name, repr(value))
        model = self._parts.get(key)
        if model is None:
            model = self._build(_r4().model_class(type_name), value)
            self._parts[key] = model
            if len(self._parts) > self._size:
                self._parts.popitem(last=False)
        else:
            self._parts.move_to_end(key)
        return model

    def _fields_of(self, model_class: type) -> dict[str, Any]:
        fields = self._fields.get(model_class)
        if fields is None:
            fields = {f.alias: f for f in model_class.__fields__.values()}  # type: ignore[attr-defined]
            self._fields[model_class] = fields
        return fields

    def _build(self, model_class: Any, data: dict[str, Any]) -> Any:
        """The model of `data`, its complex parts each validated once through their own model."""
        fields = self._fields_of(model_class)
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key == "resourceType":
                continue
            field = fields.get(key)
            if field is None:
                raise FhirValidationError(f"{model_class.__name__} has no element {key!r}")
            part_type = getattr(field.type_, "__resource_type__", None)
            if part_type and isinstance(value, dict):
                values[key] = self._part(part_type, value)
            elif part_type and isinstance(value, list):
                values[key] = [
                    self._part(part_type, v) if isinstance(v, dict) else v for v in value
                ]
            else:
                values[key] = value
        return model_class(**values)

    def check(self, resource: dict[str, Any], line: bytes | None = None) -> None:
        """Raise FhirValidationError unless the R4 model of its resourceType accepts it.

        `line` is the resource's compact JSON when the caller has it already (an export does).
        """
        name = resource.get("resourceType", "")
        shape = shape_key(compact_json(resource) if line is None else line)
        if shape in self._shapes:
            self._shapes.move_to_end(shape)
        else:
            r4 = _r4()
            try:
                self._build(r4.model_class(name), resource)
            except (r4.ValidationError, KeyError, TypeError) as error:
                raise FhirValidationError(f"{name}/{resource.get('id')}: {error}") from error
            self.validated += 1
            self._shapes[shape] = None
            if len(self._shapes) > self._size:
                self._shapes.popitem(last=False)
        self.checked += 1


def check_bundle_round_trip(bundle: dict[str, Any]) -> str:
    """Validate a whole Bundle, serialise it, parse the text back and insist nothing changed."""
    r4 = _r4()
    try:
        model = r4.Bundle.parse_obj(bundle)
    except r4.ValidationError as error:
        raise FhirValidationError(f"Bundle: {error}") from error
    text = model.json()
    if json.loads(r4.Bundle.parse_raw(text).json()) != bundle:
        raise FhirValidationError("the Bundle does not read back as it was written")
    return text
