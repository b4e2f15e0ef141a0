# Two commands on a fresh machine with Python 3.11: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB ?= sqlite:///demo.db
SERVE ?= 1
SHARED ?= ../shared

.PHONY: install demo test lint bench bench-api bench-stories eval eval-times train-attributions train-events train-event-vetting train-accurate clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres,parquet,dask]'
	touch $(STAMP)

## demo: ingest the bundled sample articles into an embedded SQLite database, print what it holds, then serve
## the web UI on http://127.0.0.1:8000/ until Ctrl-C (SERVE=0: stop after the summary)
demo: install
	$(BIN)/eventwire ingest src/eventwire/samples --db $(DEMO_DB)
	$(BIN)/eventwire summary --db $(DEMO_DB)
	@if [ "$(SERVE)" != 0 ]; then $(BIN)/eventwire serve --db $(DEMO_DB); fi

## test: the default suite (what CI runs), then ruff and mypy
test: install
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy

lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy

## bench: throughput of eventwire extract against bare spaCy (a script; prints numbers, asserts nothing);
##   PROFILES=fast,accurate measures each profile against the same bare run
PROFILES ?=
bench: install
	$(BIN)/python bench/throughput.py $(if $(PROFILES),--profiles $(PROFILES))

## bench-dask: ingest throughput, local runner vs --scheduler local (same workers), RSS per worker over the run
.PHONY: bench-dask
bench-dask: install
	$(BIN)/python bench/dask_throughput.py

## bench-api: API latency over 1,000,000 synthetic events in SQLite, then a concurrent load (3,000 requests,
##   concurrency 20, 12 endpoints incl. the overview) on `eventwire serve --workers 2` (scripts; print numbers,
##   assert nothing)
bench-api: install
	$(BIN)/python bench/api_latency.py
	$(BIN)/python bench/api_load.py

## bench-stories: online story assignment (copies, stories, flags) with 10,000 and 100,000 synthetic articles
##   stored in SQLite: articles/s, CPU ms per article, memory (a script; prints numbers, asserts nothing);
##   then what the stories layer costs a whole ingest (the same corpus ingested with and without it)
bench-stories: install
	$(BIN)/python bench/stories.py
	$(BIN)/python bench/ingest_stories.py

## eval: every shared dev set we have a floor for (tests/eval/floors.json), printed as a table
eval: install
	$(BIN)/python scripts/evaluate.py $(SHARED)/eval

## eval-times: value F1 of time expressions on ../shared/eval/data/times (needs the shared eval data)
eval-times: install
	$(BIN)/python scripts/eval_times.py $(SHARED)/eval

## train-attributions: retrain the attribution role tagger, then the content-span ranker, on ../shared PolNeAR
##   (train compartment, CPU, ~15 + ~12 min)
train-attributions: install
	nice -n 10 $(BIN)/python scripts/train_attributions.py $(SHARED)/eval
	nice -n 10 $(BIN)/python scripts/train_attribution_spans.py $(SHARED)/eval

## train-events: retrain the event-type classifier on ../shared/training + PLV (1 CPU core, a few minutes)
train-events: install
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 nice -n 10 $(BIN)/python scripts/train_events.py $(SHARED)

## train-event-vetting: retrain the speech-act model and then the event-vetting model on events-news' tuning
##   part and our annotations in training/events/ (each runs `eventwire extract` once over 231 articles, ~2
##   minutes on 2 cores, then seconds)
train-event-vetting: install
	nice -n 10 $(BIN)/python scripts/train_event_speech.py $(SHARED) $(addprefix --extra ,$(wildcard training/events/*.jsonl))
	nice -n 10 $(BIN)/python scripts/train_event_vetting.py $(SHARED) $(addprefix --extra ,$(wildcard training/events/*.jsonl))

## train-accurate: fine-tune the accurate profile's encoder + role head on ../shared PolNeAR (train compartment)
##   in its own venv (TRAIN_VENV, with torch: never the runtime's), export int8 ONNX into src/eventwire/nlp/encoder/
##   (2 epochs, ~40 min on 2 free cores, several times that on busy ones; EPOCHS=1 for a quicker, weaker model)
TRAIN_VENV ?= .venv-train
EPOCHS ?= 2
train-accurate:
	test -x $(TRAIN_VENV)/bin/python || $(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/python -m pip install --quiet -e '.[train]'
	nice -n 10 $(TRAIN_VENV)/bin/python scripts/train_accurate.py $(SHARED) --epochs $(EPOCHS)

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm .pytest_cache .mypy_cache .ruff_cache
