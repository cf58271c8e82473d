"""`make run` on another port (`PORT=8001 make run`), with links in emails following it, and the
chat's hours from the environment."""

from __future__ import annotations

import re
import runpy
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from honcho.environ import expand_processes, parse_procfile

ROOT = Path(settings.BASE_DIR)


def test_the_web_process_serves_on_the_port_make_run_is_given():
    procfile = parse_procfile((ROOT / "Procfile").read_text())
    processes = {p.name: p for p in expand_processes(procfile.processes, port=8001)}
    web = processes["web.1"]

    command = subprocess.run(  # noqa: S603 - our own Procfile line, echoed, not run
        ["/bin/sh", "-c", "echo " + web.cmd.split(" runserver ", 1)[1]],
        env={"PORT": web.env["PORT"]},
        capture_output=True,
        text=True,
        check=True,
    )
    assert command.stdout.strip() == "127.0.0.1:8001"


def test_make_run_hands_its_port_to_honcho_and_to_the_links_in_messages():
    makefile = (ROOT / "Makefile").read_text()

    assert re.search(r"^PORT \?= 8000$", makefile, flags=re.MULTILINE)
    assert "run: export SITE_URL ?= http://127.0.0.1:$(PORT)" in makefile
    assert re.search(r"honcho start -f Procfile --port \$\(PORT\)", makefile)


@pytest.mark.django_db
def test_the_demo_says_where_to_sign_in(settings, capsys):
    settings.SITE_URL = "http://127.0.0.1:8001"

    call_command("seed_demo")

    assert "Sign in at http://127.0.0.1:8001" in capsys.readouterr().out


def _settings_with(monkeypatch, **environment) -> dict:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "portal" / "settings.py"))


def test_the_chat_hours_come_from_the_environment(monkeypatch):
    built = _settings_with(
        monkeypatch, CHAT_DAYS="Mon,Wed,sat", CHAT_OPENS="09:30", CHAT_CLOSES="20:00"
    )

    assert built["CHAT_SERVICE_HOURS"] == {
        "days": [0, 2, 5],
        "opens": "09:30",
        "closes": "20:00",
        "timezone": "Europe/London",
    }


def test_the_chat_hours_default_to_weekdays_eight_to_six(monkeypatch):
    for name in ("CHAT_DAYS", "CHAT_OPENS", "CHAT_CLOSES"):
        monkeypatch.delenv(name, raising=False)

    built = _settings_with(monkeypatch)

    assert built["CHAT_SERVICE_HOURS"]["days"] == [0, 1, 2, 3, 4]
    assert (built["CHAT_SERVICE_HOURS"]["opens"], built["CHAT_SERVICE_HOURS"]["closes"]) == (
        "08:00",
        "18:00",
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [("CHAT_DAYS", "Mon,Funday"), ("CHAT_OPENS", "8am"), ("CHAT_CLOSES", "25:00")],
)
def test_chat_hours_that_cannot_be_understood_stop_the_start(monkeypatch, name, value):
    with pytest.raises(ImproperlyConfigured, match=name):
        _settings_with(monkeypatch, **{name: value})
