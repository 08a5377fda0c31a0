"""What a question already says, read once, for grading: the words a learner may add around an
answer, and where. Pure."""

from dataclasses import dataclass
from typing import NamedTuple


class Roles(NamedTuple):
    """What the answer's sentence in a prompt says of who did what (`prompt_roles.answer_roles`)."""

    # Verbs in the past another does, or that are done to what they follow: right after the
    # answer and before what they act on, they say the answer did it ("Okhlopkov arrested the
    # authorities").
    others: frozenset[str] = frozenset()
    # Verbs the answer does.
    acts: frozenset[str] = frozenset()
    # Verbs done to another, which "was" or "were" after the answer says were done to it
    # ("Telegram was created" of "On which platform was the channel created?").
    passives: frozenset[str] = frozenset()
    # Of the others, those that say something false after the answer whatever follows: done to
    # another ("Telegram created", "Lysychansk captured": the channel was, a POW was), or before
    # "to" or "that", where nothing is done to their subject ("Ponomarev agreed"). Not one done
    # to "him" ("Okhlopkov accused": the authorities accused him).
    always: frozenset[str] = frozenset()
    # The words of the others' subjects ("channel" of "was the Legion's official channel
    # created"): one of them before the verb is who does it ("Telegram channel was created").
    subjects: frozenset[str] = frozenset()


NO_ROLES = Roles()


@dataclass(frozen=True)
class Question:
    """What a question already says, read once: the words a learner may add around an answer."""

    # The question's words (and countries) a learner may add before the answer, and after it.
    before: frozenset[str]
    after: frozenset[str]
    # Countries a learner may leave out: those the question itself names.
    droppable: frozenset[str]
    # Countries a learner may add between the answer's words: the one its forms name ("the
    # Russian Volunteer Corps and the Russian Sibir Battalion"), never one the prompt alone
    # names ("Kursk and Russian Belgorod"), nor either of two ("the Ukrainian invasion of
    # Russia" is not "the Russian invasion of Ukraine"). Before and after the answer, the
    # countries the fact is about are among `before` and `after` ("FSB of Russia").
    inside: frozenset[str]
    # The article's words: a typed word among them is never a slip of another ("hundred" is no
    # slip of "hundreds", "Lehion" none of "Legion").
    other_words: frozenset[str] = frozenset()
    # What a number counts (stems), the only word a learner may add right after it ("20 years",
    # "three men"): never another word of the prompt ("20 citizens", "20 Russian years").
    units: frozenset[str] = frozenset()
    # The kinds of place a learner may add ("Kursk region"): those the question or a form says.
    places: frozenset[str] = frozenset()
    # Words of a question after its word that asks which stand before the answer only with the
    # preposition before that word (`lead`): "captured in the Lysychansk area" of "In which area
    # … had it captured a POW?", never "captured Lysychansk" (nor "arrested the FSB" of "Which
    # agency arrested a man …?", which has none).
    led: frozenset[str] = frozenset()
    lead: str = ""
    # The words before the preposition that asks (`lead`): they stand before the answer only
    # with it ("lead a march on Moscow", never "lead Moscow"), where what is asked for ("city
    # Moscow") and a country may stand alone.
    headed: frozenset[str] = frozenset()
    # Countries the prompt or a form says: by name ("Russia", "Ukraine's"), or by an adjective
    # before a word that is no body ("Russian regions"; the next word only is read, so "Russian
    # Armed Forces" counts). Only these stand as the country itself beside the answer
    # ("rebellion against Russia" is not "against the Russian government").
    nouns: frozenset[str] = frozenset()
    # The country of the place the answer is (`countries.of_place`), which a learner may write
    # after it ("Kyiv, Ukraine", "Kyiv in Ukraine").
    located: frozenset[str] = frozenset()
    # Those of them that only a place makes a word to add: they stand last ("Kyiv, Ukraine",
    # never "Grayvoronsky Russian District").
    last_only: frozenset[str] = frozenset()
    # Who does each verb in the past of the answer's sentence (`prompt_roles.answer_roles`),
    # whose subjects' words are not what the question says the answer is.
    roles: Roles = NO_ROLES
    # What the question says the answer is ("anti-war activist"): words that may stand between
    # the answer and its verb, and after a verb describe the answer ("Okhlopkov, arrested
    # activist"), never what the verb acts on.
    describes: frozenset[str] = frozenset()
    # Of those, the words it says only of what the answer was (`prompt_words.formerly`): "mp"
    # of "a former Russian MP" stands beside the answer only after "former" or "ex-".
    formerly: frozenset[str] = frozenset()
    # What a form's number names rather than counts ("article" of "Article 23"): after the
    # number, the question's words place it ("Article 23 of the Geneva Convention").
    labels: frozenset[str] = frozenset()
