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
    places = [Place(100 + i, f"Town {w}", "".join(["S", "Y"]),
                    None if i == 1 else "0" + str(i % 2),
                    " ".join(["Aleppo", "Province"]), 36.0 + i, 37.0, "city", 1000 * i,
                    f"town {w}", 3.5) for i, w in enumerate(["one", "two", "three"])]
    names = {f"town {w}": [i] for i, w in enumerate(["one", "two", "three"])}
    names["".join(["to", "wn"])] = [0]         # a name that is the first word of others
    district = ("".join(["SY.01.", "02"]), "Jabal Saman")
    return gazetteer.Gazetteer(places, names, {"syrian": cc}, {cc: 0}, {}, {}, frozenset(),
                               "test", districts={101: district, 102: tuple(district)})


def test_shared_strings_change_no_value_and_are_stored_once():
    import pickle
    before = _small_gazetteer()
    after = gazetteer._share_strings(_small_gazetteer())
    for name in ("names", "first_words", "districts", "demonyms", "typed_names", "skeletons"):
        assert getattr(after, name) == getattr(before, name)
    assert list(after.places) == list(before.places)
    words = {w: w for w in after.first_words}
    assert words["town"] is next(k for k in after.names if k == "town")
    assert after.districts[101] is after.districts[102]
    assert len(pickle.dumps(after)) < len(pickle.dumps(before))


def test_places_are_built_at_their_first_read_with_the_same_values():
    import pickle
    built = _small_gazetteer().places
    places = [built[i] for i in range(len(built))]
    loaded = pickle.loads(pickle.dumps(gazetteer.Places(places)))
    assert len(loaded) == 3 and not loaded._made          # nothing built yet
    assert loaded[1] == places[1] and list(loaded._made) == [1]
    assert [type(v) for v in loaded[1]] == [type(v) for v in places[1]]   # int, float, None
    assert loaded[1].admin1_code is None and loaded[1].latitude == 37.0
    assert loaded[1] is loaded[1] and loaded[-2] is loaded[1]    # one object per place
    assert list(loaded) == places and loaded.index(places[2]) == 2
    for bad, error in ((3, IndexError), (-4, IndexError), ("1", TypeError), (slice(1), TypeError)):
        try:
            loaded[bad]
        except error:
            pass
        else:
            raise AssertionError(f"places[{bad!r}] did not raise {error.__name__}")


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
