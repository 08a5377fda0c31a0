"""Shared fixtures."""

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection

from quizzes.bank import cache as bank_cache
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def postgres_only(request):
    """Skip a test marked `postgres` on SQLite: it needs concurrent transactions."""
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent transactions: runs in CI's PostgreSQL pass")


@pytest.fixture(autouse=True)
def fresh_bank_cache():
    # Each test builds its own bank; rolled-back databases can repeat ids and (frozen) times.
    bank_cache.bank_cache_clear()
    cache.clear()
    yield
    bank_cache.bank_cache_clear()
    cache.clear()


@pytest.fixture
def frozen(request):
    """Freeze time at the test module's NOW; the traveller moves it on."""
    with time_machine.travel(request.module.NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def user(db):
    return UserFactory.create()


@pytest.fixture
def other_user(db):
    return UserFactory.create()


@pytest.fixture
def learner_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(client, db):
    """A client logged in as a member of the Editors group."""
    editor = UserFactory.create(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client
