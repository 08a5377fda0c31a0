"""Reads of learners' phrasings: the editors' queue, grouped by fact and phrasing, each with what
an editor needs to judge it (the fact's questions, answer, accepted forms and passage)."""

from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet

from quizzes.claims.services import TYPED_KINDS
from quizzes.enums import ClaimStatus, PhrasingsShown, QuestionKind
from quizzes.models import AnswerClaim, Fact, Question

QUEUE_LENGTH = 200


class QuestionShown(NamedTuple):
    """A typed or cloze question of a fact as an editor reads it: a cloze with its blank."""

    kind: str
    text: str
    is_active: bool


class FactShown(NamedTuple):
    """A fact as an editor judges a phrasing of it: its claim, its answer and accepted forms, its
    passage of the article and its typed and cloze questions (those the forms grade)."""

    id: int
    slug: str
    claim: str
    answer: str
    accepted: list[str]
    passage: str
    questions: list[QuestionShown]


class PhrasingGroup(NamedTuple):
    """One phrasing of one fact in the queue: how many learners gave it, in how many answers, how
    many of those learners said "I was right", and one way it was written."""

    fact: FactShown
    normalised: str
    response: str
    learners: int
    given: int
    claimers: int

    @property
    def fact_id(self) -> int:
        return self.fact.id

    @property
    def fact_slug(self) -> str:
        return self.fact.slug


class Queue(NamedTuple):
    """The queue as one filter shows it, and how many phrasings wait under each filter."""

    groups: list[PhrasingGroup]
    shown: PhrasingsShown
    counts: dict[PhrasingsShown, int]

    @property
    def total(self) -> int:
        """How many phrasings wait under the filter."""
        return self.counts[self.shown]

    @property
    def cut(self) -> bool:
        """More phrasings wait under the filter than the page lists."""
        return self.total > len(self.groups)


def _grouped() -> QuerySet[AnswerClaim, dict[str, Any]]:
    """Pending claims grouped by fact and phrasing, with the learners who gave and claimed it."""
    return (
        AnswerClaim.objects.filter(status=ClaimStatus.PENDING)
        .values("fact_id", "normalised")
        .annotate(claimers=Count("user", distinct=True, filter=Q(claimed=True)))
    )


_FILTERS = {
    PhrasingsShown.ALL: Q(),
    PhrasingsShown.CLAIMED: Q(claimers__gt=0),
    PhrasingsShown.REFUSED: Q(claimers=0),
}


def facts_shown(fact_ids: Iterable[int]) -> dict[int, FactShown]:
    """The facts named, as an editor judges a phrasing of them (two queries)."""
    questions = Question.objects.filter(kind__in=TYPED_KINDS).only(
        "fact_id", "kind", "prompt", "is_active"
    )
    facts = (
        Fact.objects.filter(pk__in=set(fact_ids))
        .only("slug", "claim", "answer", "accepted_answers", "source_passage")
        .prefetch_related(Prefetch("questions", queryset=questions))
    )
    return {fact.pk: _fact_shown(fact) for fact in facts}


def _fact_shown(fact: Fact) -> FactShown:
    return FactShown(
        id=fact.pk,
        slug=fact.slug,
        claim=fact.claim,
        answer=fact.answer,
        accepted=list(fact.accepted_answers),
        passage=fact.source_passage,
        questions=[_question_shown(q) for q in fact.questions.all()],
    )


def _question_shown(question: Question) -> QuestionShown:
    cloze = question.cloze
    return QuestionShown(
        kind=QuestionKind(question.kind).label,
        text=cloze.front if cloze is not None else question.prompt,
        is_active=question.is_active,
    )


def phrasings_pending(
    *, shown: PhrasingsShown = PhrasingsShown.ALL, limit: int = QUEUE_LENGTH
) -> Queue:
    """Pending phrasings grouped by fact and normalised phrasing, those learners said were right
    first, then the most learners first; with their facts, and the count under each filter (four
    queries, however many phrasings wait)."""
    rows = list(
        _grouped()
        .annotate(
            response=Max("response"),
            learners=Count("user", distinct=True),
            given=Count("id"),
        )
        .filter(_FILTERS[shown])
        .order_by("-claimers", "-learners", "-given", "fact_id", "normalised")[:limit]
    )
    facts = facts_shown(row["fact_id"] for row in rows)
    groups = [
        PhrasingGroup(
            fact=facts[row["fact_id"]],
            **{name: row[name] for name in PhrasingGroup._fields if name != "fact"},
        )
        for row in rows
        if row["fact_id"] in facts  # else deleted since, its claims with it
    ]
    counted = _grouped().aggregate(
        every=Count("normalised"), claimed=Count("normalised", filter=Q(claimers__gt=0))
    )
    counts = {
        PhrasingsShown.ALL: counted["every"],
        PhrasingsShown.CLAIMED: counted["claimed"],
        PhrasingsShown.REFUSED: counted["every"] - counted["claimed"],
    }
    return Queue(groups=groups, shown=shown, counts=counts)


class SelectedPhrasing(NamedTuple):
    """A waiting phrasing some claims chosen in the claims' list belong to: its fact, one way it
    was written, and how many of its waiting claims (selected or not) and learners a rejection
    would close."""

    fact_slug: str
    normalised: str
    response: str
    claims: int
    learners: int


def pending_of_selected(selected: QuerySet[AnswerClaim]) -> QuerySet[AnswerClaim]:
    """Every waiting claim of a phrasing (fact and normalised form) one of `selected` waits with:
    a phrasing is decided whole, as the queue decides it."""
    alike = selected.filter(
        status=ClaimStatus.PENDING, fact_id=OuterRef("fact_id"), normalised=OuterRef("normalised")
    )
    return AnswerClaim.objects.filter(status=ClaimStatus.PENDING).filter(Exists(alike))


def phrasings_selected(selected: QuerySet[AnswerClaim]) -> list[SelectedPhrasing]:
    """The waiting phrasings of the claims selected, by fact then phrasing (one query)."""
    rows = (
        pending_of_selected(selected)
        .values("fact_id", "normalised")
        .annotate(
            fact_slug=Max("fact__slug"),
            response=Max("response"),
            claims=Count("id"),
            learners=Count("user", distinct=True),
        )
        .order_by("fact_slug", "normalised")
    )
    return [
        SelectedPhrasing(**{name: row[name] for name in SelectedPhrasing._fields}) for row in rows
    ]
