"""The installable web app: the manifest, its icons, and the base template's links to them."""

import json
import struct

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from tests.html import elements, find


def manifest() -> dict:
    path = finders.find("learnfrl/manifest.webmanifest")
    assert path, "learnfrl/manifest.webmanifest is not among the static files"
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def test_the_manifest_makes_the_site_installable():
    app = manifest()
    assert app["name"]
    assert app["short_name"] == "learnfrl"
    assert app["start_url"] == "/"
    assert app["scope"] == "/"
    assert app["display"] == "standalone"
    assert app["theme_color"].startswith("#")
    assert app["background_color"].startswith("#")


@pytest.mark.parametrize("size", [192, 512])
def test_the_manifest_names_a_png_icon_of_each_size_the_browsers_ask_for(size):
    icons = [i for i in manifest()["icons"] if i["sizes"] == f"{size}x{size}"]
    assert icons
    for icon in icons:
        # Icons are named relative to the manifest, so they are found beside it.
        path = finders.find(f"learnfrl/{icon['src']}")
        assert path, icon["src"]
        with open(path, "rb") as file:
            head = file.read(24)
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", head[16:24]) == (size, size)


@pytest.mark.django_db
def test_every_page_links_the_manifest_and_follows_the_systems_colour_scheme(client):
    html = client.get(reverse("login")).content.decode()
    assert find(html, "link", rel="manifest").attrs["href"] == static(
        "learnfrl/manifest.webmanifest"
    )
    assert find(html, "meta", name="color-scheme").attrs["content"] == "light dark"
    themes = {
        e.attrs["media"]: e.attrs["content"]
        for e in elements(html)
        if e.tag == "meta" and e.attrs.get("name") == "theme-color"
    }
    assert set(themes) == {"(prefers-color-scheme: light)", "(prefers-color-scheme: dark)"}
    assert "viewport-fit=cover" in find(html, "meta", name="viewport").attrs["content"]


def test_the_stylesheet_has_a_dark_scheme_and_a_touch_screen_rule():
    path = finders.find("learnfrl/site.css")
    assert path
    with open(path, encoding="utf-8") as file:
        css = file.read()
    assert "@media (prefers-color-scheme: dark)" in css
    assert "@media (hover: none) and (pointer: coarse)" in css
    assert "env(safe-area-inset-bottom)" in css
