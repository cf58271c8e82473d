"""SECRET_KEY is required with DEBUG off: serving processes refuse to start without it, while
commands that sign nothing (the migrations check) still run."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    env["DEBUG"] = "false"
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_web_server_refuses_to_start_without_a_secret_key():
    result = _run("-c", "import portal.wsgi")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_the_asgi_server_refuses_to_start_without_a_secret_key():
    result = _run("-c", "import portal.asgi")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_the_celery_worker_refuses_to_start_without_a_secret_key():
    result = _run(
        "-c",
        "import django; django.setup(); from celery.signals import worker_init; "
        "worker_init.send(sender=None)",
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_the_migrations_check_runs_without_a_secret_key():
    result = _run("manage.py", "makemigrations", "--check", "--dry-run")

    assert result.returncode == 0, result.stderr
