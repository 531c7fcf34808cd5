"""The scheduling examples stay valid without installing Airflow."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_airflow_dag_parses_and_runs_the_pipeline_module_per_day():
    tree = ast.parse((ROOT / "examples" / "airflow_dag.py").read_text())
    calls = {n.func.id: n for n in ast.walk(tree)
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    op = calls["BeamRunPythonPipelineOperator"]
    kw = {k.arg: k.value for k in op.keywords}
    assert ast.literal_eval(kw["py_file"]) == "newsevents.pipeline"
    assert ast.literal_eval(kw["py_options"]) == ["-m"]
    options = {ast.literal_eval(k): v for k, v in zip(kw["pipeline_options"].keys,
                                                      kw["pipeline_options"].values)}
    assert ast.literal_eval(options["date"]) == "{{ ds }}"
    assert {"input", "output"} <= set(options)
    __import__("newsevents.pipeline")  # the module the operator runs exists


def test_pipeline_module_is_runnable_with_operator_style_flags(tmp_path):
    import subprocess
    import sys
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "newsevents.pipeline",
         f"--input={ROOT / 'seeds' / '000_28aa3b8bf562bb45.jsonl'}", f"--output={out}",
         "--date=2019-02-23"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert (out / "events" / "date=2019-02-23").is_dir()
