"""Test settings: the real settings with a throwaway secret key and a fast password hasher."""

import copy
import os

os.environ.setdefault("SECRET_KEY", "insecure-key-for-tests-only")

from learnfrl.settings import *  # noqa: F403

# Hashing with PBKDF2 costs ~0.3 s a log-in; tests log in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The test client and the live server speak plain HTTP; production's HTTPS-only settings are
# checked separately (tests/site/test_settings.py runs check --deploy with production values).
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Every request checks the bank's version, as the first request of a process does.
BANK_CACHE_SECONDS = 0
# Simulations and fits on the request thread, where tests count them
# (tests/parameters/test_offload.py runs them in their own process).
WORKLOAD_PROCESSES = 0
# A test client makes requests faster than anyone clicks: the account's request rate is tested on
# its own (tests/site/test_account_rate.py).
LEARNER_REQUEST_RATE = ""
# Background tasks run at once, inside the request that enqueues them (one test also drives the
# database backend and its worker: tests/parameters/test_optimize.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The SQLite test database lives in memory, as Django's default; said outright because
# pytest-django only recognises Django's own SQLite engine and would otherwise give each parallel
# worker (pytest -n) a file named after the development database's path.
if DATABASES["default"]["ENGINE"] == "learnfrl.sqlite":  # noqa: F405
    DATABASES["default"].setdefault("TEST", {})["NAME"] = ":memory:"  # noqa: F405
# A second database, as an operator names one to restore a backup into (`loaddata --database
# restore`). pytest-django makes it only in a session that collects a test asking for it: in
# `make test` each parallel worker collects them all, so each makes and migrates it (about 8 s
# of its set-up). Its own copy of every setting, its own test database.
restore = copy.deepcopy(DATABASES["default"])  # noqa: F405
restore["NAME"] = f"{restore['NAME']}_restore"
restore.pop("TEST", None)
if restore["ENGINE"] == "learnfrl.sqlite":
    restore["TEST"] = {"NAME": ":memory:"}
DATABASES["restore"] = restore  # noqa: F405
