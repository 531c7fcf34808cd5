# Two commands on a fresh machine: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
EVAL   ?= ../shared/eval

.PHONY: run test test-flink bench evaluate docs clean

# The modules setup.py compiles with mypyc (C, about twice as fast): an edit rebuilds them
COMPILED := $(shell grep -o 'pipelines/[a-z_/]*\.py' setup.py)

$(VENV)/.installed: pyproject.toml setup.py $(COMPILED)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

run: $(VENV)/.installed
	$(VENV)/bin/newsevents run --input 'seeds/*.jsonl' --output output

test: $(VENV)/.installed
	$(PY) -m pytest -q

# A real local Flink cluster (JobManager + TaskManager started with java), the pipeline
# submitted to it, its Parquet compared with the DirectRunner's. Fetches ~360 MB once.
test-flink: $(VENV)/.installed
	$(PY) -m pytest -q -m flink tests/flink

bench: $(VENV)/.installed
	$(VENV)/bin/newsevents bench

# The project's own development set first (tests/data/README.md), then public gold; the
# rates are labelled sentences per 1,000 in text that should stay quiet. GED headlines are all
# violence: their recall, overall and per detected language. Wikinews and FLORES per category,
# and outside the categories that hold real events ("outside"), which should stay quiet.
WIKINEWS_EVENTS := Crime and law,Disasters and accidents,Politics and conflicts
evaluate: $(VENV)/.installed
	$(VENV)/bin/newsevents evaluate --gold tests/data/events_dev.jsonl
	$(VENV)/bin/newsevents evaluate-rate --gold tests/data/events_dev.jsonl --filter section=business,sport,technology,entertainment
	$(VENV)/bin/newsevents evaluate-rate --synth 10000
	$(VENV)/bin/newsevents evaluate-rate --synth 10000 --language es
	$(VENV)/bin/newsevents evaluate-rate --gold $(EVAL)/geoparse_gold.jsonl --filter corpus=GeoVirus
	$(VENV)/bin/newsevents evaluate --gold $(EVAL)/cameo_validation.jsonl --filter lang=en --filter labels_reliable=true
	$(VENV)/bin/newsevents evaluate --gold $(EVAL)/cameo_validation.jsonl --filter lang=es
	$(VENV)/bin/newsevents evaluate --gold $(EVAL)/plover_gsr.jsonl
	$(VENV)/bin/newsevents evaluate --gold $(EVAL)/ged_headlines.jsonl
	$(VENV)/bin/newsevents evaluate-rate --gold $(EVAL)/wikinews_en.jsonl --by categories --min-records 10 --outside "$(WIKINEWS_EVENTS)"
	$(VENV)/bin/newsevents evaluate-rate --gold $(EVAL)/flores_sib200_es.jsonl --by categories --outside politics
	$(VENV)/bin/newsevents evaluate-geo --gold $(EVAL)/geoparse_gold.jsonl --filter corpus=GeoVirus
	$(VENV)/bin/newsevents evaluate-geo --gold $(EVAL)/geoparse_gold.jsonl --filter corpus=GeoWebNews --toponym-filter gwn_type=Literal,Literal_Modifier,Mixed,Embedded_Literal
	$(VENV)/bin/newsevents evaluate-location --gold tests/data/event_locations_dev.jsonl
	$(VENV)/bin/newsevents evaluate-location --gold tests/data/event_locations_es_dev.jsonl
	$(VENV)/bin/newsevents evaluate --gold tests/data/events_es_dev.jsonl
	$(VENV)/bin/newsevents evaluate --gold tests/data/casualties_dev.jsonl
	$(VENV)/bin/newsevents evaluate --gold tests/data/actors_dev.jsonl
	$(VENV)/bin/newsevents evaluate-location --gold $(EVAL)/ged_headlines.jsonl --labelled --distance-filter where_prec=1,2 --show 0
	$(VENV)/bin/newsevents evaluate-incidents --gold tests/data/incidents_dev.jsonl
	$(VENV)/bin/newsevents evaluate-incidents --gold $(EVAL)/ged_headlines.jsonl --incident-from-id --show 0

# The docs' parts written from the code (codebook columns, event definitions, the geoparser's
# rule lists, the README's look at the seed's output); tests/test_docs.py checks them
docs: $(VENV)/.installed
	$(PY) tests/docgen.py

clean:
	rm -rf $(VENV) output *.egg-info
