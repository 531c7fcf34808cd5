"""Compiles the hot text modules to C with mypyc when it can; pure Python when it cannot.

Everything else about the package is in pyproject.toml. The compiled modules are the same
source, type-checked and translated by mypyc (the compiler mypy and black ship with): about
twice as fast on the per-token loops that set the pipeline's throughput. Set
NEWSEVENTS_PURE_PYTHON=1 to skip it; a machine without a C compiler falls back by itself.
"""
import hashlib
import json
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

MODULES = {"newsevents.text.classify": "pipelines/newsevents/text/classify.py",
           "newsevents.text.geoparse": "pipelines/newsevents/text/geoparse.py",
           "newsevents.text.sentences": "pipelines/newsevents/text/sentences.py",
           "newsevents.text.place": "pipelines/newsevents/text/place.py",
           "newsevents.text.casualties": "pipelines/newsevents/text/casualties.py",
           "newsevents.text.actors": "pipelines/newsevents/text/actors.py",
           "newsevents.text.dates": "pipelines/newsevents/text/dates.py",
           "newsevents.incidents": "pipelines/newsevents/incidents.py",
           "newsevents.events": "pipelines/newsevents/events.py"}


class OptionalBuildExt(build_ext):
    """A failed compile (no compiler, no Python headers) installs the pure-Python modules."""

    def run(self):
        outputs = [Path(self.get_ext_fullpath(ext.name)) for ext in self.extensions]
        record = Path(self.get_ext_fullpath("newsevents.events")).with_name("_compiled.json")
        try:
            super().run()
        except Exception as e:  # noqa: BLE001 - any build failure leaves a working package
            # all or none: the modules share one compiled library
            for path in [*outputs, record]:
                path.unlink(missing_ok=True)
            print(f"newsevents: mypyc build failed ({e}); installing pure Python",
                  file=sys.stderr)
            return
        # which source each module was compiled from: newsevents.native.status() reads it
        record.write_text(json.dumps({name: hashlib.sha256(Path(path).read_bytes()).hexdigest()
                                      for name, path in MODULES.items()}, indent=1) + "\n")


def ext_modules():
    if os.environ.get("NEWSEVENTS_PURE_PYTHON") == "1":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        return []
    # options: [tool.mypy] in pyproject.toml
    try:
        return mypycify(list(MODULES.values()), opt_level="3", group_name="newsevents")
    except (SystemExit, Exception) as e:  # noqa: BLE001 - mypy's type errors exit: install pure
        print(f"newsevents: mypyc could not compile ({e}); installing pure Python",
              file=sys.stderr)
        return []


setup(ext_modules=ext_modules(), cmdclass={"build_ext": OptionalBuildExt})
