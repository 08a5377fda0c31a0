"""The word lists answer grading reads: words that name nothing (articles, titles), words that
change what an answer says (joining, denying, bounding), and words a learner may add beside an
answer (a place's kind, a prison term's). Pure."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ARTICLES = frozenset({"the", "a", "an"})
# Words that may stand before a name without changing whom it names.
# A woman's ("Mrs", "Ms") is not one: before a man's name it names someone else, and the article
# names no woman (an outside audit found "Mrs Ponomarev" right).
# Not "Sir" either: a knighthood none of the article's people holds ("Sir Putin" is false).
TITLES = frozenset({"president", "professor", "prof", "dr", "doctor", "mr"})
# Titles of an office: each says something of whom it stands beside, so it is set aside only beside
# a name of one who holds it (their name's words), with that office's country: "President Putin",
# "Professor Clarke", never "President Ponomarev" nor "Okhlopkov, president of Russia".
OFFICES = {
    "president": (frozenset({"putin", "vladimir"}), "russia"),
    **dict.fromkeys(("professor", "prof"), (frozenset({"clarke", "michael"}), "")),
}
# Words that join, weigh or deny: an answer that adds one says something else.
NEVER_FILLER = _words(
    "and or nor not no neither either but except never without versus vs plus also "
    "instead none nothing than between unlike both"
)
# Words that bound a number or a date: a prompt's "up to 20 years" never makes "up to 14 July
# 2022" the date (the words of a prison term are filler where the answer is one).
QUALIFIERS = _words(
    "up before after until till over under about around nearly almost least most more fewer less "
    "within approximately roughly"
)
# Words of a place's kind, which a learner may add or leave out: "Kursk region", "Kursk Oblast".
PLACE_WORDS = frozenset({"region", "regions", "oblast", "oblasts", "area", "district"})
# Words a learner may add to any answer: "Ukrainian intelligence services".
GENERIC_FILLER = frozenset({"of", "service", "services"})
# Words of a prison term, filler where the question is about one ("20 years in prison").
PENALTY_WORDS = _words(
    "in for up to prison jail imprisonment imprisoned years year behind bars term"
)
COUNTRIES = frozenset({"russia", "ukraine"})
# The country of each place an answer of the bank is (a city, a region, a district, a battle's
# town), as a learner may write after it: "Kyiv, Ukraine", "Moscow, Russia".
PLACE_COUNTRIES = {
    **dict.fromkeys(_words("kyiv kiev lysychansk lisichansk bakhmut"), "ukraine"),
    **dict.fromkeys(_words("moscow belgorod kursk shebekino"), "russia"),
    **dict.fromkeys(_words("grayvoronsky graivoronsky grayvoronskiy"), "russia"),
}
# Abbreviations of ordinary words, which describe where a name's name: "former Russian MP".
COMMON_ABBREVIATIONS = frozenset({"mp", "mps", "pow", "pows"})
# Bodies a country's adjective names, which the country itself does not: "the Russian
# government" is not Russia.
BODIES = _words("government governments authorities army armies forces troops military regime")
# Words that bound or place a number without saying what it counts ("up to 20", "20 in jail").
BESIDE_COUNT = frozenset({"in", "for", "up", "to", "behind"})
# Words after which "which" or "who" still asks ("of which bank", "and what else"); after any
# other word they begin a clause about it ("a man who had ties").
LEADING = _words(
    "about after against among and as at before behind by during for from in into of on or over "
    "since than through to under until with within without"
)
# Words that begin a clause of their own: after one, a question's last verb is that clause's.
CLAUSE_WORDS = _words("that which who whom whose because after before when while where since")
# A verb's past where it is not made by "-ed": "held on 5 April" of "did they hold …?".
IRREGULAR_PASTS = {
    "begin": "began", "bring": "brought", "build": "built", "come": "came", "fight": "fought",
    "find": "found", "flee": "fled", "get": "got", "give": "gave", "go": "went", "have": "had",
    "hold": "held", "keep": "kept", "lead": "led", "leave": "left", "lose": "lost", "make": "made",
    "meet": "met", "pay": "paid", "put": "put", "run": "ran", "say": "said", "see": "saw",
    "seek": "sought", "sell": "sold", "send": "sent", "set": "set", "shoot": "shot",
    "speak": "spoke", "spend": "spent", "stand": "stood", "take": "took", "tell": "told",
    "think": "thought", "win": "won", "write": "wrote",
}  # fmt: skip
# Verbs that report: what follows them is what was said, not what the question asks the time of.
REPORTING = _words(
    "say says said state states stated claim claims claimed announce announces announced report "
    "reports reported tell tells told write writes wrote confirm confirms confirmed deny denies "
    "denied allege alleges alleged"
)
# Verbs that help another: after a question's words that ask, the answer is what that verb acts
# on ("what did the Legion aim at creating?").
HELPING_VERBS = _words(
    "did does do was were is are has have had will would can could should may might must"
)
# A people and its adjective: the same as an answer's own word ("protect Ukrainian civilians"
# for "protect Ukrainians"), never its country ("New Russians" is not a New Russia), nor a word
# the learner adds ("rebellion against Russians" is not against the Russian government).
PEOPLES = {"russians": "russian", "ukrainians": "ukrainian"}


def people(one: str, other: str) -> bool:
    """Whether two words (as typed, lower case) are a people's and its adjective."""
    return PEOPLES.get(one) == other or PEOPLES.get(other) == one


# The months, whole and cut to three letters, as dates are written ("June 22", "22 Jun").
MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
MONTH_NUMBERS = {
    name: number
    for number, month in enumerate(MONTH_NAMES.split(), start=1)
    for name in (month, month[:3])
} | {"sept": 9}
MONTHS = frozenset(MONTH_NUMBERS)
# Words after a verb that begin no object of it: "Okhlopkov arrested on 22 June" is the news of
# his arrest, "Okhlopkov arrested the authorities" says he did it.
NO_OBJECT = LEADING | CLAUSE_WORDS | QUALIFIERS | NEVER_FILLER | HELPING_VERBS | MONTHS
