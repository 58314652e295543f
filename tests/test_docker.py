"""The production layout (docker-compose.yml, docker/): checked without a Docker engine.

The compose file must parse (``docker compose config``, where a compose binary exists),
say what the scripts and README promise (nginx alone published, Odoo behind it with
proxy_mode and workers, crons and jobs on their own worker, PostgreSQL on a volume with
a healthcheck, the test suite in the image), and the shipped nginx configuration must
pass ``nginx -t``.
"""

import configparser
import re
import shutil
import subprocess

import pytest
import static_checks as sc
import yaml

COMPOSE = sc.REPO / "docker-compose.yml"
NGINX_CONF = sc.REPO / "docker" / "nginx.conf"
DOCKER_ODOO_CONF = sc.REPO / "docker" / "odoo.conf"
DOCKERFILE = sc.REPO / "docker" / "Dockerfile"
# What docker compose would take from .env; the file refuses to start without it.
COMPOSE_ENV = {"SGC_DB_PASSWORD": "test-only"}


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


@pytest.fixture(scope="module")
def odoo_conf():
    parser = configparser.ConfigParser()
    parser.read(DOCKER_ODOO_CONF)
    return parser


def _option(command, name):
    """The value of ``--name=value`` in a compose command, or None."""
    for arg in command:
        if arg.startswith(f"--{name}="):
            return arg.split("=", 1)[1]
    return None


def _default(value):
    """A compose value with its ${VAR:-default} replaced by the default."""
    return re.sub(r"\$\{[A-Z_]+:?-([^}]*)\}", r"\1", value)


