"""Sanitisation against a corpus of XSS payloads: as post bodies (Markdown), comment bodies (plain
text) and proposal texts. The stored HTML is checked element by element, and the published pages
are opened in a real Chromium, where none of the payloads may run."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group

from blog import services
from blog.models import PolicyProposal, Post
from blog.rendering import render_comment, render_markdown
from stakeholders.models import MODERATORS_GROUP
from stakeholders.tests.factories import UserFactory

# Each payload that could run sets window.__xss (or opens a dialog): in the browser, neither may
# happen.
PAYLOADS = [
    "<script>window.__xss=1;alert(1)</script>",
    '<img src=x onerror="window.__xss=1;alert(1)">',
    "<img src=x oNeRrOr=&#119;&#105;ndow.__xss=1>",
    '<svg onload="window.__xss=1">',
    "<svg><script>window.__xss=1</script></svg>",
    "[click me](javascript:window.__xss=1)",
    "[click me](JaVaScRiPt:alert(1))",
    "[ref link][1]\n\n[1]: javascript:alert(1)",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">entity</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="  javascript:alert(1)">spaces</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[vb](vbscript:msgbox(1))",
    '<div style="background:url(javascript:alert(1))">styled</div>',
    '<p style="width: expression(alert(1))">expression</p>',
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<body onload=window.__xss=1>",
    '<a href="https://example.org/" onmouseover="window.__xss=1">hover</a>',
    '<https://example.org/"onmouseover="window.__xss=1>',
    "<!--<img src=x onerror=window.__xss=1>-->",
    "<!-- --!><img src=x onerror=window.__xss=1>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    '<details open ontoggle="window.__xss=1">d</details>',
    "<input autofocus onfocus=window.__xss=1>",
    '<video><source onerror="window.__xss=1"></video>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "`<script>window.__xss=1</script>` in code",
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
]

FORBIDDEN_TAGS = {
    "script", "style", "iframe", "object", "embed", "form", "input", "button", "svg", "math",
    "meta", "base", "link", "video", "audio", "source", "body", "details", "textarea", "select",
}  # fmt: skip
SAFE_SCHEMES = re.compile(r"^(https?:|mailto:|[^:]*$)", re.IGNORECASE)


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                self.problems.append(f"{tag} {name}=")
            url = re.sub(r"[\x00-\x20]", "", value or "")
            if name in ("href", "src", "action", "data") and not SAFE_SCHEMES.match(url):
                self.problems.append(f"{tag} {name}={value}")

    def handle_comment(self, data):
        self.problems.append("<!-- comment -->")


def problems_in(html: str) -> list[str]:
    checker = _Checker()
    checker.feed(html)
    checker.close()
    if re.search(r"<\s*script", html, re.IGNORECASE):
        checker.problems.append("<script")
    return checker.problems


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_payload_is_neutralised(payload):
    assert problems_in(render_markdown(payload)) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_comment_payload_is_neutralised(payload):
    html = render_comment(payload)
    assert problems_in(html) == []
    # Comments are plain text: nothing of the payload becomes markup but links to web addresses.
    assert set(re.findall(r"<(\w+)", html)) <= {"p", "a", "br"}


def test_checker_would_see_a_payload():
    assert problems_in('<img src=x onerror="x">') == ["img onerror="]
    assert problems_in('<a href="javascript:x">') == ["a href=javascript:x"]


# --- In a real browser ---------------------------------------------------------------------------


def _publish_corpus():
    moderator = UserFactory(email="xss-moderator@example.org")
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    commenter = UserFactory(email="xss-commenter@example.org")
    posts = [
        services.post_create(
            author=moderator, kind=Post.Kind.IDEA, title=f"Payload {i}", body_markdown=payload
        )
        for i, payload in enumerate(PAYLOADS)
    ]
    host = services.post_create(
        author=moderator, kind="news", title="Comment payloads", body_markdown="Comments below."
    )
    for payload in PAYLOADS:
        services.comment_create(post=host, author=commenter, body=payload)
    proposal = services.proposal_create(
        created_by=moderator,
        title="Payload proposal",
        problem="\n\n".join(PAYLOADS),
        joint_action="\n\n".join(reversed(PAYLOADS)),
        level=PolicyProposal.Level.EU,
        ideas=posts[:3],
    )
    services.proposal_advance(proposal=proposal, status=PolicyProposal.Status.OPEN)
    return [p.get_absolute_url() for p in (*posts, host)] + [
        proposal.get_absolute_url(),
        "/blog/",
        "/blog/?page=2",
        "/blog/ideas/",
        "/proposals/",
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_payload_runs_in_the_browser(page):
    urls = _publish_corpus()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("load")
        # Give onload/onerror/ontoggle/autofocus handlers and a meta refresh their moment.
        page.wait_for_timeout(50)
        assert page.evaluate("typeof window.__xss") == "undefined", url
        assert page.url.endswith(url), f"navigated away from {url}"
        hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.href)")
        assert not [h for h in hrefs if not h.startswith(("http:", "https:", "mailto:"))], url
        assert page.locator("main script, main iframe, main object, main embed").count() == 0
    assert dialogs == []
