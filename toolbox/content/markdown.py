"""Markdown to HTML that is safe to show to students.

Lesson text may come from an AI provider or any educator, so the HTML is never trusted:
Markdown is rendered first (raw HTML in the source passes through it) and the result is
cleaned by nh3 against an explicit allow-list. Anything not listed is dropped: scripts,
styles, frames, event handlers, and every URL scheme other than http, https and mailto.
"""

from __future__ import annotations

import re

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s",
        "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}

ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})

# The content of these is dropped with the tag, so a stripped <script> leaves no code as text.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "noscript", "template"})

_CODE_LANGUAGE_CLASS = re.compile(r"^language-[A-Za-z0-9_+-]{1,30}$")


_URL_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def _url_scheme_allowed(value: str) -> bool:
    """Browsers drop tabs and newlines inside a URL and spaces before it, so "jav&#9;ascript:"
    is javascript: to them; nh3 sees a relative URL. Judge the URL as a browser reads it."""
    as_read = re.sub(r"[\t\n\r]", "", value).lstrip("".join(chr(code) for code in range(33)))
    scheme = _URL_SCHEME.match(as_read)
    return scheme is None or scheme.group(1).lower() in ALLOWED_URL_SCHEMES


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Fenced code blocks carry a `language-…` class; no other class survives."""
    if attribute == "class":
        return value if tag == "code" and _CODE_LANGUAGE_CLASS.match(value) else None
    if attribute in ("href", "src") and not _url_scheme_allowed(value):
        return None
    return value


_ATTRIBUTES_WITH_CLASS = {**ALLOWED_ATTRIBUTES, "code": {"class"}}


def markdown_render(*, text: str) -> str:
    """Render Markdown (with tables and fenced code) to sanitised HTML."""
    html = markdown_lib.markdown(
        text,
        extensions=["tables", "fenced_code", "sane_lists"],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=_ATTRIBUTES_WITH_CLASS,
        attribute_filter=_keep_attribute,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
