"""From a fresh clone to a running desk: ./scripts/start.sh on a copy of the repository
without .venv, from a fresh shell, with Odoo's source served as a tarball by an HTTP
server on 127.0.0.1 (ODOO_SOURCE=http://...) and an empty source cache.

It must download and verify the source, build the clone's own virtualenv, create the
database and serve /web/login, leaving the packages of the machine's python3 as they
were; run again, offline, it must find everything in place.

The tarball is made once from the Odoo source this run uses (ODOO_SRC, exported by
scripts/test.sh) and kept in the source cache, beside the unpacked source.
"""

import http.server
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
import static_checks as sc
from conftest import free_port

START_TIMEOUT = 1200


def _pin(name):
    """SGC_ODOO_REV or SGC_ODOO_DIGEST: as scripts/test.sh exports it, or lib.sh's."""
    if os.environ.get(name):
        return os.environ[name]
    lib = (sc.REPO / "scripts" / "lib.sh").read_text()
    return re.search(rf"^{name}=(\S+)$", lib, re.M).group(1)


def _odoo_src():
    src = Path(os.environ.get("ODOO_SRC", ""))
    if os.environ.get("SGC_BOOTSTRAP_TEST") == "0":
        pytest.skip("SGC_BOOTSTRAP_TEST=0")
    if not (src / "odoo-bin").is_file():
        pytest.skip(
            "the Odoo in use is not a source tree (a .deb or wheel install, as in "
            "the Docker image): there is no source to serve"
        )
    if not (src / ".sgc-verified").is_file():
        pytest.skip(
            f"{src} is not a verified copy of the pinned revision (ODOO_SOURCE names "
            "another folder): its tarball would be refused"
        )
    return src


@pytest.fixture(scope="module")
def odoo_tarball():
    """A tarball of the pinned Odoo source, made once (gzip -1: about a minute)."""
    src = _odoo_src()
    rev = _pin("SGC_ODOO_REV")
    folder = Path(os.environ["SGC_CACHE"]) / "test-archives"
    folder.mkdir(parents=True, exist_ok=True)
    tarball = folder / f"odoo-{rev}.tar.gz"
    if not tarball.is_file():
        part = tarball.with_name(tarball.name + ".part")
        subprocess.run(
            [
                "tar",
                "--exclude=__pycache__",
                "--exclude=*.pyc",
                "-I",
                "gzip -1",
                "-cf",
                str(part),
                "-C",
                str(src.parent),
                f"--transform=s,^{src.name},odoo-{rev},",
                src.name,
            ],
            check=True,
        )
        part.replace(tarball)
    return tarball


class _Server:
    """An HTTP server on 127.0.0.1 serving one file as /odoo.tar.gz."""

    def __init__(self, tarball):
        self.requests = []
        outer = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def translate_path(self, path):
                return str(tarball) if path == "/odoo.tar.gz" else "/nonexistent"

            def log_message(self, fmt, *args):
                outer.requests.append(self.path)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/odoo.tar.gz"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _clone(dest):
    """The repository's files as they are in the working tree, without .venv."""
    for path in sc.tracked_files(sc.REPO):
        rel = path.relative_to(sc.REPO)
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest / rel)
    assert not (dest / ".venv").exists()


def _fresh_env(extra):
    """A shell's environment as a login gives it: no virtualenv, nothing exported by
    scripts/test.sh but the database server's address and pip's machine settings."""
    keep = ("HOME", "LANG", "LC_ALL", "USER", "LOGNAME", "TERM", "TZ")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(
        {
            k: v
            for k, v in os.environ.items()
            if k.startswith(("PIP_", "PYENV_"))
            or k in ("PGHOST", "PGPORT", "PGPASSWORD", "SGC_DB_USER")
            or k.lower() in ("http_proxy", "https_proxy", "no_proxy")
        }
    )
    venv = os.environ.get("VIRTUAL_ENV")
    env["PATH"] = os.pathsep.join(
        p
        for p in os.environ["PATH"].split(os.pathsep)
        if not (venv and p.startswith(venv)) and "/.venv/" not in p + "/"
    )
    env.update(extra)
    return env


