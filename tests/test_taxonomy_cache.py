"""Every worker reads the taxonomy files at its start: their parsed data is kept in
marshal's form keyed by the text, and what the cache gives back is what YAML gives."""
import yaml

import newsevents.taxonomy as taxonomy


def test_a_cached_parse_gives_the_same_data_as_yaml(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSEVENTS_CACHE", str(tmp_path))
    files = sorted(taxonomy.FOLDER.rglob("*.yaml"))
    assert len(files) >= 3
    for path in files:
        text = path.read_text(encoding="utf-8")
        parsed = taxonomy._parsed_or_cached(text)     # parsed, then written
        assert parsed == yaml.load(text, Loader=taxonomy._LOADER)
    assert len(list((tmp_path / "newsevents" / "yaml").glob("*.marshal"))) == len(files)

    def no_parse(*args, **kwargs):
        raise AssertionError("parsed again")
    monkeypatch.setattr(yaml, "load", no_parse)
    for path in files:
        text = path.read_text(encoding="utf-8")
        cached = taxonomy._parsed_or_cached(text)     # from the cache
        monkeypatch.undo()
        assert cached == yaml.load(text, Loader=taxonomy._LOADER)
        assert list(cached) == list(yaml.load(text, Loader=taxonomy._LOADER))   # key order
        monkeypatch.setenv("NEWSEVENTS_CACHE", str(tmp_path))
        monkeypatch.setattr(yaml, "load", no_parse)


def test_a_changed_text_is_parsed_again_and_a_broken_cache_file_too(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSEVENTS_CACHE", str(tmp_path))
    assert taxonomy._parsed_or_cached("a: 1\nb: [x, yes]\n") == {"a": 1, "b": ["x", True]}
    assert taxonomy._parsed_or_cached("a: 2\n") == {"a": 2}
    for f in (tmp_path / "newsevents" / "yaml").glob("*.marshal"):
        f.write_bytes(b"\x00broken")
    assert taxonomy._parsed_or_cached("a: 2\n") == {"a": 2}


def test_data_marshal_cannot_hold_is_parsed_each_time(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSEVENTS_CACHE", str(tmp_path))
    text = "when: 2026-12-07\n"        # a YAML timestamp: a date
    assert taxonomy._parsed_or_cached(text) == yaml.load(text, Loader=taxonomy._LOADER)
    assert not list((tmp_path / "newsevents" / "yaml").glob("*.marshal"))
