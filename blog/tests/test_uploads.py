"""Uploads and embeds: a cover is stored re-encoded without its metadata (EXIF GPS, PNG text)
and under a random name; decompression bombs are refused from the header; Markdown embeds only
our own uploads, so no author can make readers' browsers or feed readers fetch a tracking pixel."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from blog import services
from blog.models import Post
from blog.rendering import render_markdown

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "olive")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x013B] = "Ana Kovač"  # Artist
    exif[0x0112] = 6  # Orientation: turned 90° (the re-encoded image is stored upright)
    exif[GPS_IFD] = {1: "N", 2: (46.0, 29.0, 54.0), 3: "E", 4: (11.0, 21.0, 17.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def _png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Ana Kovač, Via Roma 1, Bolzano")
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def _write(author, cover):
    return services.post_create(
        author=author, kind="news", title="With a photo", body_markdown="Text", cover=cover
    )


def test_a_photo_is_stored_without_its_exif_and_upright(member):
    original = _jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as check:  # the test's photo does carry GPS
        assert check.getexif().get_ifd(GPS_IFD)
    post = _write(member, SimpleUploadedFile("IMG_2041 Ana.jpg", original, "image/jpeg"))
    stored = post.cover.read()
    assert b"PhoneMaker" not in stored and "Kovač".encode() not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()  # no EXIF at all, so no GPS
        assert image.size == (48, 64)  # turned upright as the EXIF orientation asked
    assert "Ana" not in post.cover.name and "IMG_2041" not in post.cover.name
    assert post.cover.name.startswith("blog/covers/") and post.cover.name.endswith(".jpg")


def test_a_png_is_stored_without_its_text_chunks(member):
    post = _write(member, SimpleUploadedFile("c.png", _png_with_text(), "image/png"))
    stored = post.cover.read()
    assert b"Bolzano" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG" and "Author" not in image.info


def test_a_cover_from_the_member_form_is_re_encoded_too(client, member):
    client.force_login(member)
    client.post(
        reverse("blog:create"),
        {"kind": "news", "title": "Form photo", "body_markdown": "x", "action": "submit",
         "cover": SimpleUploadedFile("gps.jpg", _jpeg_with_gps(), "image/jpeg"),
         "cover_alt": "A field"},
    )  # fmt: skip
    post = Post.objects.get()
    with Image.open(post.cover) as image:
        assert not image.getexif()


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width``×``height`` pixels: a decompression bomb."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("side", [4001, 60_000])
def test_a_decompression_bomb_is_refused_from_its_header(member, side):
    bomb = SimpleUploadedFile("bomb.png", _png_header_only(side, side), "image/png")
    assert bomb.size < 200
    with pytest.raises(ValidationError) as error:
        _write(member, bomb)
    assert "4000×4000" in str(error.value) or "not an image we can read" in str(error.value)
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    "markdown",
    [
        "![](https://tracker.example/pixel.gif?reader=1)",
        '<img src="https://tracker.example/pixel.gif" width="1" height="1">',
        "![logo](//tracker.example/logo.png)",
        "![logo](http://testserver.evil.example/media/x.png)",
        "![up](/media/../accounts/logout/)",
    ],
)
def test_markdown_does_not_embed_images_from_elsewhere(markdown):
    html = render_markdown(markdown)
    assert "<img" not in html
    assert "tracker.example" not in html or "<a href=" in html  # a link the reader may follow


def test_markdown_embeds_our_own_uploads(settings):
    settings.SITE_URL = "https://alpclusters.example"
    html = render_markdown(
        "![Lake](/media/blog/covers/a.jpg) ![Hall](https://alpclusters.example/media/b.png)"
    )
    assert html.count("<img") == 2
    assert 'src="/media/blog/covers/a.jpg"' in html
