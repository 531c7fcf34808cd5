"""The taxonomy's files: each parsed once per process, and the data every reader shares left
as the file has it."""
import json
import os
import subprocess
import sys

import yaml

from newsevents import taxonomy

# In a fresh process: how often each taxonomy file's text is parsed while the classifiers, the
# labels, the tokenizer's contractions, the geoparser's words and the gazetteer's version
# are read
PARSES = """
import collections, json, yaml
parsed = collections.Counter()
load = yaml.load
def counting(text, Loader):
    parsed[text.splitlines()[0]] += 1
    return load(text, Loader=Loader)
yaml.load = counting
from newsevents.text.classify import Classifier
from newsevents.text.gazetteer import gazetteer_version
import newsevents.text.geoparse
Classifier(), Classifier(), gazetteer_version()
print(json.dumps(parsed))
"""


def yaml_files():
    return sorted(taxonomy.FOLDER.glob("**/*.yaml"))


def test_each_file_is_parsed_once_per_process(tmp_path):
    # an empty cache: else the parsed files come from it (taxonomy._parsed_or_cached)
    out = subprocess.run([sys.executable, "-c", PARSES], check=True, capture_output=True,
                         text=True, env={**os.environ, "NEWSEVENTS_CACHE": str(tmp_path)}
                         ).stdout
    parsed = json.loads(out)
    first_lines = {p.read_text(encoding="utf-8").splitlines()[0] for p in yaml_files()}
    assert parsed and set(parsed) <= first_lines
    assert set(parsed.values()) == {1}, parsed


def test_the_readers_leave_the_shared_data_as_the_files_have_it():
    from newsevents.text.classify import Classifier
    from newsevents.text.gazetteer import gazetteer_version
    from newsevents.text.geoparse import Geoparser
    Classifier(), Geoparser(), gazetteer_version()
    for path in yaml_files():
        assert taxonomy.read_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8")), path


def test_a_file_changed_on_disk_is_read_again(tmp_path):
    path = tmp_path / "events.yaml"
    path.write_text("version: '1'\n", encoding="utf-8")
    assert taxonomy.read_yaml(path) == {"version": "1"}
    path.write_text("version: '2'\n", encoding="utf-8")
    assert taxonomy.read_yaml(path) == {"version": "2"}


# --- the layout: the labels in the main file, each language's words and rules in its own ------

def test_the_main_file_holds_the_version_and_the_labels_each_language_the_rest():
    assert set(taxonomy.read_yaml(taxonomy.EVENTS_YAML)) == {"version", "labels"}
    languages = taxonomy.language_files()
    assert {"en", "es"} <= set(languages)
    for language, files in languages.items():
        data = taxonomy.read_yaml(files["events"])
        assert data["language"] == language and "version" not in data
        assert {"words", "lexicons", "rules"} <= set(data)


def test_rules_in_the_main_file_are_a_clear_error(tmp_path):
    import pytest
    path = tmp_path / "events.yaml"
    path.write_text(taxonomy.EVENTS_YAML.read_text(encoding="utf-8")
                    + "rules: {violence: []}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="language's file"):
        taxonomy.label_specs(path)


def test_a_language_files_label_conditions_name_a_label_of_the_main_file(tmp_path):
    import pytest

    from newsevents.text.classify import Taxonomy
    english = taxonomy.language_files("en")["events"].read_text(encoding="utf-8")
    path = tmp_path / "events.yaml"
    path.write_text(english.replace("\n  defection:\n", "\n  defections:\n", 1), encoding="utf-8")
    with pytest.raises(ValueError, match="unknown label 'defections'"):
        Taxonomy(path)
