"""What a file is, read from its content: never from its name or the browser's word for it.

``identify(head, path)`` looks at the first bytes (the "magic number") and, for the ZIP-based
office formats, at the names inside the archive, and answers the one accepted kind the file
is, or raises ``ApplicationError`` saying why it is refused. Accepted (decision 0047): PDF,
PNG and JPEG images, Word and Excel documents (.docx, .xlsx) and OpenDocument text and
spreadsheets (.odt, .ods). Refused: everything else, including the old binary Office formats
(.doc, .xls: they cannot be told from other OLE files or checked for macros here) and
macro-enabled Office files (a ``vbaProject.bin`` inside).
"""

import zipfile
from dataclasses import dataclass

from safeguard.core.errors import ApplicationError


@dataclass(frozen=True)
class Kind:
    extension: str
    media_type: str
    label: str


PDF = Kind("pdf", "application/pdf", "PDF")
PNG = Kind("png", "image/png", "PNG image")
JPEG = Kind("jpg", "image/jpeg", "JPEG image")
DOCX = Kind(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word document",
)
XLSX = Kind(
    "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel workbook"
)
ODT = Kind("odt", "application/vnd.oasis.opendocument.text", "OpenDocument text")
ODS = Kind("ods", "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet")

KINDS = {k.extension: k for k in (PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS)}
ACCEPTED = "a PDF, a Word or Excel document (.docx, .xlsx), an OpenDocument file (.odt, .ods), or a PNG or JPEG image"  # noqa: E501

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
ODF_TYPES = {ODT.media_type: ODT, ODS.media_type: ODS}
# Refuse archives with more entries than any real office document has (a zip bomb's shape).
MAX_ZIP_ENTRIES = 5_000


def refuse(why: str) -> ApplicationError:
    return ApplicationError(f"{why}. Choose {ACCEPTED}", field="file")


def identify(head: bytes, path) -> Kind:
    """The kind of the file whose first bytes are ``head`` and whose whole content is at
    ``path`` (read only for ZIP-based formats)."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(OLE):
        raise refuse(
            "The file is in an old Office format (.doc or .xls), which is not accepted: "
            "save it as .docx, .xlsx or PDF first"
        )
    if head.startswith(ZIP):
        return _office(path)
    raise refuse("The file's content is not a type Safeguard accepts, whatever its name says")


def _office(path) -> Kind:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise refuse("The file is an archive with too many parts to be a document")
            names = {i.filename for i in infos}
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise refuse("The file is an Office document with macros, which is not accepted")
            if "mimetype" in names and infos[0].filename == "mimetype":
                media = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if media in ODF_TYPES:
                    return ODF_TYPES[media]
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return DOCX
                if any(n.startswith("xl/") for n in names):
                    return XLSX
    except zipfile.BadZipFile as error:
        raise refuse("The file looks like an office document but is damaged") from error
    raise refuse("The file is an archive, not a document Safeguard accepts")
