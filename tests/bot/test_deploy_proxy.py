"""Issue 17: docker-compose puts a TLS reverse proxy (Caddy) in front of the bot instances, with
slow-client limits and HSTS; the instances are reachable only through it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _service(compose: str, name: str) -> str:
    match = re.search(rf"^  {name}:\n((?:    .*\n|\n)+)", compose, re.MULTILINE)
    assert match, f"no service {name}"
    return match.group(1)


def test_compose_puts_caddy_in_front_of_the_instances() -> None:
    compose = (ROOT / "docker-compose.yml").read_text()
    proxy, bot = _service(compose, "proxy"), _service(compose, "bot")
    assert re.search(r"image: caddy:2\.\d+", proxy)
    assert '"443:443"' in proxy and '"80:80"' in proxy
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy
    assert "caddy_data:/data" in proxy  # certificates survive a restart
    assert "ports:" not in bot and "expose:" in bot  # only the proxy is reachable
    assert "replicas: 2" in bot
    assert "WEBHOOK_URL: https://${LURECHECK_DOMAIN" in bot


def test_caddyfile_has_tls_hsts_and_slow_client_limits() -> None:
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "{$LURECHECK_DOMAIN} {" in caddyfile  # a site address: automatic HTTPS
    assert re.search(r'Strict-Transport-Security "max-age=\d{8,}; includeSubDomains"', caddyfile)
    timeouts = re.search(r"timeouts \{([^}]*)\}", caddyfile)
    assert timeouts
    for name in ("read_header", "read_body", "write", "idle"):
        assert re.search(rf"\b{name} \d+s\b", timeouts.group(1)), name
    assert re.search(r"max_header_size \d+KB", caddyfile)
    assert re.search(r"request_body \{\s*max_size 1MB\s*\}", caddyfile)
    # Every scaled instance (the names default to compose's service and port).
    assert re.search(r"dynamic a \{\s*name \{\$LURECHECK_UPSTREAM:bot\}\s*"
                     r"port \{\$LURECHECK_UPSTREAM_PORT:8080\}", caddyfile)
    assert "respond /metrics 404" in caddyfile
    assert "log {" not in caddyfile  # no access log of client addresses


def test_deploy_doc_says_how_to_run_it() -> None:
    doc = (ROOT / "docs" / "deploy.md").read_text()
    for needle in ("LURECHECK_DOMAIN", "docker compose up", "--scale bot=", "Why Caddy"):
        assert needle in doc, needle
