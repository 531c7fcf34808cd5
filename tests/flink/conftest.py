"""A real Flink session cluster on 127.0.0.1, without Docker, for the `flink` tests.

Flink's jars come from PyPI's `apache-flink-libraries` source archive (lib/*.jar and
bin/bash-java-utils.jar); Beam's Flink job server from Maven Central. Both are cached in
~/.cache/newsevents (or $NEWSEVENTS_CACHE) and reused. A JobManager and a TaskManager run as
two `java` processes, the way Flink's own scripts start them; nothing runs in Flink's embedded
[local] mode.

Two setups, the first that can be had:
- "pinned": Beam BEAM_VERSION's job-server jar for Flink FLINK_VERSION on a FLINK_RELEASE
  cluster, through Beam's FlinkRunner. docker-compose.yml pins these same versions
  (tests/test_compose.py checks it). $NEWSEVENTS_FLINK_JOB_SERVER_JAR may name the jar.
- "fallback": Maven Central does not serve any beam-runners-flink-*-job-server jar (checked
  November 2026: none for 2.77.0, nor for older releases), but it does serve the plain runner
  module FALLBACK_RUNNER with all its dependencies. Its FlinkJobServerDriver runs from that
  classpath on a FALLBACK_FLINK_RELEASE cluster, and the pipeline goes to it through Beam's
  PortableRunner. The Python side (SDK, pipeline code, LOOPBACK workers) is still the pinned
  apache-beam; the Java runner and Flink are older. NEWSEVENTS_FLINK_FALLBACK=0 refuses it.

A cluster that cannot be had FAILS the tests, so that `make test-flink` never passes having
run nothing; NEWSEVENTS_SKIP_FLINK=1 (a machine without Java, say) turns that into a skip.

These tests run only when selected: `pytest -m flink tests/flink -s`.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

BEAM_VERSION = "2.77.0"       # = pyproject's apache-beam pin (tests/test_compose.py checks)
FLINK_VERSION = "1.20"        # Beam's --flink_version: 2.77.0 publishes 1.19 1.20 2.0 2.1 2.2
FLINK_RELEASE = "1.20.5"      # apache-flink-libraries on PyPI, and the flink:<X>-java17 image
TASK_SLOTS = 2

JOB_SERVER_ARTIFACT = f"org.apache.beam:beam-runners-flink-{FLINK_VERSION}-job-server:{BEAM_VERSION}"
JOB_SERVER_JAR_ENV = "NEWSEVENTS_FLINK_JOB_SERVER_JAR"

# The newest Beam Flink runner whose whole dependency tree Maven Central serves here.
FALLBACK_RUNNER = ("org.apache.beam", "beam-runners-flink-1.16", "2.56.0")
FALLBACK_FLINK_RELEASE = "1.16.3"
FALLBACK_ENV = "NEWSEVENTS_FLINK_FALLBACK"

# Java 17 closes these to the reflection that Flink (Kryo, Netty, Akka/Pekko) relies on.
JAVA_OPENS = [f"--add-opens=java.base/{p}=ALL-UNNAMED" for p in (
    "java.lang", "java.lang.reflect", "java.net", "java.io", "java.nio", "sun.nio.ch",
    "java.text", "java.time", "java.util", "java.util.concurrent",
    "java.util.concurrent.atomic", "java.util.concurrent.locks")] + [
    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED"]

LOG4J = """\
rootLogger.level = INFO
rootLogger.appenderRef.console.ref = ConsoleAppender
appender.console.name = ConsoleAppender
appender.console.type = CONSOLE
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-40c{1.} - %m%n
logger.akka.name = akka
logger.akka.level = WARN
logger.pekko.name = org.apache.pekko
logger.pekko.level = WARN
logger.netty.name = org.apache.flink.shaded.netty4
logger.netty.level = WARN
"""

SAFE = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "flink: needs Java and a real Flink cluster (run with -m flink)")


def pytest_collection_modifyitems(config, items):
    """A plain `pytest` skips them: they fetch ~450 MB once and start JVMs."""
    if "flink" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="Flink cluster test: select it with -m flink")
    for item in items:
        if item.get_closest_marker("flink"):
            item.add_marker(skip)


SKIP_ENV = "NEWSEVENTS_SKIP_FLINK"


def unavailable(why: str):
    """No cluster: a failure, or a skip where NEWSEVENTS_SKIP_FLINK=1 asks for one."""
    if os.environ.get(SKIP_ENV) == "1":
        pytest.skip(f"{why} ({SKIP_ENV}=1)")
    pytest.fail(f"{why}; set {SKIP_ENV}=1 to skip the Flink tests instead", pytrace=False)


def cache_dir() -> Path:
    d = Path(os.environ.get("NEWSEVENTS_CACHE", "~/.cache/newsevents")).expanduser()
    d.mkdir(parents=True, exist_ok=True)
    return d


def _log(message: str) -> None:
    print(f"[flink] {message}", file=sys.stderr, flush=True)


def _mvn(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    mvn = shutil.which("mvn")
    if not mvn:
        unavailable("no mvn on PATH to fetch Beam's Flink job server")
    return subprocess.run([mvn, "-B", "-q", "-U", "-Dstyle.color=never", *args],
                          capture_output=True, text=True, timeout=1200, cwd=cwd)


def flink_home(release: str) -> Path:
    """lib/ and bin/bash-java-utils.jar of a Flink release, fetched once from PyPI."""
    home = cache_dir() / f"flink-{release}"
    if (home / "lib" / f"flink-dist-{release}.jar").is_file() \
            and (home / "bin" / "bash-java-utils.jar").is_file():
        return home
    started = time.monotonic()
    with tempfile.TemporaryDirectory(dir=cache_dir()) as tmp:
        _log(f"downloading apache-flink-libraries=={release} from PyPI (~230 MB)")
        run = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
             "--disable-pip-version-check", "-d", tmp, f"apache-flink-libraries=={release}"],
            capture_output=True, text=True, timeout=1200)
        if run.returncode != 0:
            pytest.fail(f"pip download apache-flink-libraries=={release} failed:\n"
                        f"{run.stdout[-2000:]}\n{run.stderr[-3000:]}")
        (archive,) = Path(tmp).glob("apache[-_]flink[-_]libraries-*.tar.gz")
        staged = Path(tmp) / "home"
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                parts = Path(member.name).parts      # apache_flink_libraries-X/deps/lib/a.jar
                if len(parts) == 4 and parts[1] == "deps" and parts[2] in ("lib", "bin") \
                        and member.isfile() and parts[3].endswith(".jar"):
                    member.name = f"{parts[2]}/{parts[3]}"
                    tar.extract(member, staged, **SAFE)
        if home.exists():
            shutil.rmtree(home)
        staged.rename(home)
    _log(f"Flink {release} jars in {home} ({time.monotonic() - started:.0f} s)")
    return home


def pinned_job_server_jar() -> tuple[Path | None, str]:
    """Beam's Flink job-server jar ($NEWSEVENTS_FLINK_JOB_SERVER_JAR, cached, or Maven
    Central), or (None, why not)."""
    given = os.environ.get(JOB_SERVER_JAR_ENV)
    if given:
        if not Path(given).is_file():
            pytest.fail(f"{JOB_SERVER_JAR_ENV}={given}: no such file")
        return Path(given), ""
    jar = cache_dir() / f"beam-runners-flink-{FLINK_VERSION}-job-server-{BEAM_VERSION}.jar"
    if jar.is_file():
        return jar, ""
    _log(f"fetching {JOB_SERVER_ARTIFACT} with mvn dependency:copy")
    run = _mvn("dependency:copy", f"-Dartifact={JOB_SERVER_ARTIFACT}",
               f"-DoutputDirectory={cache_dir()}", cwd=cache_dir())
    if run.returncode == 0 and jar.is_file():
        return jar, ""
    found = re.search(r"Could not (find|transfer) artifact .*", run.stdout)
    return None, (found.group(0) if found else run.stdout.strip()[-300:])


def fallback_job_server_classpath() -> Path:
    """FALLBACK_RUNNER and its runtime dependencies, copied once from Maven Central."""
    group, artifact, version = FALLBACK_RUNNER
    home = cache_dir() / f"{artifact}-{version}-job-server"
    if (home / "COMPLETE").is_file():
        return home / "lib"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    (home / "pom.xml").write_text(f"""\
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>newsevents.tests</groupId><artifactId>flink-job-server</artifactId><version>0</version>
  <dependencies><dependency><groupId>{group}</groupId><artifactId>{artifact}</artifactId>
    <version>{version}</version></dependency></dependencies>
