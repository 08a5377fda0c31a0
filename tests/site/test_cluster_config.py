"""The shipped proxy config, and the local variant `make cluster` renders from it."""

import shutil
import subprocess

import pytest

from tests.support.nginx import NGINX_CONF, render_nginx


def test_the_local_variant_keeps_every_proxy_setting_and_only_changes_addresses(tmp_path):
    conf = render_nginx(tmp_path, 8210, [8211, 8212]).read_text()
    assert "listen 127.0.0.1:8210;" in conf
    assert "server 127.0.0.1:8211 max_fails=1 fail_timeout=5s;" in conf
    assert "server 127.0.0.1:8212 max_fails=1 fail_timeout=5s;" in conf
    assert "ssl" not in conf.replace("without TLS", "")
    assert "listen 80" not in conf
    shipped = NGINX_CONF.read_text()
    for line in shipped.splitlines():
        if line.strip().startswith(
            ("proxy_", "keepalive", "client_max_body_size", "limit_req", "error_page", "return 429")
        ):
            assert line in conf, line


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")
def test_nginx_accepts_the_local_variant(tmp_path):
    conf = render_nginx(tmp_path, 8210, [8211, 8212])
    check = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
