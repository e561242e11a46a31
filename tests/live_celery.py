"""Real Celery processes for tests: workers and beat against the test database and Redis.

The ``live_celery`` fixture gives a :class:`LiveCelery` that starts ``celery -A qa_audit
worker`` and ``celery -A qa_audit beat`` as subprocesses. They use the test's own
database (the ``DATABASE_URL`` is built from the test connection, so a test needs
``django_db(transaction=True)``: the fixture asks for ``transactional_db`` itself) and a
queue and node names of their own, so parallel test runs sharing one Redis never take
each other's tasks::

    pytestmark = pytest.mark.live

    def test_the_task_runs(live_celery):
        live_celery.worker()
        live_celery.beat()
        live_celery.wait_until(lambda: Thing.objects.exists(), what="the task's row")

Workers can be killed to test what survives a dead worker (``worker.kill()`` sends
SIGKILL to the worker and its pool), started several at once, and given extra
environment (``worker(env={"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": "2525"})``).
``live_celery.send_task(name, ...)`` queues a task on the real broker from the test.
Every process writes its log to a file; the fixture prints all logs at teardown, which
pytest shows only when the test fails, and ``wait_until`` puts them in its failure.

Requirements: a PostgreSQL test database (the in-memory SQLite test database is invisible
to another process) and Redis at ``TEST_REDIS_URL`` (default
``redis://127.0.0.1:6379/0``). Without them the test is skipped with the reason, except
in CI (``CI`` set, as ``.ci/run`` does) where it fails instead.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
STARTUP_TIMEOUT = 60.0  # seconds; two cores shared with other test runs start slowly
STOP_TIMEOUT = 30.0


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def skip_or_fail(reason: str) -> None:
    """Skip outside CI; in CI a missing service is an error, never a silent skip."""
    if in_ci():
        pytest.fail(f"{reason} (CI must run the live tests)", pytrace=False)
    pytest.skip(reason)


def redis_available(url: str = TEST_REDIS_URL) -> bool:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError:
        return False
    return True


def database_url(connection, *, name: str | None = None) -> str:
    """A DATABASE_URL for another process to reach the database ``connection`` uses (or,
    on the same PostgreSQL server, the database ``name``)."""
    db = {**connection.settings_dict, **({"NAME": name} if name else {})}
    if connection.vendor == "postgresql":
        user = quote(db.get("USER") or "", safe="")
        password = quote(db.get("PASSWORD") or "", safe="")
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = db.get("HOST") or ""
        port = f":{db['PORT']}" if db.get("PORT") else ""
        return f"postgres://{credentials}{host}{port}/{quote(db['NAME'], safe='')}"
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    raise ValueError(f"another process cannot reach this {connection.vendor} test database")


def check_requirements(connection, redis_url: str = TEST_REDIS_URL) -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        skip_or_fail(
            "live Celery tests need a database other processes can open: the SQLite test "
            "database is in memory; run with DATABASE_URL=postgres://... (CI does)"
        )
    if not redis_available(redis_url):
        skip_or_fail(f"live Celery tests need Redis at {redis_url} (set TEST_REDIS_URL)")


class CeleryProcess:
    """One ``celery`` subprocess in its own process group, logging to a file."""

    def __init__(
        self, *, kind: str, name: str, args: list[str], env: dict, log_path: Path, ready_text: str
    ):
        self.kind = kind
        self.name = name
        self.ready_text = ready_text
        self.args = args
        self.log_path = log_path
        self._log_file = open(log_path, "wb")  # noqa: SIM115 (closed in stop())
        self.popen = subprocess.Popen(
            args,
            cwd=settings.BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: signals reach the pool children too
        )

    def __repr__(self):
        return f"<{self.kind} {self.name} pid={self.pid}>"

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def running(self) -> bool:
        return self.popen.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_log(self, text: str, *, timeout: float = STARTUP_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log():
                return
            if not self.running:
                raise AssertionError(
                    f"{self!r} exited with {self.popen.returncode} before logging {text!r}:\n"
                    f"{self.log()}"
                )
            time.sleep(0.2)
        raise AssertionError(f"{self!r} did not log {text!r} in {timeout:.0f}s:\n{self.log()}")

    def wait_ready(self, *, timeout: float = STARTUP_TIMEOUT) -> None:
        """Wait for the line a worker or beat logs once it is ready (started with
        ``wait=False`` so that several processes start side by side)."""
        self.wait_for_log(self.ready_text, timeout=timeout)

    def kill(self, sig: int = signal.SIGKILL, *, group: bool = True) -> None:
        """Send ``sig`` to the whole process group (the worker and its pool), as a crash
        or ``kill -9`` of the container would, or with ``group=False`` to the main
        process only. After SIGKILL, waits for the main process to go."""
        if self.running:
            if group:
                os.killpg(self.pid, sig)
            else:
                self.popen.send_signal(sig)
        if sig == signal.SIGKILL:
            self.popen.wait(timeout=STOP_TIMEOUT)

    def stop(self, timeout: float = STOP_TIMEOUT) -> int:
        """Warm shutdown (SIGTERM: finish the task in hand); SIGKILL after ``timeout``."""
        if self.running:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.popen.wait(timeout=timeout)
        self._reap_group()
        self._close_log()
        return self.popen.returncode

    def _reap_group(self) -> None:
        # Pool children orphaned by a killed main process must not outlive the test.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)

    def _close_log(self) -> None:
        if not self._log_file.closed:
            self._log_file.close()


class LiveCelery:
    """Starts and stops real Celery processes for one test; see the module docstring."""

    def __init__(
        self, *, database_url: str, broker_url: str, workdir: Path, env: dict | None = None
    ):
        self.database_url = database_url
        self.broker_url = broker_url
        self.workdir = workdir
        self.run_id = uuid.uuid4().hex[:10]
        self.queue = f"live-{self.run_id}"
        self.processes: list[CeleryProcess] = []
        self.mail_dir = workdir / "mail"  # emails, when no EMAIL_HOST is passed
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "qa_audit.settings",
            "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "REDIS_URL": broker_url,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "MEDIA_ROOT": str(workdir / "media"),
            **(env or {}),
        }
        self._app = None

    def _celery(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "celery", "-A", "qa_audit", *args]

    def _start(
        self, kind: str, name: str, args: list[str], env: dict | None, ready_text: str
    ) -> CeleryProcess:
        process = CeleryProcess(
            kind=kind,
            name=name,
            args=args,
            env={**self.env, **(env or {})},
            log_path=self.workdir / f"{name}.log",
            ready_text=ready_text,
        )
        self.processes.append(process)
        return process

    def worker(
        self,
        *,
        name: str | None = None,
        pool: str = "solo",
        concurrency: int = 1,
        queues: Iterable[str] | None = None,
        env: dict | None = None,
        extra_args: Iterable[str] = (),
        wait: bool = True,
    ) -> CeleryProcess:
        """Start a worker reading this test's queue (or ``queues``). ``pool="prefork"``
        gives a main process with ``concurrency`` children, as in production."""
        name = name or f"worker{sum(p.kind == 'worker' for p in self.processes) + 1}"
        nodename = f"{name}-{self.run_id}@localhost"
        args = self._celery(
            "worker",
            "--loglevel=INFO",
            f"--hostname={nodename}",
            f"--pool={pool}",
            f"--concurrency={concurrency}",
            f"--queues={','.join(queues or [self.queue])}",
            # Keep to ourselves: no syncing with other workers on the same Redis.
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            *extra_args,
        )
        process = self._start("worker", name, args, env, ready_text=f"{nodename} ready.")
        if wait:
            process.wait_ready()
        return process

    def beat(
        self,
        *,
        env: dict | None = None,
        max_interval: int = 1,
        extra_args: Iterable[str] = (),
        wait: bool = True,
    ) -> CeleryProcess:
        """Start beat with the database scheduler; it rereads the schedules every
        ``max_interval`` seconds, so a schedule changed by the test is seen at once."""
        args = self._celery(
            "beat",
            "--loglevel=INFO",
            f"--max-interval={max_interval}",
            f"--pidfile={self.workdir / f'beat-{len(self.processes)}.pid'}",
            *extra_args,
        )
        beats = sum(p.kind == "beat" for p in self.processes)
        name = f"beat{beats + 1}" if beats else "beat"
        process = self._start("beat", name, args, env, ready_text="beat: Starting...")
        if wait:
            process.wait_ready()
        return process

    @property
    def app(self):
        """A Celery app on the real broker and this test's queue, for the test to send
        tasks with (the test process itself runs tasks eagerly)."""
        if self._app is None:
            from celery import Celery

            self._app = Celery(f"live-{self.run_id}", set_as_current=False)
            self._app.conf.update(
                broker_url=self.broker_url,
                task_default_queue=self.queue,
                task_serializer="json",
                accept_content=["json"],
                task_ignore_result=True,
            )
        return self._app

    def send_task(self, name: str, args=(), kwargs=None, **options):
        return self.app.send_task(name, args=args, kwargs=kwargs or {}, **options)

    def logs(self) -> str:
        return "\n".join(
            f"----- {p.name} ({' '.join(p.args[2:])}) -----\n{p.log()}" for p in self.processes
        )

    def wait_until(
        self, predicate: Callable[[], object], *, timeout: float = 60.0, what: str = "condition"
    ):
        """Poll ``predicate`` until it returns something truthy, and return that; fail
        with every process's log after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            if time.monotonic() >= deadline:
                raise AssertionError(f"no {what} after {timeout:.0f}s\n{self.logs()}")
            time.sleep(0.25)

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            process.stop()
        if self._app is not None:
            self._app.close()
        self._delete_queue()

    def _delete_queue(self) -> None:
        # What a killed worker left on this test's queue (and its bindings) goes with it.
        import redis

        client = redis.Redis.from_url(self.broker_url)
        keys = list(client.scan_iter(match=f"*{self.queue}*"))
        if keys:
            client.delete(*keys)
        client.close()


@pytest.fixture
def live_celery(request, transactional_db, tmp_path):
    """Real Celery processes on the test database; see the module docstring."""
    from django.db import connection

    check_requirements(connection)
    live = LiveCelery(
        database_url=database_url(connection), broker_url=TEST_REDIS_URL, workdir=tmp_path
    )
    try:
        yield live
    finally:
        live.stop_all()
        # Shown by pytest only if the test failed.
        print(live.logs())
