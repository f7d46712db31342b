"""plugins - one small file per datapath (harness/plugins/README.md).

Each module defines PLUGIN, an instance of a base.Path subclass. load_all()
imports every module here; a module that fails to import is reported as an
unavailable path instead of breaking the run.
"""
import importlib
import os

from .base import Path  # noqa: F401


def load_all():
    """{name: Path} for every plug-in module, ordered by Path.order."""
    here = os.path.dirname(__file__)
    found = []
    for fn in sorted(os.listdir(here)):
        if not fn.endswith(".py") or fn in ("__init__.py", "base.py"):
            continue
        mod = fn[:-3]
        try:
            m = importlib.import_module(f"plugins.{mod}")
            found.append(m.PLUGIN)
        except Exception as e:  # a broken plug-in must not hide the others
            found.append(Path.broken(mod, f"plug-in failed to load: {e}"))
    found.sort(key=lambda p: (p.order, p.name))
    return {p.name: p for p in found}
