"""`make test-flink` must not pass having run nothing: no cluster fails, unless asked to skip."""
import importlib.util
import sys
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location(
    "flink_conftest", Path(__file__).parent / "flink" / "conftest.py")
flink = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = flink          # its dataclasses look their module up
spec.loader.exec_module(flink)


def test_no_cluster_fails_by_default(monkeypatch):
    monkeypatch.delenv("NEWSEVENTS_SKIP_FLINK", raising=False)
    with pytest.raises(pytest.fail.Exception, match="NEWSEVENTS_SKIP_FLINK=1"):
        flink.unavailable("no java on PATH")


def test_no_cluster_skips_when_asked(monkeypatch):
    monkeypatch.setenv("NEWSEVENTS_SKIP_FLINK", "1")
    with pytest.raises(pytest.skip.Exception):
        flink.unavailable("no java on PATH")


def test_a_missing_java_is_reported_not_skipped(monkeypatch):
    monkeypatch.delenv("NEWSEVENTS_SKIP_FLINK", raising=False)
    monkeypatch.setattr(flink.shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match="no java"):
        flink.flink_setup.__wrapped__()
