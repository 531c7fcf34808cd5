"""`newsevents check-taxonomy [DIR]`: check a taxonomy folder and run every rule's examples.

First each file against the schema (newsevents/taxonomy/schema.py): every problem one line,
exit 2. Then each rule's `match` sentences must fire it and its `no_match` sentences must not
(as `semgrep --test` runs a rule's annotated lines): a line per rule, a line per failing
example, exit 1 if any fails, 0 if all pass. DIR defaults to the folder NEWSEVENTS_TAXONOMY
names, else the shipped taxonomy.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def add_arguments(parser) -> None:
    parser.add_argument("folder", nargs="?", metavar="DIR",
                        help="a taxonomy folder: events.yaml, places.yaml and a folder per "
                             "language (default: $NEWSEVENTS_TAXONOMY, else the shipped one)")


def run(args) -> int:
    from newsevents.taxonomy import FOLDER
    from newsevents.taxonomy.schema import check_folder
    folder = Path(args.folder).resolve() if args.folder else FOLDER
    problems = check_folder(folder)
    if problems:
        for problem in problems:
            print(f"newsevents: error: taxonomy: {problem}", file=sys.stderr)
        return 2
    if folder != FOLDER:
        # The tokenizer and the classifier read the taxonomy folder on import: the examples
        # of another one run in a process started with it, as a user's run would be.
        sys.stdout.flush()
        env = {**os.environ, "NEWSEVENTS_TAXONOMY": str(folder)}
        return subprocess.run([sys.executable, "-m", "newsevents", "check-taxonomy"],
                              env=env, check=False).returncode
    from newsevents.taxonomy import read_yaml
    from newsevents.taxonomy.examples import format_report, run_examples
    results = run_examples()
    version = read_yaml(FOLDER / "events.yaml")["version"]
    print(format_report(results, f"taxonomy {FOLDER} (version {version})"))
    return 0 if all(r.passed for r in results) else 1
