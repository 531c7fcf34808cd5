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


def _small_gazetteer():
    from newsevents.text.place import Place
    # strings built at run time, as the build's are: equal values, distinct objects
    cc = "".join(["S", "Y"])
    places = [Place(100 + i, f"Town {w}", "".join(["S", "Y"]), "0" + str(i % 2),
                    " ".join(["Aleppo", "Province"]), 36.0 + i, 37.0, "city", 1000 * i,
                    f"town {w}", 3.5) for i, w in enumerate(["one", "two", "three"])]
    names = {f"town {w}": [i] for i, w in enumerate(["one", "two", "three"])}
    district = ("".join(["SY.01.", "02"]), "Jabal Saman")
    return gazetteer.Gazetteer(places, names, {"syrian": cc}, {cc: 0}, {}, {}, frozenset(),
                               "test", districts={101: district, 102: tuple(district)})


def test_shared_strings_change_no_value_and_are_stored_once():
    import pickle
    before = _small_gazetteer()
    after = gazetteer._share_strings(_small_gazetteer())
    assert {k: v for k, v in vars(after).items()} == vars(before)
    assert all(p.country_code is after.places[0].country_code for p in after.places)
    assert all(p.admin1_name is after.places[0].admin1_name for p in after.places)
    keys = {k: k for k in after.names}
    assert all(p.key is keys[p.key] for p in after.places)     # the index's own key
    assert after.districts[101] is after.districts[102]
    assert len(pickle.dumps(after)) < len(pickle.dumps(before))


def test_a_loaded_gazetteer_is_frozen_before_the_collector_is_back():
    import gc
    import io
    import pickle
    blob = io.BytesIO(pickle.dumps(_small_gazetteer()))
    frozen = gc.get_freeze_count()
    try:
        loaded = gazetteer._load_without_gc(blob)
        assert gc.isenabled()
        assert gc.get_freeze_count() > frozen
        # out of the collections' walks: the collector lists it in none of its generations
        assert not any(o is loaded.places for o in gc.get_objects())
    finally:
        gc.unfreeze()
