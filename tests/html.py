"""One small HTML reader for the tests: what a browser would submit, without regexes."""

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._current: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._current = {}
            self.forms.append((values.get("action", ""), self._current))
        elif tag == "input" and self._current is not None and "name" in values:
            checkable = values.get("type") in {"radio", "checkbox"}
            if not checkable or "checked" in values:
                self._current[values["name"]] = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def form_data(html: str, *, action: str) -> dict[str, str]:
    """Return the named inputs of the form that posts to `action`, as a browser sends them."""
    parser = _Forms()
    parser.feed(html)
    for form_action, fields in parser.forms:
        if form_action == action:
            return fields
    raise AssertionError(f"No form posts to {action}.")