def _system_freeze(env):
    return subprocess.run(
        ["python3", "-m", "pip", "freeze", "--all"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _run(cmd, cwd, env, log, timeout):
    with open(log, "ab") as out:
        proc = subprocess.run(
            cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout
        )
    return proc.returncode


@pytest.fixture(scope="module")
def bootstrapped(odoo_tarball, tmp_path_factory):
    """start.sh on a fresh clone, until it serves /web/login: what was seen."""
    work = tmp_path_factory.mktemp("bootstrap")
    clone = work / "clone"
    clone.mkdir()
    _clone(clone)
    cache = work / "cache"
    server = _Server(odoo_tarball)
    port = free_port()
    db = f"sgc_boot_{os.getpid()}"
    env = _fresh_env(
        {
            "ODOO_SOURCE": server.url,
            "SGC_CACHE_DIR": str(cache),
            "SGC_DB": db,
            "SGC_HTTP_PORT": str(port),
        }
    )
    log = work / "start.log"
    before = _system_freeze(env)
    started = time.monotonic()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            ["bash", "-c", f"./scripts/start.sh --data-dir={work / 'data'}"],
            cwd=clone,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    seen = {}
    try:
        deadline = started + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"start.sh exited with {proc.returncode}:\n{log.read_text()}"
                )
            try:
                resp = requests.get(f"http://127.0.0.1:{port}/web/login", timeout=5)
                if resp.status_code == 200:
                    seen["login"] = resp.text
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"no /web/login in {START_TIMEOUT} s:\n{log.read_text()}")
            time.sleep(2)
        seen["start_seconds"] = time.monotonic() - started
    finally:
        # start.sh execs odoo-bin: its session is the server and its threads.
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    seen["downloads"] = list(server.requests)
    server.stop()
    seen.update(
        clone=clone,
        cache=cache,
        env=env,
        log=log,
        before=before,
        after=_system_freeze(env),
    )
    try:
        yield seen
    finally:
        subprocess.run(["dropdb", "--if-exists", db], env=env, check=False)


def test_start_serves_login_page(bootstrapped):
    assert 'name="login"' in bootstrapped["login"]
    seconds = bootstrapped["start_seconds"]
    print(f"start.sh on a fresh clone: /web/login after {seconds:.0f} s")


def test_source_downloaded_once_and_verified(bootstrapped):
    assert bootstrapped["downloads"] == ["/odoo.tar.gz"]
    rev = _pin("SGC_ODOO_REV")
    source = bootstrapped["cache"] / f"odoo-{rev}"
    assert (source / ".sgc-verified").read_text().split()[0] == rev
    # The download is not kept once unpacked.
    assert not list(bootstrapped["cache"].glob("*.tar.gz"))
    venv_python = bootstrapped["clone"] / ".venv" / "bin" / "python"
    pth = subprocess.run(
        [
            str(venv_python),
            "-c",
            "import odoo, os; print(os.path.dirname(odoo.__path__[0]))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(pth) == source.resolve()


def test_system_python_unchanged(bootstrapped):
    assert bootstrapped["before"] == bootstrapped["after"]


def test_second_run_offline_installs_nothing(bootstrapped):
    """The HTTP server is gone: the bootstrap finds the cache and the venv."""
    log = bootstrapped["log"].with_name("again.log")
    for env in (bootstrapped["env"], {**bootstrapped["env"], "ODOO_SOURCE": ""}):
        started = time.monotonic()
        code = _run(["./scripts/setup.sh"], bootstrapped["clone"], env, log, 300)
        assert code == 0, log.read_text()
        assert time.monotonic() - started < 60, log.read_text()
    text = log.read_text()
    assert "installing" not in text and "downloading" not in text, text


def test_wrong_tarball_is_refused(tmp_path):
    """A tarball of another content is refused, and nothing is left in the cache."""
    fake = tmp_path / "fake" / "odoo-x"
    (fake / "odoo").mkdir(parents=True)
    (fake / "odoo" / "release.py").write_text("version_info = (18, 0)\n")
    (fake / "odoo-bin").write_text("")
    tarball = tmp_path / "fake.tar.gz"
    subprocess.run(
        ["tar", "-czf", str(tarball), "-C", str(fake.parent), "odoo-x"], check=True
    )
    cache = tmp_path / "cache"
    proc = subprocess.run(
        [
            "python3",
            str(sc.REPO / "scripts" / "odoo_source.py"),
            "resolve",
            "--rev",
            _pin("SGC_ODOO_REV"),
            "--digest",
            _pin("SGC_ODOO_DIGEST"),
            "--cache",
            str(cache),
            "--url",
            "http://127.0.0.1:9/none.tar.gz",
            str(tarball),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "is not Odoo revision" in proc.stderr
    assert list(cache.iterdir()) == []


def test_missing_names_what_an_interpreter_lacks():
    """What decides, for an interpreter used as it is, whether the addon can run."""
    proc = subprocess.run(
        [sys.executable, str(sc.REPO / "scripts" / "odoo_source.py"), "missing"],
        input="pytest>=8\nrequests<1\nsgc-no-such-package==1.0\n"
        "pytest>=8 ; python_version < '3'\n",
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.split() == ["requests<1", "sgc-no-such-package==1.0"]
