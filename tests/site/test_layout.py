"""The shape of the code, as issue 17 set it, checked so that it stays: modules by sub-domain and
small, pure rules, one learner's day, tests apart from the benchmarks."""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from tests.helpers import ROOT

MAX_MODULE_LINES = 450


def modules(*folders: str) -> Iterator[Path]:
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def imported(path: Path) -> set[str]:
    """Every name the module imports when it runs, dotted in full (`from a.b import c` is
    `a.b.c`); imports for type checkers alone (`if TYPE_CHECKING:`) are left out."""
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            return
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return names


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_no_module_but_the_models_passes_its_length():
    lengths = {
        relative(path): len(path.read_text(encoding="utf-8").splitlines())
        for path in modules("learnfrl", "quizzes")
        if path.name != "models.py"
    }
    assert {name: n for name, n in lengths.items() if n > MAX_MODULE_LINES} == {}


def test_the_rules_take_values_and_read_no_database():
    # They may use the vocabulary, the limits and each other, and build a database expression
    # (days.day_trunc: a function of a shifted column); never a model, a sub-domain's reads or
    # writes, or a connection.
    allowed = (
        "quizzes.enums.",
        "quizzes.limits.",
        "quizzes.rules.",
        "django.db.models.functions.",
        "django.db.models.expressions.",
        "django.db.models.fields.",
    )
    offenders = {
        relative(path): sorted(
            name
            for name in imported(path)
            if name.startswith(("quizzes.", "django.db.")) and not name.startswith(allowed)
        )
        for path in modules("quizzes/rules")
    }
    assert {name: bad for name, bad in offenders.items() if bad} == {}


def test_the_learners_day_is_computed_in_one_module():
    # Daily limits, buries, today's counts and the progress page's days all start where
    # rules/days.py says: anything else that reads the local date would disagree with it.
    local_time = re.compile(r"\b(localtime|localdate|get_current_timezone|TruncDate)\b")
    days = ROOT / "quizzes" / "rules" / "days.py"
    readers = [
        relative(path)
        for path in modules("learnfrl", "quizzes")
        if path != days and local_time.search(path.read_text(encoding="utf-8"))
    ]
    assert readers == []


def test_the_tests_never_import_the_benchmarks():
    # What both need lives in tests/support, which bench imports.
    importing = [
        relative(path)
        for path in modules("tests")
        if any(name == "bench" or name.startswith("bench.") for name in imported(path))
    ]
    assert importing == []


def test_no_template_comment_of_the_short_kind_spans_lines():
    """Django's {# … #} comment ends at its line: one that runs onto the next is not a comment at
    all, and its text shows on the page. Longer comments are {% comment %} blocks."""
    templates = [
        *ROOT.glob("learnfrl/templates/**/*.html"),
        *ROOT.glob("quizzes/templates/**/*.html"),
    ]
    assert templates
    broken = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in templates
        for text in [path.read_text(encoding="utf-8")]
        for match in re.finditer(r"\{#(?:(?!#\}).)*\n", text)
    ]
    assert broken == []
