"""The real service as a subprocess: ``zwfw-credit serve`` on a free loopback port.

For tests that need what only a process shows: what it writes to stderr, what survives a
``SIGKILL``, what a second process sees. The database is prepared beforehand by the tests'
``migrated_database``/``prepare_database`` helpers, so the process starts with ``--no-migrate``.

    with running_server(url, tmp_path, env={"ZWFW_LOG_LEVEL": "DEBUG"}) as server:
        httpx.get(server.base_url + "/readyz")
        server.kill()                      # SIGKILL, no clean-up in the process
    assert "..." not in server.stderr_text()

Every wait is bounded: start-up by ``ready_timeout``, a stop by ``stop_timeout`` (then
``SIGKILL``). With ``clock_file`` the process reads "now" from that file (tests/clocked_cli.py):
``set_clock(path, when)`` before the start and whenever the test moves the day.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO

import httpx

from tests.conftest import TEST_DATA_KEY, TEST_INDEX_KEY, TEST_SECRET

REPO_ROOT = Path(__file__).resolve().parent.parent
_POLL_SECONDS = 0.1


class ServerFailed(RuntimeError):
    """The process exited or did not become ready in time; the message carries its stderr."""


def command(clock_file: Path | None = None) -> list[str]:
    """``<venv>/bin/zwfw-credit`` beside the running interpreter, else ``python -m app.ops.cli``;
    with ``clock_file``, the same command line with its clock read from that file."""
    if clock_file is not None:
        return [sys.executable, "-m", "tests.clocked_cli", str(clock_file)]
    script = Path(sys.executable).with_name("zwfw-credit")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "app.ops.cli"]


def set_clock(path: Path, when: datetime) -> None:
    """Move the clock of every process started with ``clock_file=path`` to ``when``."""
    if when.tzinfo is None:
        raise ValueError("the clock needs a timezone-aware instant")
    partial = path.with_name(path.name + ".partial")
    partial.write_text(when.isoformat(), encoding="utf-8")
    partial.replace(path)  # atomic: a reader sees the old instant or the new one


def free_port() -> int:
    """A loopback port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_environment(database_url: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The parent's environment without its ``ZWFW_*`` settings, plus the test keys,
    secret and profile of ``tests/conftest.py``, the database and ``extra``. This tree comes
    first on the import path: the ``zwfw-credit`` script of a shared virtualenv would
    otherwise import the checkout it was installed from."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("ZWFW_")}
    env.update(
        {
            "ZWFW_DATABASE_URL": database_url,
            "ZWFW_JWT_SECRET": TEST_SECRET,
            "ZWFW_DATA_KEY": TEST_DATA_KEY,
            "ZWFW_BLIND_INDEX_KEY": TEST_INDEX_KEY,
            "ZWFW_RATE_LIMIT": "100000/minute",
            "ZWFW_PROFILE": "shandong-combined",  # chosen explicitly, as in tests/conftest.py
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
        }
    )
    env.update(extra or {})
    return env


class ServerProcess:
    """One running ``zwfw-credit serve``; stderr and stdout go to files in ``directory``."""

    def __init__(
        self,
        database_url: str,
        directory: Path,
        *,
        env: Mapping[str, str] | None = None,
        args: Sequence[str] = (),
        worker: bool = False,
        clock_file: Path | None = None,
        name: str = "server",
    ) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        directory.mkdir(parents=True, exist_ok=True)
        self.stderr_path = directory / f"{name}-{self.port}.stderr"
        self.stdout_path = directory / f"{name}-{self.port}.stdout"
        argv = [
            *command(clock_file),
            "serve",
            "--no-migrate",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            *(["--worker"] if worker else []),
            *args,
        ]
        self._stderr: IO[bytes] = self.stderr_path.open("wb")
        self._stdout: IO[bytes] = self.stdout_path.open("wb")
        self.process: subprocess.Popen[bytes] = subprocess.Popen(  # noqa: S603
            argv,
            cwd=REPO_ROOT,
            env=server_environment(database_url, env),
            stdin=subprocess.DEVNULL,
            stdout=self._stdout,
            stderr=self._stderr,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def running(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Poll ``/readyz`` until it answers 200; ServerFailed if the process exits first or
        ``timeout`` seconds pass."""
        deadline = time.monotonic() + timeout
        last = "no answer yet"
        with httpx.Client(base_url=self.base_url, timeout=2.0) as client:
            while time.monotonic() < deadline:
                if not self.running():
                    raise ServerFailed(
                        f"server exited with {self.process.returncode} before it was ready:\n"
                        + self.stderr_text()
                    )
                try:
                    response = client.get("/readyz")
                except httpx.TransportError as exc:
                    last = repr(exc)
                else:
                    if response.status_code == 200:
                        return
                    last = f"{response.status_code} {response.text}"
                time.sleep(min(_POLL_SECONDS, max(0.0, deadline - time.monotonic())))
        raise ServerFailed(
            f"server not ready after {timeout} s (last: {last}):\n" + self.stderr_text()
        )

    def stop(self, timeout: float = 10.0) -> int:
        """``SIGTERM`` and wait up to ``timeout`` seconds for a clean exit, then ``SIGKILL``.
        Returns the exit code (negative: the signal that ended it)."""
        if self.running():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        return self._finish()

    def kill(self, timeout: float = 10.0) -> int:
        """``SIGKILL``: the process ends at once, nothing of it runs any more."""
        if self.running():
            self.process.kill()
        self.process.wait(timeout=timeout)
        return self._finish()

    def _finish(self) -> int:
        code = self.process.wait(timeout=10)
        for stream in (self._stderr, self._stdout):
            if not stream.closed:
                stream.close()
        return code

    def stderr_text(self) -> str:
        """Everything the process has written to stderr so far."""
        if not self._stderr.closed:
            self._stderr.flush()
        return self.stderr_path.read_bytes().decode("utf-8", errors="replace")

    def stdout_text(self) -> str:
        if not self._stdout.closed:
            self._stdout.flush()
        return self.stdout_path.read_bytes().decode("utf-8", errors="replace")


@contextmanager
def running_server(
    database_url: str,
    directory: Path,
    *,
    env: Mapping[str, str] | None = None,
    args: Sequence[str] = (),
    worker: bool = False,
    clock_file: Path | None = None,
    ready_timeout: float = 30.0,
    stop_timeout: float = 10.0,
    name: str = "server",
) -> Iterator[ServerProcess]:
    """A ready server on a prepared database; stopped (or already killed) on exit."""
    server = ServerProcess(
        database_url,
        directory,
        env=env,
        args=args,
        worker=worker,
        clock_file=clock_file,
        name=name,
    )
    try:
        server.wait_ready(ready_timeout)
        yield server
    finally:
        server.stop(stop_timeout)


def run_worker_once(
    database_url: str,
    *,
    env: Mapping[str, str] | None = None,
    clock_file: Path | None = None,
    timeout: float = 60.0,
) -> subprocess.CompletedProcess[str]:
    """``zwfw-credit worker --once`` on ``database_url``: works until idle, then exits.
    Raises ``subprocess.TimeoutExpired`` after ``timeout`` seconds."""
    return subprocess.run(  # noqa: S603
        [*command(clock_file), "worker", "--once"],
        cwd=REPO_ROOT,
        env=server_environment(database_url, env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
