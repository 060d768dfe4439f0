"""Lighter serialisation of what the bot sends to the Teams connector.

msrest serialises an outgoing activity node by node, and an Adaptive Card's content, typed
`object`, value by value (type dispatch, key conversion and a try/except per string): under the
load test, about 4 % of the event loop's busy time, and a third of msrest's validation and
serialisation of the replies (py-spy, 6 December). A card built
by this bot is already plain JSON (dicts, lists, strings, numbers), so it is passed through as
it is; anything else still goes through msrest. msrest's client-side validation of the Bot
Framework models is skipped too: they declare no constraint the connector does not check itself.
"""

from __future__ import annotations

from typing import Any

from msrest.serialization import Serializer

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


def lighten(serializer: Serializer) -> Serializer:
    generic = serializer.serialize_type["object"]

    def plain_or_generic(value: Any, **kwargs: Any) -> Any:
        return value if is_plain_json(value) else generic(value, **kwargs)

    serializer.serialize_type["object"] = plain_or_generic
    serializer.client_side_validation = False
    return serializer