</project>
""", encoding="utf-8")
    _log(f"fetching {group}:{artifact}:{version} and its dependencies with mvn")
    run = _mvn("dependency:copy-dependencies", f"-DoutputDirectory={home / 'lib'}",
               "-DincludeScope=runtime", cwd=home)
    if run.returncode != 0:
        unavailable(f"mvn could not fetch {artifact}:{version}: {run.stdout[-500:]}")
    (home / "COMPLETE").touch()
    return home / "lib"


@dataclass
class FlinkSetup:
    mode: str                  # "pinned" or "fallback"
    flink_release: str
    beam_java: str             # the Beam version of the Java job server
    job_server: Path           # the pinned jar, or the fallback's classpath directory
    why: str = ""              # why the pinned setup could not be had

    def describe(self) -> str:
        text = (f"{self.mode}: Flink {self.flink_release}, Beam Java job server "
                f"{self.beam_java}, Beam Python {BEAM_VERSION}")
        return text + (f" (pinned job server unavailable: {self.why})" if self.why else "")


@pytest.fixture(scope="session")
def flink_setup() -> FlinkSetup:
    if not shutil.which("java"):
        unavailable("no java on PATH")
    jar, why = pinned_job_server_jar()
    if jar:
        return FlinkSetup("pinned", FLINK_RELEASE, BEAM_VERSION, jar)
    if os.environ.get(FALLBACK_ENV, "1") == "0":
        unavailable(f"no Beam Flink job server: {why}; set {JOB_SERVER_JAR_ENV} to one")
    _log(f"{JOB_SERVER_ARTIFACT} is not served ({why}): falling back to "
         f"{':'.join(FALLBACK_RUNNER)} on Flink {FALLBACK_FLINK_RELEASE}")
    return FlinkSetup("fallback", FALLBACK_FLINK_RELEASE, FALLBACK_RUNNER[2],
                      fallback_job_server_classpath(), why)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bash_java_utils(home: Path, conf: Path, command: str) -> tuple[list[str], list[str]]:
    """The JVM flags and the -D settings that Flink's scripts compute for a process."""
    cp = f"{home}/lib/*:{home}/bin/bash-java-utils.jar"
    out = subprocess.run(
        ["java", *JAVA_OPENS, "-cp", cp, "org.apache.flink.runtime.util.bash.BashJavaUtils",
         command, "--configDir", str(conf)],
        capture_output=True, text=True, timeout=120, check=True).stdout
    results = [line.split("BASH_JAVA_UTILS_EXEC_RESULT:", 1)[1].split()
               for line in out.splitlines() if line.startswith("BASH_JAVA_UTILS_EXEC_RESULT:")]
    if len(results) < 2:
        raise RuntimeError(f"BashJavaUtils {command} printed no result:\n{out}")
    return results[-2], results[-1]


