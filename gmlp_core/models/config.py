"""What every model config shares: a frozen dataclass that round-trips through JSON."""

from __future__ import annotations

import dataclasses
import json
import typing


class JsonConfig:
    """Mixin for frozen config dataclasses: to_json / from_dict / from_json, unknown fields refused."""

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_dict(cls, values: dict):
        """The config from JSON values, each checked against its field's type first (an int field takes an int,
        not 32.0 or true), so the invariants in __post_init__ only ever see numbers of the right kind."""
        if not isinstance(values, dict):
            raise ValueError(f"{cls.__name__}: expected an object of fields, got {type(values).__name__}")
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(map(str, set(values) - known))
        if unknown:
            raise ValueError(f"{cls.__name__}: unknown fields {unknown[:10]}; accepted: {sorted(known)}")
        types = typing.get_type_hints(cls)
        for name, value in values.items():
            expected = types[name]
            ok = (isinstance(value, bool) if expected is bool else
                  isinstance(value, int) and not isinstance(value, bool) if expected is int else
                  isinstance(value, (int, float)) and not isinstance(value, bool) if expected is float else
                  isinstance(value, str) if expected is str else True)
            if not ok:
                raise ValueError(f"{cls.__name__}: {name} must be {expected.__name__}, got {value!r:.40}")
        return cls(**values)

    @classmethod
    def from_json(cls, text: str):
        return cls.from_dict(json.loads(text))


def check(name: str, checks: list[tuple[bool, str]]) -> None:
    """Raise ValueError naming the config and the first broken invariant."""
    for ok, message in checks:
        if not ok:
            raise ValueError(f"{name}: {message}")
