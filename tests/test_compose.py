"""docker-compose.yml: no Docker engine runs here, so check its structure, its wiring and that its
versions are the ones the Flink test (tests/flink/conftest.py) runs."""
import importlib.util
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import apache_beam
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"


def _flink_pins():
    """The constants of tests/flink/conftest.py, loaded by path (it needs no Java to import)."""
    spec = importlib.util.spec_from_file_location("_newsevents_flink_pins",
                                                  ROOT / "tests" / "flink" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module          # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


PINS = _flink_pins()


@pytest.fixture(scope="module")
def services():
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]


def flags(args) -> dict:
    """--name=value flags of a command given as a list or a string."""
    words = shlex.split(args) if isinstance(args, str) else list(args)
    return dict(w[2:].split("=", 1) for w in words if w.startswith("--") and "=" in w)


def shell(service: dict) -> str:
    entrypoint = service["entrypoint"]
    assert entrypoint[:2] == ["sh", "-c"] and len(entrypoint) == 3, entrypoint
    return entrypoint[2]


def test_the_services_a_cluster_needs(services):
    assert set(services) == {"jobmanager", "taskmanager", "job-server", "worker-pool", "pipeline"}
    for name, service in services.items():
        assert service.get("image"), name
        for dep in service.get("depends_on", []):
            assert dep in services, f"{name} depends on unknown {dep}"
    assert services["jobmanager"]["command"] == "jobmanager"
    assert services["taskmanager"]["command"] == "taskmanager"


def test_versions_match_the_pins_and_the_flink_test(services):
    beam = apache_beam.__version__
    assert beam == PINS.BEAM_VERSION
    assert f'"apache-beam=={beam}"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert PINS.FLINK_RELEASE.startswith(PINS.FLINK_VERSION + ".")
    assert services["job-server"]["image"] == \
        f"apache/beam_flink{PINS.FLINK_VERSION}_job_server:{beam}"
    for name in ("jobmanager", "taskmanager"):
        assert services[name]["image"] == f"flink:{PINS.FLINK_RELEASE}-java17"
    # the submitting SDK and the workers' SDK are one image: same Beam, same Python
    assert services["worker-pool"]["image"] == services["pipeline"]["image"]
    assert re.fullmatch(rf"apache/beam_python3\.\d+_sdk:{re.escape(beam)}",
                        services["pipeline"]["image"])


def test_flink_is_wired_to_the_job_server(services):
    jm_props = yaml.safe_load(services["jobmanager"]["environment"]["FLINK_PROPERTIES"])
    tm_props = yaml.safe_load(services["taskmanager"]["environment"]["FLINK_PROPERTIES"])
    assert jm_props["jobmanager.rpc.address"] == tm_props["jobmanager.rpc.address"] == "jobmanager"
    assert tm_props["taskmanager.numberOfTaskSlots"] == PINS.TASK_SLOTS
    assert "jobmanager" in services["taskmanager"]["depends_on"]
    rest_port = services["jobmanager"]["ports"][0].split(":")[-1]
    job_server = flags(services["job-server"]["command"])
    assert job_server["flink-master"] == f"jobmanager:{rest_port}"
    # the job server stages artifacts where the TaskManager serves them to the workers
    artifacts = job_server["artifacts-dir"]
    shared = {v for v in services["job-server"]["volumes"] if v.endswith(":" + artifacts)}
    assert shared and shared <= set(services["taskmanager"]["volumes"])


def test_the_pipeline_is_submitted_to_the_job_server_and_workers(services):
    command = shell(services["pipeline"])
    assert "newsevents run " in command
    run = flags(command.split("newsevents run ", 1)[1])
    job_server = flags(services["job-server"]["command"])
    assert run["runner"] == "PortableRunner"
    assert run["job_endpoint"] == f"job-server:{job_server['job-port']}"
    assert run["artifact_endpoint"] == f"job-server:{job_server['artifact-port']}"
    assert int(run["parallelism"]) <= PINS.TASK_SLOTS
    assert run["environment_type"] == "EXTERNAL"
    # the TaskManager reaches the pool, and the workers reach the TaskManager, on localhost
    assert run["environment_config"] == "localhost:50000"
    worker_pool = services["worker-pool"]
    assert worker_pool["network_mode"] == "service:taskmanager"
    assert "ports" not in worker_pool
    assert shell(worker_pool).endswith("exec /opt/apache/beam/boot --worker_pool")
    assert "50000" in " ".join(worker_pool["healthcheck"]["test"])
    assert services["pipeline"]["depends_on"]["worker-pool"]["condition"] == "service_healthy"

    seed = re.search(r"--input (\S+)", command).group(1)
    assert seed.startswith("/src/") and (ROOT / seed.removeprefix("/src/")).is_file()
    assert re.search(r"--output /output\b", command)


def test_workers_and_pipeline_see_the_same_project_and_output(services):
    for name in ("worker-pool", "pipeline"):
        service = services[name]
        # workers read the input and write the Parquet; the pipeline stages and publishes it
        assert {"./:/src:ro", "./output:/output"} <= set(service["volumes"]), name
        command = shell(service)
        copied = re.search(r"cp -r (.+?) /tmp/newsevents/", command).group(1).split()
        for path in copied:
            assert (ROOT / path.removeprefix("/src/")).exists(), f"{name}: {path} not in repo"
        assert "pip install --quiet --no-cache-dir /tmp/newsevents" in command


def _compose_command():
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_docker_compose_accepts_the_file(tmp_path):
    """`config` parses and validates without an engine, where a compose client is installed."""
    compose = _compose_command()
    if compose is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    run = subprocess.run([*compose, "-f", str(COMPOSE), "config", "-q"],
                         capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
