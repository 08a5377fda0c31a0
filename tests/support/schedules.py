"""A schedule for tests and benchmarks that need one and have no learner: the site's defaults.

It lives here, not in the app, so that app code has no default schedule to fall back on: a
learner's schedule is always read from their profile and passed.
"""

from quizzes.limits import RETENTION_DEFAULT
from quizzes.rules.scheduling import DEFAULT_PARAMETERS, Schedule

DEFAULT_SCHEDULE = Schedule(desired_retention=RETENTION_DEFAULT, parameters=DEFAULT_PARAMETERS)
