"""Stopping `make run` stops its worker: run_platform is started as a real process with its real Celery worker,
then stopped as a person or a process manager would (README, "Getting started")."""

import os
import re
import signal
import subprocess
import sys
import time
import uuid

import psutil
import pytest

from tests.live import ROOT, free_port, process_env

# One pytest-xdist process runs these (make test's --dist loadgroup): every run_platform keeps its beat schedule in
# the same file, .run/celerybeat-schedule, which one beat process at a time can hold.
pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("run_platform")]


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _wait(condition, seconds: float, what: str, log) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Timed out after {seconds} s waiting for {what}. Output:\n{log.read_text()}")


@pytest.fixture
def platform(django_db_setup, django_db_blocker, tmp_path):
    """run_platform on a free port with the test database, its worker on a queue of its own; yields the process,
    the worker's pid and the pids of the worker's children (its beat process), once the worker runs."""
    log = tmp_path / "run_platform.log"
    with django_db_blocker.unblock():
        env = process_env(MAEX_CELERY_QUEUE=f"test-run-platform-{uuid.uuid4().hex[:8]}", PYTHONUNBUFFERED="1")
    port = free_port()
    # A terminal's foreground job starts with SIGINT's default action. A test run started in the background (`&` in a
    # script) ignores SIGINT, and an ignored signal stays ignored in the processes it starts: run_platform would never
    # see the Ctrl-C. A handled signal is reset to its default in the new process, so one is set while it starts.
    ignored = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with log.open("w") as out:
            proc = subprocess.Popen(
                [sys.executable, "manage.py", "run_platform", "--port", str(port)],
                cwd=ROOT,
                env={**env, "MAEX_LINK_PORT": str(port)},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a process group, as a terminal gives `make run`
            )
    finally:
        signal.signal(signal.SIGINT, ignored)
    started = []
    try:
        _wait(lambda: re.search(r"Celery worker \(with beat\): pid (\d+)", log.read_text()), 60, "the worker", log)
        worker = int(re.search(r"Celery worker \(with beat\): pid (\d+)", log.read_text()).group(1))
        started.append(worker)
        # Running: the worker has started its beat process (one of its last steps of starting)
        _wait(lambda: psutil.Process(worker).children(), 60, "the worker's beat process", log)
        children = [c.pid for c in psutil.Process(worker).children(recursive=True)]
        started.extend(children)
        yield proc, worker, children, log
    finally:
        for pid in started:  # never leave a process behind, whatever the test saw
            if not _gone(pid):
                os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.mark.parametrize(
    "stop",
    [
        pytest.param(lambda proc: proc.send_signal(signal.SIGTERM), id="SIGTERM"),
        pytest.param(lambda proc: os.killpg(proc.pid, signal.SIGINT), id="Ctrl-C"),  # a terminal signals the group
    ],
)
def test_stopping_run_platform_stops_its_worker(platform, stop):
    proc, worker, children, log = platform

    # When run_platform is stopped
    stop(proc)

    # Then it ends, and its worker and the worker's beat process are gone with it
    try:
        proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        disposition = signal.getsignal(signal.SIGINT)  # SIG_IGN here is inherited by run_platform
        pytest.fail(
            f"run_platform still runs 40 s after it was stopped (SIGINT in the test process: {disposition}). "
            f"Output:\n{log.read_text()}"
        )
    assert _gone(worker), log.read_text()
    assert all(_gone(pid) for pid in children), log.read_text()
    assert "Stopped the web server and the Celery worker." in log.read_text()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's parent-death signal is Linux only")
def test_a_killed_run_platform_leaves_no_worker_behind(platform):
    proc, worker, children, log = platform

    # When run_platform is killed outright, with no chance to clean up
    proc.kill()
    proc.wait(timeout=10)

    # Then the worker is told to stop all the same, and goes with its beat process
    _wait(lambda: _gone(worker) and all(_gone(pid) for pid in children), 40, "the worker to stop", log)
