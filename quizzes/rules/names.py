"""The names in an answer: the titles before them, and one order for an official name's words
("FSB of Russia" is "Russian FSB"). Pure."""

from quizzes.rules.article import lower_words, name_words
from quizzes.rules.english import is_english
from quizzes.rules.numerals import is_count
from quizzes.rules.word_lists import COUNTRIES, TITLES
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
        drop = {at} | ({at - 1} if at > 0 and texts[at - 1] == "of" else set())
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
    ordinary words, but after "of" ("wanting Russia to join" is no Russian wish)."""
    acted_on = at >= 2 and words[at - 1].text == "of" and words[at - 2].text in ACTS
    amid = 0 < at < len(words) - 1
    named = amid and words[at - 1].name and words[at + 1].name
    acting = amid and words[at].raw in COUNTRIES and words[at - 1].text != "of"
    acting = acting and not words[at + 1].name
    return acted_on or named or acting or (at > 0 and is_count(words[at - 1].text))


def is_title(words: list[Word], i: int) -> bool:
    """A title before a name, in any case ("president putin", "Mr Nikolai Okhlopkov", "Dr V.
    Putin"), never before an article or an ordinary word, capitalised or not ("Doctor
    Physiotherapist")."""
    if words[i].text not in TITLES or i + 1 == len(words):
        return False
    name = words[i + 1 : i + 3]
    # A first name before a surname: capitalised, or typed in lower case before one of the
    # article's names ("mr nikolai okhlopkov"), never an ordinary word ("war criminal putin").
    first_name = len(name) == 2 and not name[0].article and name[0].text not in lower_words()
    first_name = first_name and (
        (name[0].name and name[1].name) or name[1].initial or name[1].text in name_words()
    )
    return _a_name(name[0]) or first_name


def _a_name(word: Word) -> bool:
    """Whether a word is a name's: an initial, one of the article's names, or a word of five
    letters or more that is no English one ("volobuev")."""
    if word.initial or word.text in name_words():
        return True
    return len(word.raw) >= 5 and not is_english(word.raw)
