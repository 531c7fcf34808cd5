"""One progress display for a run: share of input bytes read, articles a second, time left.

Workers (Beam's worker processes, or this process) note each chunk they finish in a small
file of their own under a directory named by NEWSEVENTS_PROGRESS; the driver sums those
files. On a terminal tqdm redraws one line in place; otherwise a plain line is written
every PLAIN_EVERY_S seconds and once at the end (cron, Airflow logs). On runners whose
workers cannot see the directory (a cluster) nothing is noted and only the end is shown.

Beam's worker processes also print their start-up on the same standard error (the lines
matched by NOISE, once per worker, every run): unless `--verbose`, the driver reads its
standard error through a pipe and keeps every other line.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import threading
import time

ENV = "NEWSEVENTS_PROGRESS"
PLAIN_EVERY_S = 10.0
NOISE = re.compile(r"apitools not found|Logging handler created|No semi_persistent_directory"
                   r"|Discarding unparseable args")

_done: dict[str, list[int]] = {}      # per run's directory: this process's bytes, articles
_lock = threading.Lock()


def chunk_read(nbytes: int, articles: int) -> None:
    """Worker side: a chunk of input is read (its articles passed on). Never raises: the
    display is a courtesy, not part of the run."""
    directory = os.environ.get(ENV)
    if not directory:
        return
    with _lock:
        done = _done.setdefault(directory, [0, 0])
        done[0] += nbytes
        done[1] += articles
        line = f"{done[0]} {done[1]}"
        name = os.path.join(directory, f"{os.getpid()}")
        try:
            with open(name + ".tmp", "w") as fh:
                fh.write(line)
            os.replace(name + ".tmp", name)       # the driver never reads half a line
        except OSError:
            pass


def _read(directory: str) -> tuple[int, int]:
    total_bytes = total_articles = 0
    for name in os.listdir(directory):
        if not name.endswith(".tmp"):
            try:
                with open(os.path.join(directory, name)) as fh:
                    b, a = fh.read().split()
            except (OSError, ValueError):
                continue
            total_bytes, total_articles = total_bytes + int(b), total_articles + int(a)
    return total_bytes, total_articles


def plain_line(done: int, total: int, articles: int, seconds: float) -> str:
    from tqdm import tqdm
    share = min(done / total, 1.0) if total else 1.0
    rate = articles / seconds if seconds > 0 else 0.0
    left = (f", about {tqdm.format_interval(seconds * (1 - share) / share)} left"
            if 0 < share < 1 else "")
    return (f"progress: {share:.0%} of {tqdm.format_sizeof(total, 'B')} read, "
            f"{articles:,} articles, {rate:,.{1 if rate < 10 else 0}f} articles/s, "
            f"{tqdm.format_interval(seconds)} elapsed{left}")


class RunConsole:
    """`with RunConsole(files, verbose, stream):` around a run."""

    def __init__(self, files: list[str], verbose: bool = False, stream=None):
        self.total = sum(os.path.getsize(f) for f in files)
        self.verbose = verbose
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()

    def __enter__(self):
        self.directory = tempfile.mkdtemp(prefix="newsevents-progress-")
        self._env = os.environ.get(ENV)
        os.environ[ENV] = self.directory
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._out = self.stream
        self._filter = None
        if not self.verbose:
            self._filter_stderr()
        self.bar = None
        if self.tty:
            from tqdm import tqdm
            self.bar = tqdm(total=self.total, unit="B", unit_scale=True, file=self._out,
                            desc="read", leave=True,
                            bar_format="{desc} {percentage:3.0f}%|{bar}| {n_fmt}B/{total_fmt}B "
                                       "[{elapsed}<{remaining}{postfix}]")
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _filter_stderr(self) -> None:
        """fd 2 (ours and every worker's, which inherit it) into a pipe; NOISE dropped."""
        self.stream.flush()
        saved = os.dup(2)
        read_end, write_end = os.pipe()
        os.dup2(write_end, 2)
        os.close(write_end)
        self._saved_fd = saved
        self._out = os.fdopen(os.dup(saved), "w", buffering=1, encoding="utf-8",
                              errors="replace")

        def pump():
            with os.fdopen(read_end, "r", encoding="utf-8", errors="replace") as pipe:
                for line in pipe:
                    if not NOISE.search(line):
                        self._write(line.rstrip("\n"))
        self._filter = threading.Thread(target=pump, daemon=True)
        self._filter.start()

    def _write(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=self._out)     # above the bar, which is redrawn
        else:
            print(line, file=self._out, flush=True)

    def _update(self, final: bool = False) -> None:
        done, articles = _read(self.directory)
        if final and self.total:
            done = self.total                 # the run succeeded: every byte was read
        seconds = time.monotonic() - self._started
        if self.bar is not None:
            self.bar.n = min(done, self.total)
            self.bar.set_postfix_str(f"{articles:,} articles, "
                                     f"{articles / max(seconds, 1e-9):,.0f} articles/s",
                                     refresh=False)
            self.bar.refresh()
        else:
            self._write(plain_line(done, self.total, articles, seconds))

    def _watch(self) -> None:
        every = 0.5 if self.tty else PLAIN_EVERY_S
        while not self._stop.wait(every):
            self._update()

    def __exit__(self, exc_type, *_):
        self._stop.set()
        self._thread.join()
        if exc_type is None:
            self._update(final=True)
        if self.bar is not None:
            self.bar.close()
        if self._filter is not None:
            sys.stderr.flush()
            os.dup2(self._saved_fd, 2)         # closes the pipe's last write end: pump ends
            os.close(self._saved_fd)
            self._filter.join(timeout=5)
            self._out.close()
        if self._env is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = self._env
        shutil.rmtree(self.directory, ignore_errors=True)
