"""The console during a run: one progress display, and none of Beam's start-up noise."""
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from newsevents.progress import NOISE, plain_line

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_28aa3b8bf562bb45.jsonl"
# worker processes, as a large input gets them: they are what prints the start-up noise
RUN = [sys.executable, "-m", "newsevents", "run", "--input", str(SEED),
       "--direct_running_mode=multi_processing", "--direct_num_workers=2"]


def _on_a_terminal(args: list[str]) -> str:
    """Run with stdout and stderr on a pseudo-terminal; everything it showed."""
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=secondary, stderr=secondary,
                            cwd=ROOT)
    os.close(secondary)
    shown = b""
    while True:
        try:
            data = os.read(primary, 1 << 16)
        except OSError:                   # EIO: every writer has closed the terminal
            break
        if not data:
            break
        shown += data
    os.close(primary)
    assert proc.wait(timeout=300) == 0, shown.decode(errors="replace")
    return shown.decode("utf-8", errors="replace")


def test_a_terminal_shows_one_display_updated_in_place(tmp_path):
    shown = _on_a_terminal(RUN + ["--output", str(tmp_path / "out")])
    assert re.search(r"read 100%\|.*\| \S+B/\S+B \[.*1 articles, [\d.]+ articles/s\]", shown)
    assert "\r" in shown.split("newsevents run ")[0]       # redrawn in place, before the summary
    assert not NOISE.search(shown) and "worker " not in shown


def test_without_a_terminal_plain_lines(tmp_path):
    done = subprocess.run(RUN + ["--output", str(tmp_path / "out")], capture_output=True,
                          text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert any(re.fullmatch(r"progress: 100% of 4\.\d\dkB read, 1 articles, [\d.]+ articles/s, "
                            r"\d\d:\d\d elapsed", line) for line in lines), lines
    assert "\r" not in done.stderr and not NOISE.search(done.stderr + done.stdout)
    assert "newsevents run " in done.stdout


def test_verbose_shows_what_beam_says(tmp_path):
    done = subprocess.run(RUN + ["--output", str(tmp_path / "out"), "--verbose"],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert NOISE.search(done.stderr)


def test_plain_line_says_share_rate_and_time_left():
    line = plain_line(done=2_500_000, total=10_000_000, articles=1_000, seconds=20)
    assert line == ("progress: 25% of 10.0MB read, 1,000 articles, 50 articles/s, "
                    "00:20 elapsed, about 01:00 left")
