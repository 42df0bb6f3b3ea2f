"""Markdown and comment text to safe HTML, once, when it is saved.

Markdown may carry raw HTML, so its output is cleaned with an allow-list (nh3): no script, no
style, no event handler attribute, no URL scheme but http, https and mailto, and every link marked
as user content. An image is embedded only when it is one of our own uploads: any other would make
every reader's browser (or feed reader) fetch it from a server the author chose — a tracking
pixel — so it becomes a link the reader may follow. Comments are plain text: escaped, with their
web addresses made into links.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings
from django.utils.html import strip_tags, urlize
from django.utils.text import Truncator

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener ugc"
MARKDOWN_EXTENSIONS = ["fenced_code", "tables", "sane_lists", "smarty"]


def clean_html(html: str) -> str:
    """The allow-listed subset of ``html``: what may be shown to any visitor."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


_IMG = re.compile(r"<img\s([^>]*)>")
_ATTRIBUTE = re.compile(r'([a-z]+)="([^"]*)"')


def is_own_upload(src: str) -> bool:
    """Whether an image address points at our own uploads (MEDIA_URL on this site)."""
    media = "/" + settings.MEDIA_URL.strip("/") + "/"
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        site = urlsplit(settings.SITE_URL)
        if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
            return False
    return parts.path.startswith(media) and ".." not in parts.path and "\\" not in parts.path


def _foreign_images_as_links(html: str) -> str:
    def replace(match):
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        src = attributes.get("src", "")
        if src and is_own_upload(src):
            return match.group(0)
        if not src:
            return ""
        label = attributes.get("alt") or attributes.get("title") or src
        return f'<a href="{src}">{label}</a>'

    return _IMG.sub(replace, html)


def render_markdown(text: str) -> str:
    """Markdown (with raw HTML allowed in, and cleaned out) to safe HTML.

    A heading of level one becomes level two: the page's title is its only <h1>.
    """
    html = markdown.markdown(text or "", extensions=MARKDOWN_EXTENSIONS, output_format="html")
    html = re.sub(r"<(/?)h1(\s|>)", r"<\1h2\2", html)
    # Cleaned first (so the attributes are in one predictable form), images from elsewhere made
    # links, then cleaned again: the link's label is the author's text.
    return clean_html(_foreign_images_as_links(clean_html(html)))


def render_comment(text: str) -> str:
    """Plain text to HTML: escaped, paragraphs and line breaks kept, web addresses linked."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", (text or "").strip()) if p.strip()]
    html = "".join(
        "<p>" + urlize(paragraph, nofollow=True, autoescape=True).replace("\n", "<br>") + "</p>"
        for paragraph in paragraphs
    )
    # urlize escapes and marks links nofollow; the allow-list is the same last line of defence as
    # for posts, and gives the links the same rel.
    return clean_html(html)


def excerpt_of(html: str, *, words: int = 40) -> str:
    """Plain text for cards, feeds and meta descriptions, cut at a word."""
    import html as html_module

    text = " ".join(html_module.unescape(strip_tags(html)).split())
    return Truncator(text).words(words, truncate="…")[:300]
