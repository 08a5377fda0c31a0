"""The benchmark's server: the production settings, plus a count of SQL statements per response
and one URL of the benchmark's own (bench.parts).

bench.run serves with DJANGO_SETTINGS_MODULE=bench.settings, so production settings carry nothing
that only the benchmark needs.
"""

from learnfrl.settings import *  # noqa: F403
from learnfrl.settings import MIDDLEWARE

MIDDLEWARE = ["tests.support.middleware.QueryCountHeaderMiddleware", *MIDDLEWARE]

# The app's URLs and one of the benchmark's own (bench.parts).
ROOT_URLCONF = "bench.parts"
