"""Uploaded images: checked by their content, then re-encoded so that nothing but the picture is
kept.

A photo from a phone carries EXIF metadata — where it was taken (GPS), when, with which device
and often the owner's name — and a PNG can carry any text in its chunks. An upload is therefore
never stored as it came: it is decoded (which also proves it is an image), turned upright as its
EXIF orientation asks, and saved again in the same format without any metadata (the colour
profile, which is not personal, is kept). The stored name is random: a file name may name a
person too.

Decompression bombs — a small file that decodes into billions of pixels — are refused from the
header, before any pixel is decoded: Pillow's own limit is set to the largest image we accept.
"""

from __future__ import annotations

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 4000
#: Pillow's names of the formats we accept (detected from the content, never from the name).
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

# Pillow warns above MAX_IMAGE_PIXELS and refuses above twice that; an image larger than our own
# limit is refused by the size check below, so anything far beyond it is a bomb.
Image.MAX_IMAGE_PIXELS = MAX_SIDE * MAX_SIDE


def _unreadable() -> ValidationError:
    return ValidationError(
        _("This file is not an image we can read: please upload a JPEG, PNG or WebP."),
        code="image_unreadable",
    )


def validate_image(file) -> None:
    """A JPEG, PNG or WebP image of at most 2 MB and 4000×4000 pixels, judged by its content."""
    if getattr(file, "_committed", False):
        return  # already stored: it was checked (and re-encoded) when it was uploaded
    if file.size > MAX_BYTES:
        raise ValidationError(
            _("The image is too large: at most 2 MB, please."), code="image_too_large"
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            detected, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _unreadable() from None
    finally:
        file.seek(position)
    if detected not in FORMATS:
        raise ValidationError(
            _("Please upload a JPEG, PNG or WebP image (this one is %(format)s).")
            % {"format": detected},
            code="image_format",
        )
    if width > MAX_SIDE or height > MAX_SIDE:
        raise ValidationError(
            _("The image is %(width)d×%(height)d pixels: at most 4000×4000, please.")
            % {"width": width, "height": height},
            code="image_too_big",
        )


def reencode(file) -> ContentFile:
    """The picture of ``file`` (validated) and nothing else, under a random name."""
    file.seek(0)
    try:
        with Image.open(file) as original:
            kind = original.format
            profile = original.info.get("icc_profile")
            original.seek(0)  # an animation keeps its first frame
            image = ImageOps.exif_transpose(original)
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _unreadable() from None
    options = {"icc_profile": profile} if profile else {}
    if kind == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        options.update(quality=88, optimize=True)
    elif kind == "WEBP":
        options.update(quality=88)
    elif kind == "PNG":
        options.update(optimize=True)
    buffer = io.BytesIO()
    # No exif=, no pnginfo=, no comment=: Pillow writes only what it is given.
    image.save(buffer, format=kind, **options)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{FORMATS[kind]}")
