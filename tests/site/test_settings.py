"""Production settings: check --deploy is clean, and a missing SECRET_KEY fails clearly."""

import os
import subprocess
import sys

from tests.helpers import ROOT

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-4f9c2e7a1b8d6e3f0a5c9b2d7e4f1a8c",
    "ALLOWED_HOSTS": "learnfrl.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://learnfrl.example.com",
    # Several processes share their limits and sessions through Redis (README "Scaling").
    "CACHE_URL": "redis://127.0.0.1:6379/0",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in their process; production never has it.
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_is_clean_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_missing_secret_key_with_debug_off_fails_with_a_clear_message():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_check_deploy_warns_when_limits_and_sessions_would_live_in_each_process():
    env = {**PRODUCTION, "CACHE_URL": "", "WEB_CONCURRENCY": "4"}
    env["SESSION_ENGINE"] = "django.contrib.sessions.backends.cached_db"
    result = manage("check", "--deploy", env=env)
    output = result.stdout + result.stderr
    assert "learnfrl.W001" in output
    assert "learnfrl.W002" in output


def test_one_process_with_its_own_cache_is_not_warned_about():
    env = {**PRODUCTION, "CACHE_URL": "", "WEB_CONCURRENCY": "1"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_trusted_proxy_that_is_not_an_address_fails_the_checks_clearly():
    result = manage("check", env={**PRODUCTION, "TRUSTED_PROXIES": "10.0.0.1,proxy.local"})
    assert result.returncode != 0
    assert "TRUSTED_PROXIES has 'proxy.local'" in result.stdout + result.stderr


def test_trusting_every_address_is_refused_at_start_up():
    # In one range, or in two halves that cover it together.
    for everyone in ("0.0.0.0/0", "::/0", "0.0.0.0/1,128.0.0.0/1"):
        result = manage("check", env={**PRODUCTION, "TRUSTED_PROXIES": f"10.0.0.1,{everyone}"})
        assert result.returncode != 0
        assert "trusts every address on the internet" in result.stderr


def _database_options(env: dict[str, str]) -> str:
    code = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS'))"
    result = manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_postgresql_prepares_the_statements_a_connection_repeats_unless_told_not_to():
    postgres = {**PRODUCTION, "DATABASE_URL": "postgres://app@db.example.com:5432/learnfrl"}
    options = _database_options(postgres)
    assert "'server_side_binding': True" in options
    assert "'prepare_threshold': 5" in options
    # Behind a pooler that cannot keep prepared statements.
    options = _database_options({**postgres, "DATABASE_PREPARED_STATEMENTS": "0"})
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options


def test_check_deploy_warns_of_prepared_statements_through_pgbouncers_port():
    pooled = {**PRODUCTION, "DATABASE_URL": "postgres://app@db.example.com:6432/learnfrl"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=pooled)
    assert result.returncode != 0
    assert "learnfrl.W005" in result.stdout + result.stderr
    off = {**pooled, "DATABASE_PREPARED_STATEMENTS": "0"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=off)
    assert "learnfrl.W005" not in result.stdout + result.stderr
    direct = {**PRODUCTION, "DATABASE_URL": "postgres://app@db.example.com:5432/learnfrl"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=direct)
    assert "learnfrl.W005" not in result.stdout + result.stderr


def test_a_lock_out_without_end_is_refused_at_start_up():
    # django-axes takes a cool-off of 0 for "until an admin lifts it"; the log-in limits
    # divided by it (a 500 on every failed log-in).
    result = manage("check", env={**PRODUCTION, "AXES_COOLOFF_MINUTES": "0"})
    assert result.returncode != 0
    assert "AXES_COOLOFF_MINUTES must be 1 or more; it is 0." in result.stderr


def test_check_deploy_warns_when_fits_and_simulations_run_on_the_request_thread():
    deploy = ("check", "--deploy", "--fail-level", "WARNING")
    result = manage(*deploy, env={**PRODUCTION, "WORKLOAD_PROCESSES": "0"})
    assert result.returncode != 0
    assert "learnfrl.W007" in result.stdout + result.stderr
    result = manage(*deploy, env={**PRODUCTION, "WORKLOAD_PROCESSES": "2"})
    assert result.returncode == 0, result.stdout + result.stderr
