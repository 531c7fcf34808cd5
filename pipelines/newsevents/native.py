"""Whether the hot modules run compiled, and compiled from the source beside them.

setup.py compiles them with mypyc when it can and records each one's source hash in
`_compiled.json`. A compiled module is imported in place of its .py file, so after an edit it
is stale until the next install; `status()` tells, and `make` rebuilds.
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
from importlib import resources

RECORD = "_compiled.json"


def status() -> str:
    """'compiled', 'pure Python' or 'stale: <modules>' (compiled from another source)."""
    try:
        record = json.loads(resources.files("newsevents").joinpath(RECORD).read_text())
    except (FileNotFoundError, ValueError):
        return "pure Python"
    # the file the import system would load, without importing it (the driver of a run
    # with worker processes imports none of them)
    compiled = [m for m in sorted(record)
                if not str(importlib.util.find_spec(m).origin).endswith(".py")]
    if not compiled:
        return "pure Python"
    stale = []
    for module in compiled:
        package, _, name = module.rpartition(".")
        source = resources.files(package).joinpath(name + ".py").read_bytes()
        if hashlib.sha256(source).hexdigest() != record[module]:
            stale.append(module)
    return "stale: " + ", ".join(stale) if stale else "compiled"
