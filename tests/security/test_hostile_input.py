"""Every text a user can type, filled with each XSS payload of the corpus, reaches the pages
that show it only as text: no element, attribute or URL able to run script appears."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.security.hostile import active_content, hostile_school, load_payloads
from toolbox.content.markdown import markdown_render

PAYLOADS = load_payloads()


def test_the_corpus_holds_the_classic_filter_evasions() -> None:
    assert len(PAYLOADS) >= 40
    assert "<script>alert('XSS')</script>" in PAYLOADS
    assert any("onerror" in payload for payload in PAYLOADS)
    assert any("javascript:" in payload for payload in PAYLOADS)


def test_the_checker_finds_script_in_a_page_that_has_it() -> None:
    # The detector must be able to fail: each of these is what an unescaped payload makes.
    for html in (
        "<p><script>alert(1)</script></p>",
        '<img src=x onerror="alert(1)">',
        '<a href=" java\tscript:alert(1)">x</a>',
        '<img src="jav&#x09;ascript:alert(1)">',
        "<iframe src=//x></iframe>",
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    ):
        assert active_content(html), html
    assert active_content('<script src="/static/js/toolbox.js"></script><a href="/student/">ok</a>') == []
    assert active_content('<img src="jav   ascript:alert(1)">') == []  # a relative URL to a browser


@pytest.mark.parametrize(
    "source",
    [
        '<IMG SRC="jav&#x09;ascript:alert(1);">',
        '<IMG SRC=" &#14;  javascript:alert(1);">',
        "[x](java\nscript:alert(1))",
    ],
)
def test_lesson_markdown_drops_urls_a_browser_would_read_as_javascript(source: str) -> None:
    assert active_content(markdown_render(text=source)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("number", range(len(PAYLOADS)), ids=[f"payload{n}" for n in range(len(PAYLOADS))])
def test_no_payload_reaches_a_page_unescaped(number: int) -> None:
    payload = PAYLOADS[number]
    school = hostile_school(payload, marker=f"MARK{number:03d}")
    clients: dict[int, Client] = {}
    failures: dict[str, list[str]] = {}

    for page, (user, url) in school.pages.items():
        client = clients.get(user.pk)
        if client is None:
            client = clients[user.pk] = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        response = client.get(url)
        assert response.status_code == 200, f"{page} {url} answered {response.status_code}"
        html = response.content.decode()
        assert school.marker in html, f"{page} does not show the hostile text at all"
        problems = active_content(html)
        if "<" in payload and payload in html:
            problems.append("the payload appears verbatim")
        if problems:
            failures[page] = problems

    assert failures == {}
