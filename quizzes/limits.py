"""The learning domain's limits, defined once: models, forms, rules and templates read them here."""

# What a learner may type as an answer (study and quizzes alike).
MAX_RESPONSE_LENGTH = 500

# Desired retention: below 0.80 reviews come too late to be worth it, above 0.97 too often.
RETENTION_MIN = 0.80
RETENTION_MAX = 0.97
RETENTION_DEFAULT = 0.90
NEW_PER_DAY_DEFAULT = 20
NEW_PER_DAY_MAX = 500
MAX_REVIEWS_PER_DAY_DEFAULT = 200
MAX_REVIEWS_PER_DAY_MAX = 5000
# The daily goal: reviews a day the learner aims at, shown beside the streak; 0 is no goal.
DAILY_GOAL_DEFAULT = 0
DAILY_GOAL_MAX = 5000

# The learner's day: the hour (local time) their next day starts, 4 a.m. as in Anki; and how far
# ahead a learning card is shown when nothing else is due (Anki's learn-ahead limit, 20 minutes).
DAY_STARTS_AT_MIN = 0
DAY_STARTS_AT_MAX = 23
DAY_STARTS_AT_DEFAULT = 4
LEARN_AHEAD_MINUTES_DEFAULT = 20
LEARN_AHEAD_MINUTES_MAX = 24 * 60
TIME_ZONE_LENGTH = 64

# Quizzes: the lengths offered and the seconds each question gets.
QUIZ_LENGTHS = (5, 10, 20)
QUIZ_LENGTH_DEFAULT = 10
SECONDS_PER_QUESTION_MIN = 2
SECONDS_PER_QUESTION_MAX = 300
SECONDS_PER_QUESTION_DEFAULT = 30

# The workload simulator: the desired retentions it tries (0.70, 0.71, … 0.97), the days it plays
# forward (the first month and the year), and how many ratings of a kind a learner needs before
# their own rating habits replace the defaults (below that their proportions are too noisy).
SIMULATED_RETENTIONS = tuple(round(0.70 + n / 100, 2) for n in range(28))
SIMULATED_DAYS_SHORT = 30
SIMULATED_DAYS_LONG = 365
MIN_RATINGS_FOR_ODDS = 50

# The question bank's field lengths, shared by the file loader, the admin and the tables.
MAX_LENGTHS = {
    "category_slug": 50,
    "category_name": 80,
    "slug": 120,
    "prompt": 500,
    "answer": 200,
    "explanation": 1000,
    "claim": 1000,
    "passage": 2000,
    "choice": 200,
    "accepted_answer": 200,
}
MIN_CHOICES, MAX_CHOICES = 3, 6
# A fact's accepted forms: each is tried against every typed answer, so their number bounds
# grading's time (20,000 forms made one answer take a minute; the bank's most is 9).
MAX_ACCEPTED_ANSWERS = 40

# The choice columns' widths: each holds its enum's longest value (a test checks).
CHOICE_LENGTHS = {
    "question_kind": 20,
    "leech_action": 10,
    "fit_status": 12,
    "fit_outcome": 10,
    "origin": 5,
    "hold_kind": 10,
    "attempt_state": 10,
    "attempt_ending": 20,
    "report_status": 10,
    "claim_status": 10,
    "marked_right_by": 10,
    "card_edit_kind": 10,
}
MAX_CLAIM_REASON_LENGTH = 1000
# A background task's id as django-tasks gives it.
TASK_ID_LENGTH = 64

# A signed card token is about 150 characters; anything much longer was not made by us.
MAX_CARD_TOKEN_LENGTH = 500

# A learner's report of a wrong or unclear question: a short comment, and how many an hour.
MAX_REPORT_COMMENT_LENGTH = 500

# Leeches: a card forgotten this many times after being learned (Anki's default) is a leech.
LEECH_THRESHOLD_DEFAULT = 8
LEECH_THRESHOLD_MIN = 1
LEECH_THRESHOLD_MAX = 99

# The cards page: rows per page, and how long a prompt search may be.
CARDS_PER_PAGE = 50
CARDS_SEARCH_MAX_LENGTH = 100
# "Set due date" moves a card at most this many days ahead (Anki's syntax: "3" or "3-7").
SET_DUE_MAX_DAYS = 3650
SET_DUE_MAX_LENGTH = 20
# The cards page's bulk form carries the address to come back to (the filtered list).
CARDS_BACK_MAX_LENGTH = 2000
# "Optimize my schedule": a run no worker took up this long after it was asked for lost its
# worker, or never had one, and may be asked for again.
FIT_ABANDONED_MINUTES = 15
# How long a worker waits for a fit (fsrs-rs on every core, at a low priority) before it fails
# the run. A run a worker took up and left unfinished this long after (the wait, and a margin for
# the rescheduling) lost its worker.
FIT_SECONDS = 10 * 60
FIT_RUNNING_ABANDONED_MINUTES = 30

# Custom study: how many more new cards a learner may ask for at once, and how far ahead they may
# review (in their days).
EXTRA_NEW_MAX = 999
REVIEW_AHEAD_DAYS_MAX = 365
