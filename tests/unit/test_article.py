"""The article as the editors' admin reads a passage pasted from the site's own article page."""

from quizzes.rules.article import article_body, passage_as_copied


def test_a_copy_with_plain_spaces_finds_the_articles_own_span():
    copied = "Igor Volobuyev [uk], the Ukrainian-born"
    found = passage_as_copied(copied)
    assert found == "Igor Volobuyev\u00a0[uk], the Ukrainian-born"
    assert found in article_body()


def test_a_passage_verbatim_already_or_nowhere_is_left_to_the_loaders_rule():
    assert passage_as_copied("It was formed in March 2022") is None
    assert passage_as_copied("Igor Volobuyev [uk], the Ukrainian-born ex-pilot") is None
    assert passage_as_copied("   ") is None
