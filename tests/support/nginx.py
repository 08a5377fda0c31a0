"""The proxy config's local variant: docs/deploy/nginx.conf rendered for 127.0.0.1 without TLS.

`make cluster` (bench/cluster.py) serves through it and tests/site/test_cluster_config.py checks it
keeps every proxy setting of the shipped file.
"""

import re
from pathlib import Path

NGINX_CONF = Path(__file__).resolve().parents[2] / "docs" / "deploy" / "nginx.conf"
LOOPBACK = "127.0.0.1"


def render_nginx(prefix: Path, proxy_port: int, app_ports: list[int]) -> Path:
    """Render docs/deploy/nginx.conf for this machine: 127.0.0.1, no TLS, our own ports."""
    shipped = NGINX_CONF.read_text(encoding="utf-8")
    shipped = re.sub(
        r"\n# Plain HTTP only redirects to HTTPS\.\nserver \{.*?\n\}\n", "\n", shipped, flags=re.S
    )
    ports = iter(app_ports)
    lines = []
    for line in shipped.splitlines():
        stripped = line.strip()
        if re.match(r"server \d+\.\d+\.\d+\.\d+:\d+", stripped):
            params = stripped.split(" ", 2)[2] if stripped.count(" ") >= 2 else ";"
            line = f"    server {LOOPBACK}:{next(ports)} {params}"
        elif stripped.startswith("listen 443"):
            line = f"    listen {LOOPBACK}:{proxy_port};"
        elif stripped.startswith(("listen [::]", "http2 ", "ssl_certificate")):
            continue
        elif stripped.startswith("server_name"):
            line = f"    server_name {LOOPBACK};"
        lines.append(line)
    body = "\n".join(lines)
    prefix.mkdir(parents=True, exist_ok=True)
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir(exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(
        "\n".join(
            [
                "# Rendered by tests/support/nginx.py from docs/deploy/nginx.conf; do not edit.",
                "worker_processes 1;",
                f"pid {prefix}/nginx.pid;",
                f"error_log {prefix}/logs/error.log warn;",
                "events { worker_connections 1024; }",
                "http {",
                f"    access_log {prefix}/logs/access.log;",
                f"    client_body_temp_path {prefix}/tmp/body;",
                f"    proxy_temp_path {prefix}/tmp/proxy;",
                f"    fastcgi_temp_path {prefix}/tmp/fastcgi;",
                f"    uwsgi_temp_path {prefix}/tmp/uwsgi;",
                f"    scgi_temp_path {prefix}/tmp/scgi;",
                body,
                "}",
                "",
            ]
        ),
        encoding="utf-8",
    )
    return conf
