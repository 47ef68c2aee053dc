"""Modules that moved into subpackages still import under their old names (gmlp_core.checkpoints is
gmlp_core.formats.checkpoints, the same module object), loaded only when asked for."""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, moved: dict[str, str]):
        self.moved = moved  # old full name -> new full name

    def find_spec(self, fullname, path=None, target=None):
        return importlib.util.spec_from_loader(fullname, self) if fullname in self.moved else None

    def create_module(self, spec):
        return None  # a placeholder; exec_module puts the real module in its place

    def exec_module(self, module) -> None:
        # the import system returns whatever sys.modules holds under the name once this has run
        sys.modules[module.__name__] = importlib.import_module(self.moved[module.__name__])


def install(package: str, moved: dict[str, str]) -> None:
    """moved: old module name -> new one, both relative to `package`."""
    sys.meta_path.append(_Alias({f"{package}.{old}": f"{package}.{new}" for old, new in moved.items()}))
