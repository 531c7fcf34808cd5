"""The gazetteer's cache keeps a few versions: two installs side by side do not rebuild
each other's at every start, and old versions do not pile up."""
import os
from types import SimpleNamespace

from newsevents.text import gazetteer


def test_the_cache_keeps_the_newest_versions_and_the_one_in_use(tmp_path, monkeypatch):
    monkeypatch.setattr(gazetteer, "_cache_dir", lambda: tmp_path)
    version = gazetteer.gazetteer_version()
    built = []
    monkeypatch.setattr(gazetteer, "build", lambda places, v: built.append(v) or
                        SimpleNamespace(version=v))
    old = [tmp_path / f"gazetteer-{i:016x}.pickle" for i in range(5)]
    for age, f in enumerate(old):
        f.write_bytes(b"stale")
        os.utime(f, (1_000_000 - age, 1_000_000 - age))   # old[0] the newest of them
    assert gazetteer._cached_or_built().version == version and built == [version]
    kept = sorted(tmp_path.glob("gazetteer-*.pickle"))
    assert len(kept) == gazetteer.CACHED_VERSIONS
    assert old[0] in kept and old[1] in kept and old[4] not in kept
    assert gazetteer._cached_or_built().version == version and len(built) == 1   # from cache
