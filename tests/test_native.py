"""The compiled modules (setup.py, mypyc) are the same program as their Python source."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import newsevents
import newsevents.schemas as schemas
from newsevents import native
from newsevents.commands.synth import write_synthetic

ROWS = """
import json, sys
from newsevents import native
from newsevents.events import extract_events
from newsevents.text.classify import Classifier
from newsevents.text.geoparse import Geoparser
from newsevents.schemas import Article
parts = Classifier(), Geoparser()
rows = [extract_events(Article.model_validate_json(line), *parts, keep_all=True).rows
        for line in open(sys.argv[1], encoding="utf-8")]
print(json.dumps({"native": native.status(), "rows": rows}, default=str, sort_keys=True))
"""


def test_the_compiled_modules_are_built_from_this_source():
    # an edit since the last install leaves them stale: `make` (or pip install -e .) rebuilds
    assert not native.status().startswith("stale"), native.status()


@pytest.mark.skipif(native.status() != "compiled", reason="this install runs pure Python")
def test_compiled_and_pure_python_give_the_same_rows(tmp_path):
    articles = tmp_path / "articles.jsonl"
    write_synthetic(str(articles), 150)
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    with articles.open("a", encoding="utf-8") as fh:
        for seed in sorted(seeds.glob("*.jsonl")):
            fh.write(seed.read_text(encoding="utf-8"))
    # the same source without the compiled files, first on the path
    pure = tmp_path / "pure"
    # schemas/ installs as newsevents.schemas: copied where that name finds it
    for package, dest in ((newsevents, pure / "newsevents"),
                          (schemas, pure / "newsevents" / "schemas")):
        shutil.copytree(Path(package.__file__).parent, dest,
                        ignore=shutil.ignore_patterns("*.so", "*.json", "__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(pure)}
    results = [json.loads(subprocess.run([sys.executable, "-c", ROWS, str(articles)], env=e,
                                         capture_output=True, text=True, check=True).stdout)
               for e in (os.environ, env)]
    assert [r["native"] for r in results] == ["compiled", "pure Python"]
    compiled, pure_rows = (r["rows"] for r in results)
    assert sum(map(len, compiled)) > 1000
    assert compiled == pure_rows
