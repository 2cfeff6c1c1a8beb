"""The call's Markdown made safe to show: two fences between an admin's text and the page.

markdown-it-py renders CommonMark with raw HTML off (a <script> typed in the form comes out as
text) and refuses links it does not trust; nh3 (the Ammonia sanitiser) then keeps only the
tags, attributes and URL schemes listed here, so a bug or a trick in one fence (entities,
mixed case, control characters in "javascript:") is caught by the other.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

SCHEMES = frozenset({"http", "https", "mailto"})
TAGS = frozenset(
    {"p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr"}
    | {"h3", "h4", "h5", "h6"}
)
ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}

_parser = MarkdownIt("commonmark", {"html": False})
# Headings of the text sit under the page's own h2: "# FAQ" must not make a second h1.
_parser.disable("lheading")


def _safe_link(url: str) -> bool:
    """Links with an http(s) or mailto scheme only (a relative link has no use here)."""
    scheme, colon, _rest = url.strip().partition(":")
    return bool(colon) and scheme.lower() in SCHEMES


_parser.validateLink = _safe_link  # type: ignore[method-assign]


def _shift_headings(html: str) -> str:
    """The text's highest heading becomes an h3 (the page's own are h1 and h2), the others
    keep their distance to it: "## Question" under the page's "FAQ" is an h3."""
    levels = [level for level in range(1, 7) if f"<h{level}>" in html]
    if not levels:
        return html
    shift = 3 - levels[0]
    for level in sorted(levels, reverse=shift > 0):
        to = min(max(level + shift, 1), 6)
        html = html.replace(f"<h{level}>", f"<h{to}>").replace(f"</h{level}>", f"</h{to}>")
    return html


def render_markdown(text: str) -> Markup:
    """Sanitised HTML of an admin's Markdown (links get rel="nofollow noopener")."""
    html = _shift_headings(_parser.render(text or ""))
    clean = nh3.clean(
        html,
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(SCHEMES),
        link_rel="nofollow noopener",
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above
