"""JSON codec for bot state that only rebuilds an allow-list of known classes.

botbuilder's own storages restore state with jsonpickle, which can instantiate any class named in
the stored data. Here every object is written with a type tag, and reading accepts only the tags
registered below (dialog stack, prompt options, botbuilder schema models): stored content can
never make us import or run anything else.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from botbuilder.core import serializer_helper
from botbuilder.core.serializer_helper import DEPENDICIES_DICT as SCHEMA_MODELS
from botbuilder.dialogs import DialogInstance, DialogState
from botbuilder.dialogs.choices import Choice, ChoiceFactoryOptions, FoundChoice, ListStyle
from botbuilder.dialogs.prompts import PromptOptions
from msrest.serialization import Model

TYPE_KEY = "$t"
VALUE_KEY = "$v"
_PLAIN_WIRE_TYPES = {"str": str, "bool": bool, "int": int}
_SCALARS = frozenset({str, int, float, bool, type(None)})
"""Exact types written and read as they are: a dialog state is mostly strings (the update dialog's
queue), so they skip the recursive call."""


def _plain_wire_fields(model: Model) -> dict | None:
    """The model as `serializer_helper` writes it when all its set fields are text, booleans or
    integers (a prompt's message: type, text, inputHint); None otherwise, for msrest to do.

    msrest walks the ~40 fields of an Activity through its generic serializer, ~0.2 ms each way,
    and a dialog waiting on a prompt keeps two Activities in its state, encoded at every turn.
    """
    wire = {}
    for attribute, spec in type(model)._attribute_map.items():
        value = getattr(model, attribute, None)
        if value is None or attribute == "additional_properties" and value == {}:
            continue
        if isinstance(value, enum.Enum):
            value = value.value
        if type(value) is not _PLAIN_WIRE_TYPES.get(spec["type"]) or "." in spec["key"]:
            return None
        wire[spec["key"]] = value
    return wire


@functools.cache
def _plain_wire_keys(cls: type[Model]) -> dict[str, tuple[str, type]]:
    return {
        spec["key"]: (attribute, _PLAIN_WIRE_TYPES[spec["type"]])
        for attribute, spec in cls._attribute_map.items()
        if spec["type"] in _PLAIN_WIRE_TYPES and "." not in spec["key"]
    }


def _plain_model(cls: type[Model], wire: dict) -> Model | None:
    """The model back from `_plain_wire_fields`' form, as msrest would build it; None when a
    field is of another kind."""
    keys = _plain_wire_keys(cls)
    fields = {}
    for key, value in wire.items():
        found = keys.get(key)
        if found is None or type(value) is not found[1]:
            return None
        fields[found[0]] = value
    return cls(**fields)


class StateCodecError(ValueError):
    """Stored state names a type outside the allow-list, or state holds an unsupported object."""


class StateCodec:
    """Encodes state to JSON text and back; extend with `register` for feature classes."""

    def __init__(self) -> None:
        self._objects: dict[str, type] = {}
        self._enums: dict[str, type[enum.Enum]] = {}
        for cls in (DialogState, DialogInstance, PromptOptions, Choice, FoundChoice, ChoiceFactoryOptions):
            self.register(cls)
        self.register(ListStyle)

    def register(self, cls: type) -> type:
        """Allow a plain class, dataclass or Enum in stored state (usable as a decorator)."""
        if issubclass(cls, enum.Enum):
            self._enums[cls.__qualname__] = cls
        else:
            self._objects[cls.__qualname__] = cls
        return cls

    def dumps(self, value: Any) -> str:
        return json.dumps(self._encode(value), ensure_ascii=False, separators=(",", ":"))

    def loads(self, text: str) -> Any:
        return self._decode(json.loads(text))

    def _encode(self, value: Any) -> Any:
        if type(value) in _SCALARS:
            return value
        if value is None or isinstance(value, (bool, int, float, str)) and not isinstance(value, enum.Enum):
            return value
        if isinstance(value, list):
            return [item if type(item) in _SCALARS else self._encode(item) for item in value]
        if isinstance(value, tuple):
            return {TYPE_KEY: "tuple", VALUE_KEY: [self._encode(item) for item in value]}
        if isinstance(value, dict):
            encoded = {str(key): item if type(item) in _SCALARS else self._encode(item) for key, item in value.items()}
            return {TYPE_KEY: "dict", VALUE_KEY: encoded} if TYPE_KEY in encoded else encoded
        if isinstance(value, datetime):
            return {TYPE_KEY: "datetime", VALUE_KEY: value.isoformat()}
        if isinstance(value, date):
            return {TYPE_KEY: "date", VALUE_KEY: value.isoformat()}
        if isinstance(value, Decimal):
            return {TYPE_KEY: "decimal", VALUE_KEY: str(value)}
        if isinstance(value, enum.Enum):
            name = type(value).__qualname__
            if self._enums.get(name) is not type(value):
                raise StateCodecError(f"enum {name} is not registered for bot state")
            return {TYPE_KEY: "enum:" + name, VALUE_KEY: value.name}
        if isinstance(value, Model) and SCHEMA_MODELS.get(type(value).__name__) is type(value):
            wire = _plain_wire_fields(value)
            if wire is None:
                wire = serializer_helper(value)
            return {TYPE_KEY: "model:" + type(value).__name__, VALUE_KEY: wire}
        name = type(value).__qualname__
        if self._objects.get(name) is type(value):
            fields = (
                {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
                if dataclasses.is_dataclass(value)
                else vars(value)
            )
            return {TYPE_KEY: "object:" + name, VALUE_KEY: {k: self._encode(v) for k, v in fields.items()}}
        raise StateCodecError(f"{type(value).__module__}.{name} is not registered for bot state")

    def _decode(self, value: Any) -> Any:
        if isinstance(value, list):
            return [item if type(item) in _SCALARS else self._decode(item) for item in value]
        if not isinstance(value, dict):
            return value
        if TYPE_KEY not in value:
            return {key: item if type(item) in _SCALARS else self._decode(item) for key, item in value.items()}
        tag, payload = value[TYPE_KEY], value.get(VALUE_KEY)
        if tag == "dict":
            return {key: self._decode(item) for key, item in payload.items()}
        if tag == "tuple":
            return tuple(self._decode(item) for item in payload)
        if tag == "datetime":
            return datetime.fromisoformat(payload)
        if tag == "date":
            return date.fromisoformat(payload)
        if tag == "decimal":
            return Decimal(payload)
        kind, _, name = str(tag).partition(":")
        if kind == "enum" and name in self._enums:
            return self._enums[name][payload]
        if kind == "model" and name in SCHEMA_MODELS:
            model = _plain_model(SCHEMA_MODELS[name], payload) if isinstance(payload, dict) else None
            return SCHEMA_MODELS[name]().deserialize(payload) if model is None else model
        if kind == "object" and name in self._objects:
            return self._build(self._objects[name], {k: self._decode(v) for k, v in payload.items()})
        raise StateCodecError(f"stored state names an unknown type {tag!r}; refusing to restore it")

    @staticmethod
    def _build(cls: type, attributes: dict[str, Any]) -> Any:
        if dataclasses.is_dataclass(cls):
            return cls(**attributes)
        instance = cls.__new__(cls)
        instance.__dict__.update(attributes)
        return instance
