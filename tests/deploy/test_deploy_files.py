"""The files in deploy/: the compose file, the image, the systemd unit and example settings."""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import compose
import pytest

from bots.discord.settings import DiscordSettings
from bots.telegram.settings import TelegramSettings
from core.config import Settings

DEPLOY = Path(__file__).parents[2] / "deploy"
ROOT = DEPLOY.parent
COMPOSE = (str(Path(compose.__file__).parent / "docker-compose"), "--env-file", os.devnull)
"""Docker Compose v2, reading no deploy/.env of this machine."""
TEST_ONLY = {"YOUSAID_TELEGRAM_API_BASE", "YOUSAID_DISCORD_API_BASE", "YOUSAID_DISCORD_GATEWAY_URL"}


def compose_config(*extra: str) -> subprocess.CompletedProcess[str]:
    """Docker Compose v2 itself (`docker compose config` needs no Docker engine)."""
    return subprocess.run(
        [*COMPOSE, "-f", str(DEPLOY / "compose.yaml"), "config", *extra],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": tempfile.gettempdir()},
    )


def test_compose_file_is_valid_for_docker_compose():
    done = compose_config("--quiet")
    assert done.returncode == 0, done.stderr
    broken = DEPLOY / "compose.yaml"
    bad = subprocess.run(
        [*COMPOSE, "-f", "-", "config", "--quiet"],
        input=broken.read_text().replace("condition: service_healthy", "condition: healthy"),
        capture_output=True,
        text=True,
        cwd=DEPLOY,
    )
    assert bad.returncode != 0, "the validator does refuse a wrong file"


def test_compose_runs_postgres_with_a_volume_migrations_first_and_a_health_check():
    config = json.loads(compose_config("--format", "json").stdout)
    services = config["services"]
    assert set(services) == {"db", "migrate", "yousaid"}
    db = services["db"]
    assert int(re.match(r"postgres:(\d+)", db["image"]).group(1)) >= 15
    [volume] = db["volumes"]
    assert (volume["type"], volume["source"], volume["target"]) == (
        "volume",
        "db-data",
        "/var/lib/postgresql/data",
    )
    assert "db-data" in config["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])

    migrate, bot = services["migrate"], services["yousaid"]
    assert migrate["command"] == ["yousaid", "db", "upgrade"]
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert bot["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert bot["healthcheck"]["test"] == ["CMD", "yousaid", "health"]
    assert bot["environment"]["YOUSAID_DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert bot["environment"]["YOUSAID_DATABASE_URL"].endswith("@db:5432/yousaid")
    published = {(p["target"], p.get("host_ip", "")) for p in bot["ports"]}
    assert published == {(8080, "127.0.0.1"), (8443, "")}, "metrics stay on the host"
    assert bot["image"] == migrate["image"], "one image, built once"


def stages(dockerfile: str) -> list[list[str]]:
    lines = re.sub(r"\\\n", " ", dockerfile).splitlines()
    instructions = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    result: list[list[str]] = []
    for instruction in instructions:
        if instruction.upper().startswith("FROM "):
            result.append([])
        result[-1].append(instruction)
    return result


def test_the_image_is_multi_stage_slim_and_runs_as_a_user_with_a_health_check():
    build, final = stages((DEPLOY / "Dockerfile").read_text())
    assert build[0].endswith(" AS build") and "slim" in build[0]
    assert "slim" in final[0]
    assert any(line.startswith("COPY --from=build /opt/yousaid") for line in final)
    assert not any(line.startswith(("RUN apt", "RUN pip")) for line in final)
    assert all(" " + tool not in " ".join(final) for tool in ("gcc", "build-essential", "make"))
    [user] = [line.split()[1] for line in final if line.startswith("USER ")]
    assert user not in ("root", "0")
    assert any(line.startswith("RUN useradd") and f" {user}" in line for line in final)
    assert 'CMD ["yousaid", "health"]' in " ".join(final)
    assert "yousaid db upgrade && exec yousaid run" in final[-1]
    for line in build:
        if line.startswith("COPY ") and "--from" not in line:
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), source


def test_the_wheel_the_image_installs_holds_migrations_scripts_and_word_lists(tmp_path):
    """Build from what the Dockerfile copies in, as its build stage does."""
    build, _ = stages((DEPLOY / "Dockerfile").read_text())
    context = tmp_path / "src"
    context.mkdir()
    for line in build:
        if line.startswith("COPY "):
            *sources, target = line.split()[1:]
            for source in sources:
                destination = context / (source if target.endswith("/") else target)
                copy = shutil.copytree if (ROOT / source).is_dir() else shutil.copy
                copy(ROOT / source, destination)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), "."],
        check=True,
        capture_output=True,
        cwd=context,
        timeout=300,
    )
    [wheel] = tmp_path.glob("yousaid-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    migrations = sorted(p.name for p in (ROOT / "storage/migrations/versions").glob("0*.py"))
    assert {f"storage/migrations/versions/{name}" for name in migrations} <= names
    assert {"storage/migrations/env.py", "core/plain_words/glossary.csv"} <= names
    assert "core/safeguarding_terms.txt" in names
    scripts = {f"dialogs/scripts/{p.name}" for p in (ROOT / "dialogs/scripts").glob("*.yaml")}
    assert scripts and scripts <= names


def unit_settings() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in (DEPLOY / "yousaid.service").read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            found.setdefault(key, []).append(value)
    return found


def test_the_systemd_unit_upgrades_then_runs_as_its_own_user():
    unit = unit_settings()
    assert unit["User"] == ["yousaid"] and unit["EnvironmentFile"] == ["/etc/yousaid/yousaid.env"]
    assert unit["ExecStartPre"] == ["/opt/yousaid/.venv/bin/yousaid db upgrade"]
    assert unit["ExecStart"] == ["/opt/yousaid/.venv/bin/yousaid run"]
    assert unit["ReadWritePaths"] == ["/var/lib/yousaid"] and unit["NoNewPrivileges"] == ["true"]
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        return
    done = subprocess.run(
        [analyze, "verify", str(DEPLOY / "yousaid.service")], capture_output=True, text=True
    )
    problems = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if line.strip() and "/opt/yousaid/.venv/bin/yousaid is not executable" not in line
    ]
    assert problems == [], "systemd finds nothing wrong but the program not installed here"


def known_settings() -> set[str]:
    names = set()
    for model, prefix in (
        (Settings, "YOUSAID_"),
        (TelegramSettings, "YOUSAID_TELEGRAM_"),
        (DiscordSettings, "YOUSAID_DISCORD_"),
    ):
        names |= {prefix + field.upper() for field in model.model_fields}
    return names - TEST_ONLY


def test_example_settings_and_the_readme_name_every_setting_and_nothing_else():
    example = set(
        re.findall(r"^#? ?(YOUSAID_[A-Z_]+)=", (DEPLOY / "yousaid.env.example").read_text(), re.M)
    )
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration")[1].split("\n## ")[0]
    documented = set(re.findall(r"^\| `(YOUSAID_[A-Z_]+)`", table, re.M))
    assert documented == known_settings()
    assert example <= known_settings()
    assert {"YOUSAID_DATABASE_URL", "YOUSAID_HTTP_LISTEN", "YOUSAID_LOG_FORMAT"} <= example


@pytest.mark.parametrize("variable", sorted(TEST_ONLY))
def test_test_only_settings_stay_out_of_the_examples(variable):
    assert variable not in (DEPLOY / "yousaid.env.example").read_text()
