"""The question bank as each process keeps it: immutable values, re-checked every few seconds."""

import threading
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from types import MappingProxyType
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import Count, Max, Min, Q

from quizzes.enums import (
    QuestionKind,
)
from quizzes.models import (
    Category,
    Question,
)
from quizzes.rules import giveaways
from quizzes.rules.article import passage_sentences
from quizzes.rules.article_links import fact_sentence
from quizzes.rules.cloze import Cloze, cloze_read
from quizzes.rules.grading import normalise


@dataclass(frozen=True)
class ChoiceData:
    id: int
    text: str
    is_correct: bool


@dataclass(frozen=True)
class QuestionData:
    id: int
    slug: str
    fact_id: int
    fact_slug: str
    category_slug: str
    category_name: str
    kind: str
    prompt: str
    # What the card shows as right (a typed card's is its fact's answer).
    answer: str
    # Typed and cloze questions: every form of their fact (its answer first), so the twins of one
    # fact accept the same answers. Empty for the choice kinds.
    accepted_answers: tuple[str, ...]
    explanation: str
    passage: str
    passage_offset: int
    position: int
    is_active: bool
    choices: tuple[ChoiceData, ...]
    # The sentence of the article that holds what the question asks, where links to /article/
    # go (rules.article_links): a passage may span several.
    sentence_index: int

    @property
    def has_choices(self) -> bool:
        return QuestionKind(self.kind).has_choices

    @property
    def cloze(self) -> Cloze | None:
        """A cloze question's text around its blank (None for the other kinds)."""
        return cloze_read(self.prompt) if self.kind == QuestionKind.CLOZE else None

    @property
    def display_prompt(self) -> str:
        """The prompt as a list shows it: a cloze's text with its blank, never the words it hides
        (nor Anki's markers)."""
        cloze = self.cloze
        return cloze.front if cloze is not None else self.prompt

    @property
    def kind_label(self) -> str:
        return QuestionKind(self.kind).label

    @property
    def sentence_indexes(self) -> tuple[int, ...]:
        """The sentences of the article the passage touches."""
        return passage_sentences(self.passage_offset, len(self.passage))


