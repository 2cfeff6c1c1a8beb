"""The stylesheets lay pages out for both directions: Arabic pages are mirrored by CSS logical
properties (margin-inline-start, text-align: start, float: inline-start …), so a physical left
or right that comes back into static/*.css would leave part of an Arabic page unmirrored. And
the fonts are the reader's own: nothing is downloaded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "static"
STYLESHEETS = sorted(STATIC.glob("*.css"))

# Where a physical direction is truly meant: (selector, property) → why. Keep it short.
ALLOWED = {
    (".bar-track:dir(rtl)", "transform"): (
        "the mirroring itself: an SVG bar does not follow the page's direction, so in "
        "right-to-left pages it is flipped to grow from the right"
    ),
}
# Shorthands whose 2nd and 4th values are the right and left sides (top right bottom left).
SIDED = re.compile(
    r"(margin|padding|inset|scroll-margin|scroll-padding|border-(width|style|color))$"
)
MOVES_SIDEWAYS = re.compile(r"\b(translateX|scaleX|translate|matrix|skewX|rotateY)\(")


def _rules(css: str) -> list[tuple[str, str, str]]:
    """(selector, property, value) of every declaration, comments and @media wrappers aside."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = []
    for selector, block in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        for prop, value in re.findall(r"([\w-]+)\s*:\s*((?:[^;\"']|\"[^\"]*\"|'[^']*')+)", block):
            found.append((" ".join(selector.split()), prop.strip().lower(), value.strip()))
    return found


def _words(value: str) -> list[str]:
    """The value's top-level words (quoted text and function arguments kept whole)."""
    return re.findall(r"[\w.#%-]+\([^)]*\)|\"[^\"]*\"|'[^']*'|[^\s,/]+", value)


def _corners_mirrored(value: str) -> bool:
    """A border-radius reads the same mirrored (top-left ↔ top-right, bottom-left ↔
    bottom-right)."""
    for part in value.split("/"):
        v = _words(part)
        if len(v) == 3:  # top-left, top-right and bottom-left, bottom-right
            v = [v[0], v[1], v[2], v[1]]
        tl, tr, br, bl = (v * 4)[:4] if len(v) < 3 else v[:4]
        if (tl, br) != (tr, bl):
            return False
    return True


def _shadow_sideways(value: str) -> bool:
    """A shadow offset sideways (its first length is not zero) falls on one side."""
    for shadow in re.sub(r"[\w-]+\([^)]*\)", "", value).split(","):
        lengths = re.findall(r"-?[\d.]+[a-z%]*", shadow)
        if lengths and float(re.sub(r"[a-z%]+$", "", lengths[0])) != 0:
            return True
    return False


def physical(css: str) -> list[str]:
    """Declarations of `css` that name a physical side (left or right), not a logical one."""
    faults = []
    for selector, prop, value in _rules(css):
        if (selector, prop) in ALLOWED:
            continue
        bare = re.sub(r"\"[^\"]*\"|'[^']*'|url\([^)]*\)", "", value)  # content:, url()
        sides = _words(bare)
        if (
            re.search(r"(^|-)(left|right)(-|$)", prop)
            or re.search(r"\b(left|right)\b", bare)
            or (SIDED.match(prop) and len(sides) == 4 and sides[1] != sides[3])
            or (prop == "border-radius" and not _corners_mirrored(bare))
            or (prop == "transform" and MOVES_SIDEWAYS.search(bare))
            or prop == "translate"  # its first length moves sideways
            or (prop.endswith("shadow") and _shadow_sideways(bare))
        ):
            faults.append(f"{selector} {{ {prop}: {value} }}")
    return faults


def test_the_check_finds_physical_sides():
    """The check itself: each way of naming a side in CSS is found, logical ones are not."""
    css = """
    .a { margin-left: 1rem; padding-right: 0 }     .b { float: right; text-align: left }
    .c { padding: 0 1rem 0 2rem; }                 .d { border-radius: 4px 0 0 4px }
    .e { left: 0; background: url(x.png) right }  .f { transform: translateX(-50%) }
    .g { border-top-left-radius: 2px }              .h { background-position: left top }
    .i { box-shadow: 0 1px 2px rgba(0, 0, 0, .1), 2px 0 4px #000 }
    /* allowed: */
    .ok { margin-inline-start: 1rem; padding: 0 1rem 0 1rem; border-radius: 0 0 4px 4px;
          text-align: start; float: inline-start; inset-inline-end: 0; content: "left";
          box-shadow: 0 0 0 6px var(--edge); }
    """
    found = physical(css)
    assert [f.split(" {")[0] for f in found] == [
        ".a",
        ".a",
        ".b",
        ".b",
        ".c",
        ".d",
        ".e",
        ".e",
        ".f",
        ".g",
        ".h",
        ".i",
    ], found


@pytest.mark.parametrize("sheet", STYLESHEETS, ids=lambda p: p.name)
def test_stylesheets_use_logical_sides_so_arabic_pages_are_mirrored(sheet):
    assert physical(sheet.read_text(encoding="utf-8")) == []


def test_allowed_physical_declarations_still_exist():
    """An allowance for a rule that is gone is removed with it."""
    rules = {(s, p) for sheet in STYLESHEETS for s, p, _v in _rules(sheet.read_text("utf-8"))}
    assert set(ALLOWED) <= rules


def test_fonts_are_the_readers_own_with_arabic_and_chinese_ones():
    """No web font, import or remote address; the stacks name local fonts drawn for Arabic
    and for Simplified Chinese, among them the ones the browser suite installs (Makefile)."""
    css = "\n".join(sheet.read_text(encoding="utf-8") for sheet in STYLESHEETS)
    assert "@font-face" not in css and "@import" not in css
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)
    assert '"Noto Sans Arabic UI"' in css and '"WenQuanYi Micro Hei"' in css
    assert re.search(r":lang\(ar\)\s*\{\s*font-family:\s*var\(--fonts-arabic\)", css)
    assert re.search(r":lang\(zh\)\s*\{\s*font-family:[^}]*var\(--fonts-chinese\)", css)
