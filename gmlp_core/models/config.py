"""What every model config shares: a frozen dataclass that round-trips through JSON."""

from __future__ import annotations

import dataclasses
import json


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
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"{cls.__name__}: unknown fields {unknown}; accepted: {sorted(known)}")
        return cls(**values)

    @classmethod
    def from_json(cls, text: str):
        return cls.from_dict(json.loads(text))


def check(name: str, checks: list[tuple[bool, str]]) -> None:
    """Raise ValueError naming the config and the first broken invariant."""
    for ok, message in checks:
        if not ok:
            raise ValueError(f"{name}: {message}")