def _compose_command():
    if shutil.which("docker"):
        probe = subprocess.run(
            ["docker", "compose", "version"], capture_output=True, check=False
        )
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_compose_config_parses(tmp_path, monkeypatch):
    command = _compose_command()
    if command is None:
        pytest.skip("neither 'docker compose' nor 'docker-compose' is installed")
    for name, value in COMPOSE_ENV.items():
        monkeypatch.setenv(name, value)
    proc = subprocess.run(
        [*command, "-f", str(COMPOSE), "config", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_compose_refuses_to_run_without_password(tmp_path, monkeypatch):
    command = _compose_command()
    if command is None:
        pytest.skip("neither 'docker compose' nor 'docker-compose' is installed")
    monkeypatch.delenv("SGC_DB_PASSWORD", raising=False)
    proc = subprocess.run(
        [*command, "-f", str(COMPOSE), "config", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode != 0
    assert "SGC_DB_PASSWORD" in proc.stdout + proc.stderr


def test_only_nginx_is_published(services):
    published = {name for name, svc in services.items() if svc.get("ports")}
    assert published == {"nginx"}
    [port] = services["nginx"]["ports"]
    assert _default(port).endswith(":80")
    volumes = services["nginx"]["volumes"]
    assert "./docker/nginx.conf:/etc/nginx/nginx.conf:ro" in volumes


def test_web_service_has_workers_proxy_mode_and_no_crons_or_jobs(services, odoo_conf):
    web = services["odoo"]
    command = web["command"]
    assert "--proxy-mode" in command
    assert odoo_conf.getboolean("options", "proxy_mode")
    assert int(_default(_option(command, "workers"))) >= 2
    assert _option(command, "max-cron-threads") == "0"
    # queue_job starts no runner with a root channel of capacity 0.
    assert web["environment"]["ODOO_QUEUE_JOB_CHANNELS"] == "root:0"
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert "healthcheck" in web


def test_worker_runs_crons_and_the_job_runner(services, odoo_conf):
    worker = services["odoo-worker"]
    command = worker["command"]
    assert int(_default(_option(command, "max-cron-threads"))) >= 1
    # The runner hands jobs to this service's HTTP workers: it needs some.
    assert int(_default(_option(command, "workers"))) >= 2
    env = worker.get("environment", {})
    assert "ODOO_QUEUE_JOB_CHANNELS" not in env
    modules = odoo_conf.get("options", "server_wide_modules").split(",")
    assert "queue_job" in modules
    channels = odoo_conf.get("queue_job", "channels")
    assert not channels.startswith("root:0")
    assert "root.sgc_intake" in channels
    assert "ports" not in worker


def test_one_database_init_before_the_servers(services):
    init = services["odoo-init"]
    assert "--stop-after-init" in init["command"]
    assert init["command"][init["command"].index("-i") + 1] == "sgc_helpdesk_ticket"
    for name in ("odoo", "odoo-worker"):
        condition = services[name]["depends_on"]["odoo-init"]["condition"]
        assert condition == "service_completed_successfully"


def test_postgres_on_a_volume_with_healthcheck(compose, services):
    db = services["db"]
    assert "sgc-db:/var/lib/postgresql/data" in db["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert "sgc-db" in compose["volumes"] and "sgc-data" in compose["volumes"]
    assert "ports" not in db
    assert "frontend" not in db["networks"]


def test_test_service_runs_the_suite_in_the_image(services):
    test = services["odoo-test"]
    assert test["build"]["target"] == "test"
    assert test["command"] == ["./scripts/test.sh"]
    assert test["profiles"] == ["test"]
    env = test["environment"]
    # The image's Odoo is used as it is (scripts/lib.sh, sgc_ensure_python) and has
    # no apt to run: both variables are what the scripts read.
    assert env["PYTHON"] == "python3" and env["SGC_APT"] == "0"
    # Its own throw-away PostgreSQL, never the production one.
    assert env["PGHOST"] == "db-test"
    assert test["depends_on"] == {"db-test": {"condition": "service_healthy"}}
    db_test = services["db-test"]
    assert db_test["profiles"] == ["test"] and "volumes" not in db_test
    assert "backend" not in test["networks"]
    lib = (sc.REPO / "scripts" / "lib.sh").read_text()
    for name in ("PYTHON", "SGC_APT", "SGC_DB_USER"):
        assert f"${{{name}:-" in lib


def test_dockerfile_pins_match_lib_sh():
    lib = (sc.REPO / "scripts" / "lib.sh").read_text()
    block = re.search(r"OCA_ADDON_PINS=\((.*?)\n\)", lib, re.S).group(1)
    block += re.search(r"ADDON_PYTHON_PINS=\((.*?)\n\)", lib, re.S).group(1)
    lib_pins = set(re.findall(r'"([A-Za-z0-9_.-]+==[^"]+)"', block))
    dockerfile = DOCKERFILE.read_text()
    docker_pins = set(re.findall(r"odoo-addon-\S+==\S+", dockerfile))
    docker_pins |= set(re.findall(r"\bholidays==\S+", dockerfile))
    assert lib_pins and lib_pins == docker_pins
    for source in re.findall(r"^COPY (?:--\S+ )*(\S+) ", DOCKERFILE.read_text(), re.M):
        assert (sc.REPO / source).exists(), f"Dockerfile copies missing {source}"


def test_addon_path_in_image(odoo_conf):
    dockerfile = DOCKERFILE.read_text()
    target = re.search(
        r"^COPY sgc_helpdesk_ticket (\S+)/sgc_helpdesk_ticket", dockerfile, re.M
    )
    assert target.group(1) in odoo_conf.get("options", "addons_path").split(",")


def test_nginx_overwrites_forwarding_headers_and_routes_websocket(odoo_conf):
    text = NGINX_CONF.read_text()
    assert "$proxy_add_x_forwarded_for" not in text
    gevent_port = odoo_conf.get("options", "gevent_port")
    http_port = odoo_conf.get("options", "http_port")
    upstreams = dict(re.findall(r"upstream (\w+) \{(.*?)\}", text, re.S))
    assert f"odoo:{gevent_port};" in upstreams["odoo_websocket"]
    assert f"odoo:{http_port};" in upstreams["odoo_http"]
    locations = dict(re.findall(r"location (\S+) \{(.*?)\n        \}", text, re.S))
    assert "proxy_pass http://odoo_websocket;" in locations["/websocket"]
    assert "proxy_set_header Upgrade $http_upgrade;" in locations["/websocket"]
    assert "proxy_pass http://odoo_http;" in locations["/"]
    # proxy_set_header in a location drops the server's: each location sets them all.
    for name in ("/websocket", "/"):
        body = locations[name]
        assert "proxy_set_header X-Forwarded-For $remote_addr;" in body
        assert "proxy_set_header X-Forwarded-Host $host;" in body
        assert "proxy_set_header X-Forwarded-Proto $scheme;" in body


def test_nginx_config_is_valid(tmp_path):
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if nginx is None:
        pytest.skip("nginx is not installed (Debian: apt-get install nginx)")
    # The upstreams are compose service names, which resolve only inside the compose
    # network: nginx -t resolves them, so they point at the loopback here.
    text = NGINX_CONF.read_text().replace("server odoo:", "server 127.0.0.1:")
    conf = tmp_path / "nginx.conf"
    conf.write_text(text)
    proc = subprocess.run(
        [
            nginx,
            "-t",
            "-q",
            "-e",
            "stderr",
            "-p",
            str(tmp_path),
            "-c",
            str(conf),
            "-g",
            f"pid {tmp_path}/nginx.pid;",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


def test_nginx_check_bites(tmp_path):
    """nginx -t, as run above, refuses a broken file."""
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if nginx is None:
        pytest.skip("nginx is not installed (Debian: apt-get install nginx)")
    conf = tmp_path / "nginx.conf"
    conf.write_text(NGINX_CONF.read_text().replace("listen 80;", "listen 80"))
    proc = subprocess.run(
        [
            nginx,
            "-t",
            "-q",
            "-e",
            "stderr",
            "-p",
            str(tmp_path),
            "-c",
            str(conf),
            "-g",
            f"pid {tmp_path}/nginx.pid;",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode != 0
