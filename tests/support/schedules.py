"""A schedule for tests and benchmarks that need one and have no learner: the site's defaults.

It lives here, not in the app, so that app code has no default schedule to fall back on: a
learner's schedule is always read from their profile and passed.
"""

from datetime import UTC

from quizzes.limits import DAY_STARTS_AT_DEFAULT, RETENTION_DEFAULT
from quizzes.rules.days import DayClock
from quizzes.rules.scheduling import DEFAULT_PARAMETERS, Schedule

# A learner in UTC whose day starts at 4 a.m., as a new learner's does on a site in UTC.
UTC_DAY = DayClock(zone=UTC, starts_at=DAY_STARTS_AT_DEFAULT)
DEFAULT_SCHEDULE = Schedule(
    desired_retention=RETENTION_DEFAULT, parameters=DEFAULT_PARAMETERS, day=UTC_DAY
)
