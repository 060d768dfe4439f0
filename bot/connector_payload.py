"""Lighter serialisation of what the bot sends to the Teams connector.

msrest serialises an outgoing activity node by node, and an Adaptive Card's content, typed
`object`, value by value (type dispatch, key conversion and a try/except per string): under the
load test, about 4 % of the event loop's busy time, and a third of msrest's validation and
serialisation of the replies (py-spy, 6 December). A card built
by this bot is already plain JSON (dicts, lists, strings, numbers), so it is passed through as
it is; anything else still goes through msrest. msrest's client-side validation of the Bot
Framework models is skipped too: they declare no constraint the connector does not check itself.

The activity itself (`Serializer.body`) is serialised from a plan made once per model class:
msrest copies each attribute's description, raises and catches an exception for each of the
~40 empty attributes of an activity and checks types by name at each value. Values of other
types (dates, enums, dicts) still go through msrest one by one, and a model holding something
else than a model where one is declared goes through msrest whole, as before.
"""

from __future__ import annotations

from typing import Any

from msrest.exceptions import SerializationError
from msrest.serialization import Model, Serializer, full_restapi_key_transformer

_SCALARS = (str, int, float, bool, type(None))
MAX_DEPTH = 64


def is_plain_json(value: Any) -> bool:
    """Whether `value` is made only of dicts with string keys, lists and JSON scalars."""
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, _SCALARS):
            continue
        if depth >= MAX_DEPTH:
            return False
        if type(item) is dict:
            for key, inner in item.items():
                if type(key) is not str:
                    return False
                pending.append((inner, depth + 1))
        elif type(item) is list:
            pending.extend((inner, depth + 1) for inner in item)
        else:
            return False
    return True


_BASIC = {"int": int, "bool": bool, "float": float}


class _Unusual(Exception):
    """A model attribute holds what msrest would convert first: let msrest do the whole body."""


class ModelWriter:
    """msrest's JSON serialisation of a model (no XML, no read-only attribute), planned per class."""

    def __init__(self, serializer: Serializer) -> None:
        self._serializer = serializer
        self._plans: dict[type, tuple] = {}

    def body(self, model: Model) -> dict:
        return self._model(model)

    def _plan(self, cls: type) -> tuple:
        plan = []
        for attr, description in cls._attribute_map.items():
            if cls._validation.get(attr, {}).get("readonly", False):
                continue
            if attr == "additional_properties" and description["key"] == "":
                plan.append((attr, None, "", description))
                continue
            keys, _ = full_restapi_key_transformer(attr, description.copy(), None)
            plan.append((attr, tuple(keys), description["type"], description))
        self._plans[cls] = plan = tuple(plan)
        return plan

    def _model(self, model: Model) -> dict:
        plan = self._plans.get(type(model)) or self._plan(type(model))
        serialized: dict = {}
        for attr, keys, data_type, description in plan:
            value = getattr(model, attr)
            if value is None:
                continue
            if keys is None:
                serialized.update(value)
                continue
            try:
                value = self._value(value, data_type, description)
            except ValueError as error:
                if isinstance(error, SerializationError):
                    raise
                continue
            if len(keys) == 1:
                if keys[0] not in serialized:
                    serialized[keys[0]] = value
                continue
            for key in reversed(keys):
                value = {key: value}
            target = serialized
            for key in keys:
                if key not in target:
                    target.update(value)
                value, target = value[key], target[key]
        return serialized

    def _item(self, item: Any, data_type: str, description: dict) -> Any:
        if item is None:
            return None
        try:
            return self._value(item, data_type, description)
        except ValueError as error:
            if isinstance(error, SerializationError):
                raise
            return None

    def _value(self, value: Any, data_type: str, description: dict) -> Any:
        if data_type == "str":
            try:
                return value.value
            except AttributeError:
                return value if isinstance(value, str) else str(value)
        basic = _BASIC.get(data_type)
        if basic is not None:
            return basic(value)
        if data_type[0] == "[" and data_type[-1] == "]" and not isinstance(value, str):
            return [self._item(item, data_type[1:-1], description) for item in value]
        declared = self._serializer.dependencies.get(data_type)
        if isinstance(declared, type) and issubclass(declared, Model):
            if not isinstance(value, Model):
                raise _Unusual
            return self._model(value)
        return self._serializer.serialize_data(value, data_type, serialization_ctxt=description)


def lighten(serializer: Serializer) -> Serializer:
    generic = serializer.serialize_type["object"]

    def plain_or_generic(value: Any, **kwargs: Any) -> Any:
        return value if is_plain_json(value) else generic(value, **kwargs)

    serializer.serialize_type["object"] = plain_or_generic
    serializer.client_side_validation = False
    writer = ModelWriter(serializer)
    generic_body = serializer.body

    def body(data: Any, data_type: str, **kwargs: Any) -> Any:
        if not kwargs and isinstance(data, Model) and type(data).__name__ == data_type and not data.is_xml_model():
            try:
                return writer.body(data)
            except _Unusual:
                pass
        return generic_body(data, data_type, **kwargs)

    serializer.body = body
    return serializer
