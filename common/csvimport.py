"""Reading an uploaded CSV file for an import that is previewed first (a dry run) and then
applied all or nothing — the registry's stakeholders and the catalogue of initiatives.

``read_rows`` checks the file as a whole (size, encoding, header, number of rows) and returns the
rows by name with their line numbers; each app validates a row with a form of its own. Between
the preview and the confirmation the upload waits in the session (``remember_upload``), and is
parsed again on confirm, so nothing shown in a preview is trusted.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import zlib
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.template.defaultfilters import filesizeformat
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy


@dataclass
class CsvRows:
    #: (line number as a spreadsheet shows it, values by column, whether the line has more
    #: values than the header has columns)
    rows: list[tuple[int, dict[str, str], bool]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def decode(data: bytes) -> str:
    """UTF-8 text, with or without a byte-order mark (Excel writes one)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            _(
                "The file is not UTF-8 text (unreadable byte at position %(position)d). Save it "
                "as “CSV UTF-8” and upload it again."
            )
            % {"position": exc.start}
        ) from exc


def _delimiter(text: str) -> str:
    # The header line alone decides: column names hold neither commas nor semicolons, whereas
    # descriptions further down may hold both.
    header = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=",;").delimiter
    except csv.Error:
        return ","


def error_messages(form: forms.Form) -> list[str]:
    """A form's errors as lines of a preview: "field: message", or the message alone."""
    messages = []
    for name, errors in form.errors.items():
        for error in errors:
            messages.append(error if name == NON_FIELD_ERRORS else f"{name}: {error}")
    return messages


def read_rows(
    data: bytes,
    *,
    columns: list[str],
    required: list[str],
    max_bytes: int,
    max_rows: int,
    aliases: dict[str, str] | None = None,
) -> CsvRows:
    """The file's rows by column name (any order, case-insensitive, or another name ``aliases``
    gives the column; unknown columns are ignored and reported; entirely empty lines are
    skipped), or the errors of the file as a whole."""
    result = CsvRows()
    if len(data) > max_bytes:
        result.errors.append(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(max_bytes)}
        )
        return result
    try:
        text = decode(data)
    except ValueError as exc:
        result.errors.append(str(exc))
        return result
    if not text.strip():
        result.errors.append(_("The file is empty."))
        return result
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        records = list(reader)
    except csv.Error as exc:
        result.errors.append(
            _("The file cannot be read as CSV near line %(line)d: %(error)s")
            % {"line": reader.line_num, "error": exc}
        )
        return result

    header = [name.strip().casefold() for name in records[0]]
    header = [(aliases or {}).get(name, name) for name in header]
    named = [name for name in header if name]
    repeated = sorted({name for name in named if named.count(name) > 1})
    if repeated:
        result.errors.append(
            _("These columns appear more than once: %(columns)s.")
            % {"columns": ", ".join(repeated)}
        )
    missing = [name for name in required if name not in header]
    if missing:
        result.errors.append(
            _("These columns are missing: %(columns)s. The first line must name the columns.")
            % {"columns": ", ".join(missing)}
        )
    result.ignored_columns = [name for name in named if name not in columns]
    if result.errors:
        return result

    numbered = [
        (number, record)
        for number, record in enumerate(records[1:], start=2)
        if any(cell.strip() for cell in record)
    ]
    if not numbered:
        result.errors.append(_("The file has no rows below its header."))
        return result
    if len(numbered) > max_rows:
        result.errors.append(
            _("The file has %(count)d rows; import at most %(limit)d at a time.")
            % {"count": len(numbered), "limit": max_rows}
        )
        return result
    positions = {name: header.index(name) for name in columns if name in header}
    for number, record in numbered:
        cells = [cell.strip() for cell in record] + [""] * len(header)
        values = {name: cells[positions[name]] if name in positions else "" for name in columns}
        overflow = any(cell.strip() for cell in record[len(header) :])
        result.rows.append((number, values, overflow))
    return result


class UploadForm(forms.Form):
    """The upload of a file to import: its bytes, refused above ``max_bytes``."""

    max_bytes = 5 * 1024 * 1024
    file = forms.FileField(label=_lazy("CSV file"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "UTF-8, comma or semicolon separated, at most %(limit)s. The first line names the "
            "columns."
        ) % {"limit": filesizeformat(self.max_bytes)}

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s."),
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(self.max_bytes),
                },
            )
        return upload.read()


def overflow_error() -> str:
    return _("This row has more values than the header has columns.")


# The upload waits in the session between preview and confirm: sessions live in the shared
# database, so the confirm may reach any web process. Compressed, as CSV shrinks several times.
def remember_upload(request, key: str, data: bytes) -> str:
    token = hashlib.sha256(data).hexdigest()
    request.session[key] = {
        "token": token,
        "content": base64.b64encode(zlib.compress(data)).decode("ascii"),
    }
    return token


def recall_upload(request, key: str, token: str) -> bytes | None:
    stored = request.session.get(key)
    if not stored or not token or not constant_time_compare(stored["token"], token):
        return None
    return zlib.decompress(base64.b64decode(stored["content"]))
