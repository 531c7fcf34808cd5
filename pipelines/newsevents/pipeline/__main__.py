"""Beam-style entry point: `python -m newsevents.pipeline --input ... --output ...` (what the
Airflow example's operator runs); the same as `newsevents run`."""
import sys

from newsevents.cli import main


def run(argv: list[str] | None = None) -> int:
    return main(["run", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(run())
