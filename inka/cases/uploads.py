"""Documents on cases: an allow-list judged by the file's content, random stored names, a folder
outside the web root (settings.DOCUMENTS_DIR) that only the download view reads."""

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_SIZE = 10 * 1024 * 1024

# Magic bytes at the start of the file, and the extensions each type may carry.
SIGNATURES = {
    "application/pdf": (b"%PDF-", {".pdf"}),
    "image/jpeg": (b"\xff\xd8\xff", {".jpg", ".jpeg"}),
    "image/png": (b"\x89PNG\r\n\x1a\n", {".png"}),
}
EXTENSION = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    safe_name: str
    size: int
    sha256: str


def safe_name(name: str) -> str:
    """The last path part of a file name, without control or direction-override characters."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(char for char in base if unicodedata.category(char)[0] != "C").strip(" .")
    return cleaned[:200] or "dokument"


def check(upload: Any) -> CheckedUpload:
    """Accept only PDF, JPEG and PNG whose content and extension agree; raise a field error otherwise."""
    if upload.size == 0:
        raise ValidationError({"upload": _("The file is empty.")})
    if upload.size > MAX_SIZE:
        raise ValidationError(
            {"upload": _("The file is larger than %(limit)s.") % {"limit": filesizeformat(MAX_SIZE)}}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    name = safe_name(upload.name or "")
    extension = PurePath(name).suffix.lower()
    for content_type, (magic, extensions) in SIGNATURES.items():
        if head.startswith(magic):
            if extension not in extensions:
                message = _(
                    "The file name does not fit its content. Only PDF, JPEG and PNG files are accepted."
                )
                raise ValidationError({"upload": message})
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            return CheckedUpload(content_type, name, upload.size, digest.hexdigest())
    raise ValidationError({"upload": _("Only PDF, JPEG and PNG files are accepted.")})


def random_name(content_type: str) -> str:
    return secrets.token_hex(16) + EXTENSION[content_type]


def path_of(stored_name: str) -> Path:
    return Path(settings.DOCUMENTS_DIR) / stored_name


def store(upload: Any, stored_name: str) -> Path:
    """Write the upload to the documents folder, readable by the application only."""
    path = path_of(stored_name)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    upload.seek(0)
    with path.open("xb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    path.chmod(0o600)
    return path
