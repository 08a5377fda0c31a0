"""The names in an answer: the titles before them, and one order for an official name's words
("FSB of Russia" is "Russian FSB"). Pure."""

from functools import lru_cache

from rapidfuzz.distance import OSA

from quizzes.rules.article import name_words
from quizzes.rules.english import is_english
from quizzes.rules.numerals import is_count
from quizzes.rules.slips import stem
from quizzes.rules.word_lists import COUNTRIES, OFFICES, TITLES
from quizzes.rules.words import Word

_LISTING = frozenset({"and", "or"})
ACTS = frozenset({"invasion", "invasions"})  # nouns of an act, whose "of" names whom it befalls


def order(words: list[Word]) -> tuple[list[Word], bool]:
    """One order for each name of a list ("Kursk and Russian Belgorod": "Kursk", then
    "Russian Belgorod"; a country never moves from one name to another). A country every name
    gives ("Kursk, Russia and Belgorod, Russia") is said once, before the first."""
    names: list[list[Word]] = []
    moved = False
    start = 0
    ends = [i for i, w in enumerate(words) if w.text in _LISTING]
    for end in [*ends, len(words)]:
        name, name_moved = _name_order(words[start:end])
        names.append(name)
        moved = moved or name_moved
        start = end + 1
    firsts = {n[0].text if len(n) > 1 else None for n in names}
    if len(names) > 1 and len(firsts) == 1 and firsts <= COUNTRIES:
        names = [names[0], *(n[1:] for n in names[1:])]
        moved = True
    ordered = [*names[0]]
    for end, name in zip(ends, names[1:], strict=True):
        ordered += [words[end], *name]
    return ordered, moved


def _name_order(words: list[Word]) -> tuple[list[Word], bool]:
    """One order for an official name: its one country first, "A of B" at the end as "B A",
    and two countries side by side in one order."""
    # Two countries side by side name what is between them in either order: the Russia-Ukraine
    # war is the Ukraine-Russia war (as written: "the Russian invasion of Ukraine" keeps
    # its order).
    moved = False
    for i in range(len(words) - 1):
        pair = words[i : i + 2]
        if all(w.text in COUNTRIES for w in pair) and pair[0].text > pair[1].text:
            words = [*words[:i], pair[1], pair[0], *words[i + 2 :]]
            moved = True
    texts = [w.text for w in words]
    countries = [i for i, t in enumerate(texts) if t in COUNTRIES]
    # Its one country, wherever it stands ("FSB of Russia", "former Russian POWs"), unless it stays.
    if len(countries) == 1 and len(words) > 1 and not _stays(words, countries[0]):
        at = countries[0]
        # "FSB of Russia" leaves its "of"; "rebellion of the Russian government" keeps it.
        of = at > 0 and texts[at - 1] == "of"
        of = of and (at == len(words) - 1 or words[at].raw == words[at].text)
        drop = {at} | ({at - 1} if of else set())
        rest = [w for i, w in enumerate(words) if i not in drop]
        moved = at != 0
        words = [words[at], *rest]
    # (Never "20 of the citizens": a number of something is no name.)
    a_of_b = len(words) >= 3 and words[-2].text == "of" and not is_count(words[-3].text)
    a_of_b = a_of_b and not words[-1].text.isdigit()
    if a_of_b and not _stays(words, len(words) - 1):
        words = [*words[:-3], words[-1], words[-3]]
        moved = True
    return words, moved


def _stays(words: list[Word], at: int) -> bool:
    """A country amid a proper name's words makes another name ("Ilya Russian Ponomarev"); one an
    act befalls is not the actor ("the invasion of Ukraine" is no Ukrainian invasion); one after
    a number is no country of the answer's ("20 Russian years"); nor is the country itself amid
    ordinary words, but after "of" ("wanting Russia to join" is no Russian wish), nor its
    adjective after "of" ("prisoners of Russian war", "rebellion of the Russian government")."""
    acted_on = at >= 2 and words[at - 1].text == "of" and words[at - 2].text in ACTS
    amid = 0 < at < len(words) - 1
    named = amid and words[at - 1].name and words[at + 1].name
    noun = words[at].raw in COUNTRIES
    acting = amid and noun and words[at - 1].text != "of" and not words[at + 1].name
    describing = amid and not noun and words[at - 1].text == "of"
    return acted_on or named or acting or describing or (at > 0 and is_count(words[at - 1].text))


