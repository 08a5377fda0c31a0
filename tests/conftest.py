"""Shared fixtures."""

import pytest
import time_machine
from django.core.cache import cache

from quizzes.bank import cache as bank_cache
from tests.factories import UserFactory


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