def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


class FlinkCluster:
    """A JobManager and a TaskManager of one Flink release, bound to 127.0.0.1 on free ports."""

    def __init__(self, home: Path, release: str, workdir: Path):
        self.home, self.release, self.workdir = home, release, workdir
        self.conf = workdir / "conf"
        self.rest_port = free_port()
        self.procs: dict[str, subprocess.Popen] = {}

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.rest_port}"

    def write_conf(self) -> None:
        self.conf.mkdir(parents=True)
        (self.workdir / "tmp").mkdir()
        settings = {
            "jobmanager.rpc.address": "127.0.0.1",
            "jobmanager.rpc.port": free_port(),
            "jobmanager.bind-host": "127.0.0.1",
            "jobmanager.memory.process.size": "1024m",
            "jobmanager.execution.failover-strategy": "region",
            "taskmanager.host": "127.0.0.1",
            "taskmanager.bind-host": "127.0.0.1",
            "taskmanager.rpc.port": free_port(),
            "taskmanager.data.port": free_port(),
            "taskmanager.memory.process.size": "2560m",
            # Beam's batch translation shuffles between many operators at once: Flink's
            # default (10% of the process) ran out ("Insufficient number of network buffers")
            "taskmanager.memory.network.min": "384m",
            "taskmanager.memory.network.max": "384m",
            "taskmanager.numberOfTaskSlots": TASK_SLOTS,
            "parallelism.default": TASK_SLOTS,
            "rest.address": "127.0.0.1",
            "rest.bind-address": "127.0.0.1",
            "rest.port": self.rest_port,
            "blob.server.port": free_port(),
            "io.tmp.dirs": str(self.workdir / "tmp"),
            "web.tmpdir": str(self.workdir / "tmp"),
            "restart-strategy.type": "none",
        }
        # Flink 1.19 reads config.yaml (standard YAML); older releases flink-conf.yaml.
        # The values here are plain words, paths and numbers: valid in both.
        major, minor = map(int, self.release.split(".")[:2])
        name = "config.yaml" if (major, minor) >= (1, 19) else "flink-conf.yaml"
        (self.conf / name).write_text("".join(f"{k}: {v}\n" for k, v in settings.items()),
                                      encoding="utf-8")
        (self.conf / "log4j.properties").write_text(LOG4J, encoding="utf-8")

    def _start(self, name: str, main_class: str, utils_command: str) -> None:
        jvm, dynamic = _bash_java_utils(self.home, self.conf, utils_command)
        log = open(self.workdir / f"{name}.log", "wb")
        cmd = ["java", *jvm, *JAVA_OPENS,
               f"-Dlog4j.configurationFile=file:{self.conf / 'log4j.properties'}",
               "-cp", f"{self.home}/lib/*", main_class, "--configDir", str(self.conf),
               *dynamic]
        (self.workdir / f"{name}.cmd").write_text(" ".join(cmd), encoding="utf-8")
        self.procs[name] = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, cwd=self.workdir)
        log.close()

    def start(self, timeout: float = 120) -> dict:
        self.write_conf()
        self._start("jobmanager",
                    "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                    "GET_JM_RESOURCE_PARAMS")
        self._start("taskmanager", "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                    "GET_TM_RESOURCE_PARAMS")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"Flink {name} exited with {proc.returncode}")
            try:
                overview = self.overview()
                if overview.get("taskmanagers") == 1 and overview.get("slots-total") == TASK_SLOTS:
                    return overview
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"no TaskManager registered at {self.address} in {timeout:.0f} s")

    def overview(self) -> dict:
        return _get_json(f"http://{self.address}/overview")

    def jobs(self) -> list[dict]:
        return _get_json(f"http://{self.address}/jobs/overview")["jobs"]

    def logs(self) -> str:
        parts = []
        for path in sorted(self.workdir.glob("*.log")):
            text = path.read_text(encoding="utf-8", errors="replace")
            parts.append(f"----- {path}, last 6000 chars -----\n{text[-6000:]}")
        return "\n".join(parts)

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@pytest.fixture(scope="session")
def flink_cluster_handle(flink_setup, tmp_path_factory):
    """The running FlinkCluster (for tests that look at its jobs or its jars)."""
    home = flink_home(flink_setup.flink_release)
    cluster = FlinkCluster(home, flink_setup.flink_release, tmp_path_factory.mktemp("flink"))
    started = time.monotonic()
    try:
        overview = cluster.start()
    except Exception as e:
        cluster.stop()
        print(cluster.logs(), file=sys.stderr)
        pytest.fail(f"Flink {flink_setup.flink_release} cluster did not start: {e} "
                    f"(logs in {cluster.workdir})")
    _log(f"Flink {overview.get('flink-version')} cluster at {cluster.address}: "
         f"{overview['taskmanagers']} TaskManager, {overview['slots-total']} slots, "
         f"up in {time.monotonic() - started:.1f} s (logs in {cluster.workdir})")
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def flink_cluster(flink_cluster_handle) -> str:
    """REST address `127.0.0.1:<port>` of a running Flink session cluster."""
    return flink_cluster_handle.address


@pytest.fixture(scope="session")
def beam_flink_args(flink_setup, flink_cluster_handle) -> list[str]:
    """The Beam flags that send a pipeline to the cluster, its Python workers in-process."""
    if flink_setup.mode == "pinned":
        # Beam's FlinkRunner starts the job server from the jar itself.
        yield ["--runner=FlinkRunner", f"--flink_master={flink_cluster_handle.address}",
               f"--flink_version={FLINK_VERSION}",
               f"--flink_job_server_jar={flink_setup.job_server}",
               "--environment_type=LOOPBACK", f"--parallelism={TASK_SLOTS}"]
        return
    workdir = flink_cluster_handle.workdir
    port = free_port()
    log = open(workdir / "job-server.log", "wb")
    server = subprocess.Popen(
        ["java", *JAVA_OPENS, "-cp", f"{flink_setup.job_server}/*",
         "org.apache.beam.runners.flink.FlinkJobServerDriver",
         f"--flink-master={flink_cluster_handle.address}", "--job-host=127.0.0.1",
         f"--job-port={port}", "--artifact-port=0", "--expansion-port=0",
         f"--artifacts-dir={workdir / 'beam-artifacts'}"],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    log.close()
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                print(flink_cluster_handle.logs(), file=sys.stderr)
                pytest.fail(f"the Beam job server did not start (logs in {workdir})")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        _log(f"Beam {flink_setup.beam_java} Flink job server on 127.0.0.1:{port}")
        yield ["--runner=PortableRunner", f"--job_endpoint=127.0.0.1:{port}",
               "--environment_type=LOOPBACK", f"--parallelism={TASK_SLOTS}"]
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