def is_title(words: list[Word], i: int) -> bool:
    """A title before a name, in any case ("president putin", "Mr Nikolai Okhlopkov", "mr
    nikolai okhlopkov", "Dr V. Putin"), never before an article or an ordinary word,
    capitalised or not ("Doctor Physiotherapist", "Doctor oppose Putin")."""
    if words[i].text not in TITLES or i + 1 == len(words):
        return False
    name = words[i + 1 : i + 3]
    if name[0].text in TITLES:
        # "Prof. Dr. Michael Clarke"
        at = next((j for j in range(i + 1, len(words)) if words[j].text not in TITLES), i + 1)
        return is_title(words, i + 1) and _holds(words[i].text, _name_at(words, at, 1))
    # A capitalised first name before a name ("Mr Dmitri Okhlopkov"), never before an ordinary
    # word ("Doctor Physical Therapist").
    first_name = len(name) == 2 and name[0].name
    first_name = first_name and name[1].text not in COUNTRIES and _a_name(name[1])
    return (_a_name(name[0]) or first_name) and _holds(words[i].text, _name_at(words, i + 1, 1))


def _name_at(words: list[Word], at: int, step: int) -> list[Word]:
    """A name's words from words[at] on (`step` 1) or back (-1): its initials and first names
    too ("V. V. Putin"), up to four."""
    name: list[Word] = []
    while 0 <= at < len(words) and len(name) < 4 and (_a_name(words[at]) or words[at].name):
        name.append(words[at])
        at += step
    return name


def _holds(title: str, name: list[Word]) -> bool:
    """Whether a name's words are of one who holds the office a title names (`OFFICES`), or
    one letter from them ("President Vladimir Putn"); any name holds any other title."""
    office = OFFICES.get(title)
    return office is None or any(
        w.text in office[0] or any(OSA.distance(w.text, h, score_cutoff=1) <= 1 for h in office[0])
        for w in name
        if len(w.text) >= 4
    )


def title_phrases(words: list[Word]) -> frozenset[int]:
    """Where a title of a country ("president of Russia", "the President of the Russian
    Federation", "the Russian president", "Russia's president") stands beside a name of one who
    holds it, before or after it: the indexes of the title, its "of" and an article before it,
    and its country where that is the office's own (`OFFICES`). Another country stays, to be a
    word the question says, or not ("Putin, president of Ukraine" is false)."""
    found: set[int] = set()
    for i in range(len(words) - 2):
        if words[i].text not in TITLES or words[i + 1].text != "of":
            continue
        end = past_articles(words, i + 2, 1)
        if end == len(words) or words[end].text not in COUNTRIES:
            continue
        start = past_articles(words, i - 1, -1)
        if _beside_holder(words, words[i].text, start, end + 1):
            # The office's own country is set aside with it: "Putin, president of Russia" is
            # true whatever the question names.
            own = OFFICES.get(words[i].text, ((), ""))[1] == words[end].text
            found |= set(range(start + 1, end + 1 if own else i + 2))
    # "the Russian president Putin", "Putin, Russia's president": an office of its own country.
    for i in range(1, len(words)):
        office = OFFICES.get(words[i].text)
        if office and words[i - 1].text == office[1]:
            start = past_articles(words, i - 2, -1)
            if _beside_holder(words, words[i].text, start, i + 1):
                found |= set(range(start + 1, i + 1))
    return frozenset(found)


def _beside_holder(words: list[Word], title: str, before: int, after: int) -> bool:
    """Whether a name of one who holds `title` stands at words[before] (its end) or from
    words[after] on."""
    named_before = before >= 0 and _a_name(words[before])
    named_before = named_before and _holds(title, _name_at(words, before, -1))
    named_after = after < len(words) and _a_name(words[after])
    return named_before or (named_after and _holds(title, _name_at(words, after, 1)))


def past_articles(words: list[Word], at: int, step: int) -> int:
    """The index of the first word from `at` on (`step` 1) or back (-1) that is no article."""
    while 0 <= at < len(words) and words[at].article:
        at += step
    return at


def _a_name(word: Word) -> bool:
    """Whether a word is a name's: an initial, one of the article's names or one letter from one
    ("Clark", "Cesar", "nikolai"), or a word of five letters or more that is no English one
    ("volobuev")."""
    if word.initial or word.text in name_words() or _near_name(word.text):
        return True
    return len(word.raw) >= 5 and not is_english(word.raw)


@lru_cache(maxsize=1024)
def _near_name(text: str) -> bool:
    return len(text) >= 4 and any(
        OSA.distance(text, name, score_cutoff=1) <= 1 and stem(text) != stem(name)
        for name in name_words()
        if len(name) >= 4
    )