@dataclass(frozen=True)
class Bank:
    version: "BankVersion"
    questions: dict[int, QuestionData]
    active: tuple[QuestionData, ...]
    categories: tuple[Category, ...]

    def category(self, slug: str | None) -> Category | None:
        """The bank's category with this slug, or None (no slug, or not one of the bank's)."""
        return next((c for c in self.categories if c.slug == slug), None) if slug else None

    def active_in(self, category_slug: str | None) -> tuple[QuestionData, ...]:
        if not category_slug:
            return self.active
        return tuple(q for q in self.active if q.category_slug == category_slug)

    def active_ids_in(self, category_slug: str | None) -> frozenset[int]:
        """The active questions' ids, of one category or (no slug) of all; none for a category
        the bank lacks."""
        return self._active_ids.get(category_slug or "", frozenset())

    @cached_property
    def _active_ids(self) -> Mapping[str, frozenset[int]]:
        by_category: defaultdict[str, set[int]] = defaultdict(set)
        for question in self.active:
            by_category[question.category_slug].add(question.id)
            by_category[""].add(question.id)
        return MappingProxyType({slug: frozenset(ids) for slug, ids in by_category.items()})

    @cached_property
    def fact_questions(self) -> Mapping[int, tuple[int, ...]]:
        """Each fact's questions' ids (withdrawn ones too)."""
        facts: defaultdict[int, list[int]] = defaultdict(list)
        for question in self.questions.values():
            facts[question.fact_id].append(question.id)
        return MappingProxyType({fact: tuple(ids) for fact, ids in facts.items()})

    @cached_property
    def new_card_order(self) -> Mapping[int, tuple[int, int, int]]:
        """Each active question's place among new cards, to sort by. New cards come one fact at
        a time, interleaved across facts (Anki's "card type, then order gathered"): the first
        question of every fact in the bank's order, then the second ones, and so on. The first
        of the three is the question's rank within its fact: how many active questions of the
        fact come before it. Worked out once a bank, not in the study queue's statement for
        every unseen question on every card shown (5 % of the study page)."""
        facts: defaultdict[int, list[QuestionData]] = defaultdict(list)
        for question in self.active:
            facts[question.fact_id].append(question)
        order = {}
        for siblings in facts.values():
            siblings.sort(key=lambda q: (q.position, q.id))
            for rank, question in enumerate(siblings):
                order[question.id] = (rank, question.position, question.id)
        return MappingProxyType(order)

    @cached_property
    def new_cards_in_order(self) -> tuple[int, ...]:
        """The active questions' ids in their order among new cards (new_card_order)."""
        return tuple(sorted(self.new_card_order, key=self.new_card_order.__getitem__))

    @cached_property
    def quiz_order(self) -> giveaways.QuizOrder:
        """Which active questions show which others' answers, for a quiz's pick and its order
        (rules.giveaways)."""
        return giveaways.QuizOrder.of(giveaways.answers_shown(map(_front, self.active)))

    @cached_property
    def shown_once_answered(self) -> Mapping[int, frozenset[int]]:
        """For each active question, the questions of other facts whose answer its card has shown
        once it is answered: its front's (quiz_order.shows), and its back's, with the answer, its
        explanation and the article's passage (a passage of one sentence may hold the answers of
        several facts, and decides the true/false statements written from it). A back is not read
        for a fact with the same answer as its own ("Caesar", "May 2023"): the learner gave that
        answer, and only a front tells the two apart."""
        fronts = self.quiz_order.shows
        # The back alone, without its wrong choices' excuse: prose that names the right choice
        # tells it, whatever else it names ("… abbr. ЛСР, romanized: LSR", beside "FRL").
        backs = giveaways.answers_shown(
            _front(q)._replace(shown=(q.answer, q.explanation, q.passage), decoys=())
            for q in self.active
        )
        statements = giveaways.statements_shown(
            giveaways.Quoted(
                q.id, q.fact_id, q.passage_offset, q.passage, q.kind == QuestionKind.TRUE_FALSE
            )
            for q in self.active
        )
        # A multiple-choice card's answer is its right choice's forms (_front).
        answers = {q.id: {normalise(form) for form in _front(q).forms} for q in self.active}
        return MappingProxyType(
            {
                q: fronts.get(q, frozenset())
                | statements[q]
                | frozenset(other for other in shown if answers[q].isdisjoint(answers[other]))
                for q, shown in backs.items()
            }
        )

    def questions_touching(self, sentence_index: int) -> frozenset[int]:
        """Return the active questions whose passage touches the given sentence."""
        return frozenset(q.id for q in self.active if sentence_index in q.sentence_indexes)


def _front(q: QuestionData, *back: str) -> giveaways.Front:
    """What a question shows before it is answered (and, with `back`, after), and the answers it
    is graded by."""
    return giveaways.Front(
        id=q.id,
        fact_id=q.fact_id,
        shown=(q.display_prompt, *(c.text for c in q.choices), *back),
        forms=q.accepted_answers
        or giveaways.choice_forms(q.display_prompt, _choices(q, right=True)),
        decoys=_choices(q, right=False),
    )


def _choices(question: QuestionData, *, right: bool) -> tuple[str, ...]:
    """A multiple-choice question's right (or wrong) choices' texts; none for another kind."""
    if question.kind != QuestionKind.MULTIPLE_CHOICE:
        return ()
    return tuple(c.text for c in question.choices if c.is_correct == right)


_bank_lock = threading.Lock()
_bank_cache: dict[str, Any] = {"bank": None, "checked": 0.0}


class BankVersion(NamedTuple):
    """What changes whenever a question does, or a category (learners' pages show its name, and
    list it with no question). Ids are part of it: a rebuilt database can repeat counts and times,
    not ids."""

    questions: int
    active: int
    first_id: int | None
    last_id: int | None
    changed: datetime | None
    # A fact's forms grade its questions: a change to a fact is a change to the bank.
    fact_changed: datetime | None
    categories: int
    last_category_id: int | None
    category_changed: datetime | None


