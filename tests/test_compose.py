"""docker-compose.yml: no Docker engine runs here, so check its structure and its versions."""
import re
from pathlib import Path

import apache_beam
import yaml

ROOT = Path(__file__).resolve().parents[1]
FLINK = "1.19"


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_the_services_a_cluster_needs():
    services = compose()["services"]
    assert set(services) == {"jobmanager", "taskmanager", "job-server", "worker-pool", "pipeline"}
    for name, service in services.items():
        assert service.get("image"), name
        for dep in service.get("depends_on", []):
            assert dep in services, f"{name} depends on unknown {dep}"


def test_versions_match_the_pins():
    services = compose()["services"]
    beam = apache_beam.__version__
    assert services["job-server"]["image"] == f"apache/beam_flink{FLINK}_job_server:{beam}"
    for name in ("worker-pool", "pipeline"):
        assert services[name]["image"] == f"apache/beam_python3.11_sdk:{beam}"
    for name in ("jobmanager", "taskmanager"):
        assert re.fullmatch(rf"flink:{re.escape(FLINK)}\.\d+-java17", services[name]["image"])
    pins = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"apache-beam=={beam}"' in pins


def test_the_pipeline_is_submitted_to_the_job_server_and_workers():
    services = compose()["services"]
    command = " ".join(services["pipeline"]["entrypoint"])
    assert "newsevents run" in command and "--output /output" in command
    assert "--runner=PortableRunner" in command
    assert "--job_endpoint=job-server:8099" in command
    assert "--environment_type=EXTERNAL" in command
    assert "--environment_config=worker-pool:50000" in command
    assert "--worker_pool" in " ".join(services["worker-pool"]["entrypoint"])
    assert "--flink-master=jobmanager:8081" in services["job-server"]["command"]
    seed = re.search(r"--input (\S+)", command).group(1)
    assert (ROOT / seed.removeprefix("/src/")).is_file()
    # the SDK workers write the Parquet files: they must see the pipeline's output directory
    assert "./output:/output" in services["worker-pool"]["volumes"]
    assert "./output:/output" in services["pipeline"]["volumes"]
