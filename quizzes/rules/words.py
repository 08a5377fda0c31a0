"""A word as grading reads it, and a text read into words. Pure."""

from dataclasses import dataclass, replace

from quizzes.rules.word_lists import ARTICLES, COUNTRIES


@dataclass(frozen=True)
class Word:
    """A word as grading reads it: `text` folded for comparison, `raw` as typed (lower case)."""

    text: str
    raw: str
    name: bool = False  # capitalised where it was written: part of a name, slips forgiven
    initial: bool = False  # one letter, as in "V. Putin"
    first_name: bool = False  # a name's word before another: an initial may stand for it
    listed: bool = False  # after a comma, or in three words hyphened: a list's ("white-blue-white")
    # An ordinary word of a form that another form leaves out ("channel" of "Telegram channel"
    # where "Telegram" is right): a slip in it may land on another English word ("Telegram
    # chanel", "along the boarder"), since the answer stands without it.
    optional: bool = False

    @property
    def article(self) -> bool:
        return self.text in ARTICLES and not self.initial


@dataclass(frozen=True)
class Reading:
    """A text read as words, and how it was read ("abbreviation", "number", "reordered")."""

    words: tuple[Word, ...]
    ways: frozenset[str]
    plain: tuple[Word, ...]  # the words in the order written, for a name with words around it

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(w.text for w in self.words)


def _left_out(longer: tuple[str, ...], shorter: tuple[str, ...]) -> range:
    """The places of `longer`'s words after `shorter`, where `shorter` is its first words, as
    written. Only those: a word before ("former physiotherapist", "battle of Bakhmut") says what
    the answer is, and a slip there may say something else ("farmer", "bottle")."""
    fits = 0 < len(shorter) < len(longer) and longer[: len(shorter)] == shorter
    return range(len(shorter), len(longer)) if fits else range(0)


def optional_marked(readings: tuple[Reading, ...]) -> tuple[Reading, ...]:
    """The forms, each ordinary word that stands after a shorter form's words marked `optional`
    (never a name's word, a country's, an article or a number), unless a form has it anywhere
    but after a shorter one: "battle" of "Bakhmut battle" is not, where "battle of Bakhmut" is
    right too (a learner's "bottle of Bakhmut" reads as "Bakhmut bottle")."""
    written = [tuple(w.text for w in reading.plain) for reading in readings]
    places = [{i for other in written for i in _left_out(texts, other)} for texts in written]
    kept = {
        t
        for texts, at in zip(written, places, strict=True)
        for i, t in enumerate(texts)
        if i not in at
    }
    marked = []
    for reading, at in zip(readings, places, strict=True):
        optional = {
            id(w)
            for i, w in enumerate(reading.plain)
            if i in at
            and w.text not in kept
            and not (w.name or w.initial or w.article or w.text in COUNTRIES)
            and w.text.isalpha()
        }
        if not optional:
            marked.append(reading)
            continue
        new = {id(w): replace(w, optional=True) for w in reading.words if id(w) in optional}
        marked.append(
            replace(
                reading,
                words=tuple(new.get(id(w), w) for w in reading.words),
                plain=tuple(new.get(id(w), w) for w in reading.plain),
            )
        )
    return tuple(marked)


def adjective_for_country(given: tuple[Word, ...], form: tuple[Word, ...]) -> bool:
    """Whether an answer ends in a country's adjective where its form ends in the country: "a
    New Russian" is someone, "a New Russia" a country. Read form by form: "Supreme Court of
    Russian" is another form's "Russian Supreme Court" reordered."""
    if not given or not form or form[0].raw not in COUNTRIES:
        return False
    return given[0].text == form[0].text and given[0].raw != given[0].text


def in_place(form: Reading) -> Reading:
    """A form as written where reading it moved its country across what it says ("repel the
    Russian invasion" is not "Russia repel the invasion"); a name's ("Russian FSB") or one at its
    end ("FSB of Russia") may move. A learner's answer moves: "former Russian POWs" is the
    "former POWs" of a Russian question."""
    first, plain = form.words[0] if form.words else None, form.plain
    if first is None or first.text not in COUNTRIES or first is plain[0]:
        return form
    at = next((i for i, w in enumerate(plain) if w is first), 0)
    of_end = at == len(plain) - 1 and plain[at - 1].text == "of"
    if of_end or all(w.name for w in plain[:at]):
        return form
    return replace(form, words=plain)


def initials_for_names(readings: tuple[Reading, ...]) -> tuple[Reading, ...]:
    """The forms, an initial standing for a first word only where the rest is a form too: a
    person's surname alone ("V. Putin" where "Putin" is right), never another name's first word
    ("S. Battalion" for the Sibir Battalion, "R. Imperial Movement")."""
    keys = {reading.key for reading in readings}

    def plain(words: tuple[Word, ...]) -> tuple[Word, ...]:
        return tuple(replace(w, first_name=False) for w in words)

    return tuple(
        r
        if tuple(w.text for w in r.words if not w.first_name) in keys
        else replace(r, words=plain(r.words), plain=plain(r.plain))
        for r in readings
    )