def _bank_version() -> BankVersion:
    # Over the categories, each joined to its questions (every question has one, so each is met
    # once): a category of no question, or one renamed, changes it too.
    row = Category.objects.aggregate(
        count=Count("questions"),
        active=Count("questions", filter=Q(questions__is_active=True)),
        first=Min("questions__id"),
        last=Max("questions__id"),
        changed=Max("questions__updated_at"),
        fact_changed=Max("questions__fact__updated_at"),
        categories=Count("id", distinct=True),
        last_category=Max("id"),
        category_changed=Max("updated_at"),
    )
    return BankVersion(
        row["count"],
        row["active"],
        row["first"],
        row["last"],
        row["changed"],
        row["fact_changed"],
        row["categories"],
        row["last_category"],
        row["category_changed"],
    )


def fact_forms(kind: str, answer: str, accepted: list[str]) -> tuple[str, ...]:
    """The forms a question of this kind is graded by: its fact's answer and accepted forms for a
    typed or cloze question, none for a choice question."""
    if QuestionKind(kind).has_choices:
        return ()
    return tuple(dict.fromkeys(form for form in (answer, *accepted) if form.strip()))


def _fact_sentence(question: Question) -> int:
    """The sentence of the article a link to the question goes to: where its answer, or its
    fact's, stands (rules.article_links)."""
    cloze = question.cloze
    fact = question.fact
    return fact_sentence(
        offset=question.passage_offset,
        passage=question.source_passage,
        # A typed card's answer is its fact's, a cloze's the words it hides, a multiple-choice
        # card's its right choice; a true/false card's ("True") is left out by the rule.
        answers=(
            question.answer,
            *(c.text for c in question.choices.all() if c.is_correct),
            fact.answer,
            *fact.accepted_answers,
        ),
        prompt=cloze.front if cloze is not None else question.prompt,
    )


def _bank_build(version: BankVersion) -> Bank:
    questions = {}
    for q in Question.objects.select_related("category", "fact").prefetch_related("choices"):
        questions[q.pk] = QuestionData(
            id=q.pk,
            slug=q.slug,
            fact_id=q.fact_id,
            fact_slug=q.fact.slug,
            category_slug=q.category.slug,
            category_name=q.category.name,
            kind=q.kind,
            prompt=q.prompt,
            answer=q.answer,
            accepted_answers=fact_forms(q.kind, q.fact.answer, q.fact.accepted_answers),
            explanation=q.explanation,
            passage=q.source_passage,
            passage_offset=q.passage_offset,
            position=q.position,
            is_active=q.is_active,
            choices=tuple(ChoiceData(c.pk, c.text, c.is_correct) for c in q.choices.all()),
            sentence_index=_fact_sentence(q),
        )
    active = tuple(sorted((q for q in questions.values() if q.is_active), key=lambda q: q.position))
    return Bank(version, questions, active, tuple(Category.objects.all()))


def bank_cache_clear() -> None:
    """Forget this process's copy of the bank (tests rebuild the database under it)."""
    with _bank_lock:
        _bank_cache.update(bank=None, checked=0.0)


def bank_current(*, fresh: bool = False) -> Bank:
    """Return the question bank, rebuilt only when a question, a fact or a category has changed.

    The bank is small and read on every card, so each process keeps it in memory and checks it
    against the database at most every BANK_CACHE_SECONDS (one aggregate query); `fresh`, now.
    """
    ttl = getattr(settings, "BANK_CACHE_SECONDS", 2.0)
    now = time.monotonic()
    bank: Bank | None = _bank_cache["bank"]
    if bank is not None and not fresh and now - _bank_cache["checked"] < ttl:
        return bank
    version = _bank_version()
    if bank is None or bank.version != version:
        with _bank_lock:
            bank = _bank_build(version)
            _bank_cache["bank"] = bank
    _bank_cache["checked"] = now
    return bank
