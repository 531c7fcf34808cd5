"""A daily Apache Airflow DAG for newsevents, with the Apache Beam provider.

Each run processes the articles published on its logical date and replaces exactly that
day's partitions, so a backfill or a retry of a day touches nothing else.
Needs: apache-airflow, apache-airflow-providers-apache-beam, and newsevents installed on the
workers. Set NEWSEVENTS_INPUT to a dated glob and NEWSEVENTS_OUTPUT to the output directory.
"""
import os
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.beam.operators.beam import BeamRunPythonPipelineOperator

INPUT = os.environ.get("NEWSEVENTS_INPUT", "/data/news/{{ ds }}/*.jsonl.gz")
OUTPUT = os.environ.get("NEWSEVENTS_OUTPUT", "/data/newsevents")

with DAG(
    dag_id="newsevents_daily",
    start_date=datetime(2019, 2, 1),
    schedule="@daily",
    catchup=True,
    max_active_runs=1,  # one writer per output directory
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
) as dag:
    BeamRunPythonPipelineOperator(
        task_id="newsevents_run",
        runner="DirectRunner",
        py_options=["-m"],  # python3 -m newsevents.pipeline --input=... --output=... --date=...
        py_file="newsevents.pipeline",
        pipeline_options={
            "input": INPUT,
            "output": OUTPUT,
            "date": "{{ ds }}",
            "direct_running_mode": "multi_processing",
            "direct_num_workers": 2,
        },
        py_interpreter="python3",
    )
