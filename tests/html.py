"""One small HTML reader for the tests: elements, their attributes and text, and forms as a
browser would submit them. Tests read pages through it, never with regexes."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The element's text, its descendants' included, with spacing collapsed."""
        return " ".join("".join(self.parts).split())

    def has_class(self, name: str) -> bool:
        return name in self.attrs.get("class", "").split()


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.elements.append(element)
        if tag not in _VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.parts.append(data)


def elements(html: str) -> list[Element]:
    """Every element of the page, in document order."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.elements


def find(html: str, tag: str = "", *, cls: str = "", **attrs: str) -> Element:
    """The first element with the tag (any if empty), class and attributes given
    (`aria_describedby="…"` stands for aria-describedby)."""
    for element in elements(html):
        if tag and element.tag != tag:
            continue
        if cls and not element.has_class(cls):
            continue
        if all(element.attrs.get(name.replace("_", "-")) == value for name, value in attrs.items()):
            return element
    raise AssertionError(f"No <{tag or '*'}> with class {cls!r} and {attrs} on the page.")


def input_value(html: str, name: str) -> str:
    """The value of the page's first input with this name."""
    return find(html, "input", name=name).attrs.get("value", "")


def form_data(html: str, *, action: str) -> dict[str, str]:
    """Return the named inputs of the form that posts to `action`, as a browser sends them."""
    fields: dict[str, str] | None = None
    for element in elements(html):
        if element.tag == "form":
            if fields is not None:
                break
            if element.attrs.get("action") == action:
                fields = {}
        elif element.tag == "input" and fields is not None and "name" in element.attrs:
            checkable = element.attrs.get("type") in {"radio", "checkbox"}
            if not checkable or "checked" in element.attrs:
                fields[element.attrs["name"]] = element.attrs.get("value", "")
    if fields is None:
        raise AssertionError(f"No form posts to {action}.")
    return fields
