"""The production shape puts a buffering proxy in front of gunicorn's sync workers: a slow
client must cost the proxy a connection, never a worker, and an oversized upload must be
refused before it is read. Checked on the files docker compose runs."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
MEGABYTE = 1024 * 1024


def _nginx_directives() -> dict[str, list[str]]:
    """Every directive of deploy/nginx.conf that is not commented out, by name."""
    directives: dict[str, list[str]] = {}
    for line in (ROOT / "deploy" / "nginx.conf").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if match := re.fullmatch(r"([a-z_]+)\s+([^;{]+);", line):
            directives.setdefault(match[1], []).append(match[2].strip())
    return directives


def _seconds(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)(s|m|h)?", value).groups()  # type: ignore[union-attr]
    return int(number) * {"s": 1, "m": 60, "h": 3600, None: 1}[unit]


def _compose_service(name: str) -> str:
    text = (ROOT / "docker-compose.yml").read_text()
    match = re.search(rf"^  {name}:\n((?:    .*\n|\n)*)", text, flags=re.MULTILINE)
    assert match, f"no {name} service in docker-compose.yml"
    return match[1]


def test_only_the_proxy_faces_clients_and_it_runs_our_configuration():
    proxy = _compose_service("proxy")
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in proxy
    assert "ports:" in proxy
    for service in ("web", "realtime"):
        assert "ports:" not in _compose_service(service)


def test_requests_and_answers_are_buffered_whole():
    directives = _nginx_directives()

    assert directives.get("proxy_request_buffering", ["on"]) == ["on"]
    assert directives.get("proxy_buffering", ["on"]) == ["on"]
    assert "proxy_pass" in directives


def test_an_oversized_body_is_refused_unread_and_an_allowed_one_is_not():
    (limit,) = _nginx_directives()["client_max_body_size"]
    assert limit.endswith("m")
    limit_bytes = int(limit[:-1]) * MEGABYTE

    assert limit_bytes <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    # A photo or PDF of the largest size the portal keeps still gets through.
    assert limit_bytes > 10 * MEGABYTE


def test_every_wait_on_a_client_is_bounded_well_inside_a_worker_timeout():
    directives = _nginx_directives()
    for name in ("client_header_timeout", "client_body_timeout", "send_timeout"):
        (value,) = directives[name]
        assert _seconds(value) <= 30, name
    # gunicorn (30 s) ends a stuck request before the proxy gives up on it.
    read_timeouts = [_seconds(value) for value in directives["proxy_read_timeout"]]
    assert min(read_timeouts) > 30
