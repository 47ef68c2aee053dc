"""Arch name -> everything the rest of the project needs to know about a model family.

A family registers itself where it is defined, with one decorator on its model class (as timm's
@register_model): its config class, what it reads ("image" or "text"), what a page can draw of it
(SPATIAL_W, ATTENTION_MAPS), its command-line name and its title in each interface language. The
command lines' choices, the app's model lists and views and the URL options all read ARCHS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from torch import nn

SPATIAL_W = "spatial_w"  # a learned token-mixing W per layer and head (spatial_weights works on it)
ATTENTION_MAPS = "attention_maps"  # attention weights computed from the input (attention_maps works on it)
TASKS = ("image", "text")


@dataclass(frozen=True)
class Arch:
    name: str
    model_class: type
    config_class: type
    task: str  # "image": classifies pictures; "text": a causal character model
    description: str
    titles: dict  # language code -> the family's name in the interface
    shows: frozenset = field(default_factory=frozenset)  # SPATIAL_W, ATTENTION_MAPS
    short: str = ""  # the command line's name (train_lm --arch gmlp)
    accepts: Callable | None = None  # config -> None, or why this family cannot take it

    def check(self, config) -> None:
        if not isinstance(config, self.config_class):
            raise ValueError(f"{self.name}: expected a {self.config_class.__name__}, got {type(config).__name__}")
        problem = self.accepts(config) if self.accepts else None
        if problem:
            raise ValueError(f"{self.name}: {problem}")

    def title(self, language: str) -> str:
        return self.titles.get(language, self.titles["en"])


ARCHS: dict[str, Arch] = {}
DEFAULT_ARCH = "vision"  # checkpoints written before archs were recorded are all vision models


def register(name: str, *, config_class: type, task: str, description: str, titles: dict, shows=(),
             short: str = "", accepts: Callable | None = None):
    """Class decorator: register the decorated nn.Module (built as cls(config)) under `name`."""
    if task not in TASKS:
        raise ValueError(f"register({name!r}): task must be one of {TASKS}, got {task!r}")
    if "en" not in titles:
        raise ValueError(f"register({name!r}): titles need at least an English one")

    def decorate(model_class: type) -> type:
        if name in ARCHS:
            raise ValueError(f"arch {name!r} is registered twice")
        ARCHS[name] = Arch(name, model_class, config_class, task, description, dict(titles), frozenset(shows),
                           short or name, accepts)
        return model_class
    return decorate


def unregister(name: str) -> None:
    """Remove a family (tests register throwaway ones)."""
    ARCHS.pop(name, None)


def arch(name: str) -> Arch:
    if name not in ARCHS:
        raise ValueError(f"unknown arch {name!r}; accepted: {sorted(ARCHS)}")
    return ARCHS[name]


def archs_for(task: str) -> dict[str, Arch]:
    """The registered families of one task, in registration order."""
    return {name: entry for name, entry in ARCHS.items() if entry.task == task}


def config_from_dict(name: str, values: dict):
    return arch(name).config_class.from_dict(values)


def build_model(name: str, config) -> nn.Module:
    """A fresh model of arch `name` from its config (train mode, as PyTorch builds it)."""
    entry = arch(name)
    entry.check(config)
    return entry.model_class(config)


def arch_of(model: nn.Module) -> str:
    """The arch name a built model is registered under (its class, and its config where a class serves two)."""
    for name, entry in ARCHS.items():
        config = getattr(model, "config", None)
        if type(model) is entry.model_class and not (entry.accepts and entry.accepts(config)):
            return name
    raise ValueError(f"{type(model).__name__} is not a registered arch; accepted: {sorted(ARCHS)}")
