"""Finding and reading an HSDS package's files, whatever shape it comes in: a folder or a
zip, with a ``datapackage.json`` (its resource paths followed) or just the CSV files, HSDS
3.x or 1.x (recognised from its tables), each file in UTF-8 or Windows-1252/Latin-1
(detected per file). Messages name the package's own files, never a server path."""

from __future__ import annotations

import codecs
import csv
import json
import lzma
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, TextIO

from directory.errors import Invalid
from directory.hsds.mapping import RESOURCE


class NotAPackage(Invalid):
    """The folder is not an HSDS package (one line, for the CLI)."""

    def __init__(self, message: str):
        super().__init__({"package": [message]}, message)


# The longest value a package's CSV may hold: as much as the largest upload. A long value
# is then refused by its own field's limit, naming the row and column (a description of
# 200,000 characters: "Longer than maximum length 5000."); the csv module's default,
# 128 KiB, ended such an import in an error. Longer still: the file is refused, naming it.
FIELD_LIMIT = 64 * 2**20

# 3.x resource names → this code's table names (file stems); 1.x ones keep their stem
TABLE_OF_RESOURCE = {resource: table for table, resource in RESOURCE.items()}
LEGACY_RESOURCE = {
    "organization": "organizations",
    "program": "programs",
    "service": "services",
    "service_taxonomy": "services_taxonomy",
    "service_at_location": "services_at_location",
    "location": "locations",
    "phone": "phones",
    "contact": "contacts",
    "physical_address": "physical_addresses",
    "postal_address": "postal_addresses",
    "regular_schedule": "regular_schedules",
    "holiday_schedule": "holiday_schedules",
    "funding": "funding",
    "eligibility": "eligibility",
    "service_area": "service_areas",
    "required_document": "required_documents",
    "payment_accepted": "payments_accepted",
    "language": "languages",
    "accessibility_for_disabilities": "accessibility_for_disabilities",
    "taxonomy": "taxonomy",
    "metadata": "metadata",
    "meta_table_description": "meta_table_descriptions",
}
# other spellings of 1.x file names seen in the wild
LEGACY_ALIASES = (
    ("service_at_location", "services_at_location"),
    ("service_taxonomy", "services_taxonomy"),
)
KNOWN_STEMS = {*RESOURCE, *LEGACY_RESOURCE.values(), "service_taxonomy"}

THREE_ONLY = {
    "addresses",
    "schedules",
    "attributes",
    "taxonomy_terms",
    "taxonomies",
    "cost_options",
}
ONE_ONLY = {
    "physical_addresses",
    "postal_addresses",
    "regular_schedules",
    "holiday_schedules",
    "services_taxonomy",
    "service_taxonomy",
    "services_at_location",
    "taxonomy",
    "accessibility_for_disabilities",
    "payments_accepted",
    "eligibility",
}


@dataclass
class Source:
    """A package on disk: its tables (table name → file), its HSDS version and its name
    (the key a re-import of the same source is recognised by)."""

    folder: Path
    label: str
    files: dict[str, Path] = field(default_factory=dict)
    version: str = "3.x"
    name: str = ""
    # why ``name`` is not the datapackage's own (a template's name names no source)
    name_note: str = ""
    # the source was recognised by its records (``owners.recognise``), not named: an import
    # then deactivates nothing (only a named source's import may say what it no longer holds)
    recognised: bool = False
    evidence: str = ""
    encodings: dict[str, str] = field(default_factory=dict)
    # tables read from a column of another file (the Ohana shape): table → that file
    virtual: dict[str, str] = field(default_factory=dict)
    # data rows of each table a read went through to its end (``count`` without a read more)
    counted: dict[str, int] = field(default_factory=dict)

    def has(self, table: str) -> bool:
        return table in self.files or table in self.virtual

    def stem(self, table: str) -> str:
        """The file a table's rows come from, as the package names it (the Ohana shape's
        ``addresses`` read as ``physical_addresses``, its ``languages`` column...)."""
        path = self.files.get(table) or self.files.get(self.virtual.get(table, ""))
        return path.stem if path is not None else table

    def encoding(self, table: str) -> str:
        if table not in self.encodings:
            self.encodings[table] = detect_encoding(self.files[table])
        return self.encodings[table]

    def header(self, table: str) -> list[str]:
        with self.open(table) as fh:
            return [h.strip() for h in next(csv.reader(fh), [])]

    def open(self, table: str) -> TextIO:
        # the csv module's limit is one for the process, and a library may set its own
        # (frictionless does on import): set ours each time a table is read
        csv.field_size_limit(FIELD_LIMIT)
        return self.files[table].open(newline="", encoding=self.encoding(table))

    def records(self, table: str) -> Iterator[tuple[int, dict[str, str]]]:
        """``(line, row)`` of a table's data rows; ``line`` is the line of the file the
        row starts on (a quoted value may span several lines)."""
        with self.open(table) as fh:
            reader = csv.DictReader(fh)
            start = 1
            try:
                if reader.fieldnames:
                    reader.fieldnames = [h.strip() for h in reader.fieldnames]
                start = 2
                rows = 0
                for raw in reader:
                    yield start, raw
                    start = reader.line_num + 1
                    rows += 1
                self.counted[table] = rows
            except csv.Error as exc:
                raise NotAPackage(f"{self.files[table].name}:{start}: {_unreadable(exc)}") from exc

    def cells(self, table: str) -> Iterator[tuple[int, list[str]]]:
        """``(line, cells)`` of a table: the header first (line 1, names stripped), then
        each data row as a list of its cells, with the line it starts on, blank lines
        skipped: the rows ``records`` gives, without building a dict of every column."""
        with self.open(table) as fh:
            reader = csv.reader(fh)
            start = 1
            try:
                header = next(reader, None)
                if header is None:
                    return
                yield 1, [h.strip() for h in header]
                start = 2
                rows = 0
                for cells in reader:
                    if cells:  # as csv.DictReader, a blank line is no row
                        yield start, cells
                        start = reader.line_num + 1
                        rows += 1
                self.counted[table] = rows
            except csv.Error as exc:
                raise NotAPackage(f"{self.files[table].name}:{start}: {_unreadable(exc)}") from exc

    def count(self, table: str) -> int:
        """How many data rows a table holds (as ``records`` gives them)."""
        if table not in self.counted:
            for _ in self.cells(table):
                pass
        return self.counted.get(table, 0)


def _unreadable(exc: csv.Error) -> str:
    """Why a CSV line cannot be read, in words."""
    if "field larger than field limit" in str(exc):
        return f"a value longer than {FIELD_LIMIT:,} characters; nothing was imported."
    return f"not readable as CSV ({exc}); nothing was imported."


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, else Latin-1; a file in none of
    these (UTF-16, binary) is refused, naming it."""
    data = path.read_bytes()
    head = data[:4096]
    nuls = head.count(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or nuls > len(head) // 10:
        raise NotAPackage(
            f"{path.name}: not UTF-8 or Windows-1252/Latin-1 text (UTF-16 or a binary file?); "
            "save it as CSV in UTF-8."
        )
    try:
        data.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    controls = sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\t\r\n\f")
    if controls > 8:
        raise NotAPackage(
            f"{path.name}: not UTF-8 or Windows-1252/Latin-1 text (a binary file?); "
            "save it as CSV in UTF-8."
        )
    return encoding


GENERIC_NAMES = frozenset(
    (
        "human_services_data",
        "hsds",
        "datapackage",
        "package",
        "data",
        "export",
        "download",
        "upload",
        "file",
        "feed",
        "211",
        "referral-network-directory",  # this product's own export name before #26
    )
)
"""Package names that name no source: the HSDS template's datapackage name (all three
published packages here keep it) and generic words. Two feeds sharing one would be one
source: the second's import would deactivate the first's records, and their integer ids
would become the same records (``identifiers.own_id``)."""


def generic_name(name: str) -> bool:
    """Whether a package's or file's name names no source: empty, a template's or a generic
    word, also as a browser saves a second copy (``export (1)``)."""
    key = re.sub(r"\s*\(\d+\)$", "", name.strip().lower())
    return not key or key in GENERIC_NAMES


def open_source(folder: Path, label: str | None = None, name: str | None = None) -> Source:
    """Find a package's tables in ``folder``; raise ``NotAPackage`` unless it holds an HSDS
    package's services and organizations. Its name is the datapackage's, else ``name``,
    else the folder's."""
    label = label or folder.name
    if not folder.is_dir():
        raise NotAPackage(f"{label} is not a folder.")
    src = Source(folder, label)
    descriptor = _descriptor(folder, label)
    for resource in descriptor.get("resources", []) if isinstance(descriptor, dict) else []:
        path = resource.get("path") if isinstance(resource, dict) else None
        if not isinstance(path, str) or not path.endswith(".csv"):
            continue
        file = _inside(folder, path)
        if file is None:
            continue
        rname, table = str(resource.get("name") or ""), Path(path).stem
        if table not in KNOWN_STEMS:
            table = TABLE_OF_RESOURCE.get(rname) or LEGACY_RESOURCE.get(rname) or table
        src.files.setdefault(table, file)
    if not src.files:
        for file in sorted(folder.glob("*.csv")):
            src.files[file.stem] = file
    given = str(descriptor.get("name") or "").strip()
    fallback = (name or folder.name)[:100]
    src.name = given[:100] if given and not generic_name(given) else fallback
    if given and generic_name(given):
        src.name_note = (
            f"The package calls itself {given!r}, a name many feeds share (the HSDS template's "
            f"or this product's own); imported as source {src.name!r}, from the file's name. "
            "Import the same feed under the same name (or give it as the source) so that a "
            "re-import finds its records."
        )
    elif not given and generic_name(fallback):
        src.name_note = (
            f"The file's name {fallback!r} names no source (many feeds are saved so); "
            "give the source's name so that a re-import finds its records."
        )
    if not src.has("services") or not src.has("organizations"):
        raise NotAPackage(
            f"{label} is not an HSDS package: services.csv and organizations.csv are missing."
        )
    _recognise(src)
    return src


def _descriptor(folder: Path, label: str) -> dict:
    path = folder / "datapackage.json"
    if not path.exists():
        return {}
    try:
        value = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise NotAPackage(f"{label}: datapackage.json is not valid JSON in UTF-8.") from exc
    return value if isinstance(value, dict) else {}


def _inside(folder: Path, path: str) -> Path | None:
    """The file a resource path names, inside ``folder`` only (a zip's folders may have been
    flattened: then its base name)."""
    parts = PurePosixPath(path).parts
    if path.startswith("/") or ".." in parts or "://" in path:
        return None
    for candidate in (folder.joinpath(*parts), folder / parts[-1]):
        if candidate.is_file():
            return candidate
    return None


def _recognise(src: Source) -> None:
    """HSDS 3.x, 1.x or the Ohana/1.0 CSV shape, from the tables (and columns) the package
    holds."""
    from directory.hsds.importing import ohana  # the shape's reader needs Source: imported here

    if ohana.recognise(src):
        return
    three = sorted(THREE_ONLY & set(src.files))
    one = sorted(ONE_ONLY & set(src.files))
    org_columns = set(src.header("organizations"))
    if three:
        src.version, src.evidence = "3.x", ", ".join(f"{t}.csv" for t in three)
    elif one or ("url" in org_columns and "website" not in org_columns):
        src.version = "1.x"
        src.evidence = ", ".join(f"{t}.csv" for t in one) or "organizations.url"
    else:
        src.version, src.evidence = "3.x", "organizations.website"
    if src.version == "1.x":
        for alias, table in LEGACY_ALIASES:
            if alias in src.files and table not in src.files:
                src.files[table] = src.files.pop(alias)


def zip_limits(config: Mapping[str, Any]) -> dict:
    """The upload limits set in the configuration (``HSDS_MAX_*``, docs/hsds.md)."""
    return {
        "max_bytes": int(config.get("HSDS_MAX_UNCOMPRESSED_MB", 512)) * 2**20,
        "max_entries": int(config.get("HSDS_MAX_ENTRIES", 200)),
        "max_ratio": int(config.get("HSDS_MAX_RATIO", 100)),
    }


CHUNK = 2**16
_UNIX_TYPE = 0o170000
_UNIX_FILE, _UNIX_DIR = 0o100000, 0o040000
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, lzma.LZMAError)


def unpack_zip(
    stream: IO[bytes],
    folder: Path,
    *,
    max_bytes: int,
    max_entries: int,
    max_ratio: int,
    label: str = "The package",
) -> None:
    """The CSV and JSON files of a zipped package, flattened into ``folder``, each streamed
    in small chunks (never a whole member in memory). Refused with ``NotAPackage`` naming
    ``label`` (the uploaded file) and the member: an archive over the limits (total
    uncompressed size, number of entries, compression ratio) as its central directory
    declares them, and again while reading (sizes that lie); a truncated or damaged archive
    (bad CRC); an encrypted member; a member whose path climbs out (``../``) or is absolute;
    a symbolic link or other special file, or a folder entry holding data."""
    try:
        zf = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise NotAPackage(f"{label} is not a zip file (or it is truncated).") from exc
    with zf:
        infos = zf.infolist()
        for info in infos:
            _check_member(info, label)
        entries = [i for i in infos if not i.is_dir()]
        if len(entries) > max_entries:
            raise NotAPackage(
                f"The archive holds {len(entries)} files; at most {max_entries} are accepted."
            )
        total = sum(i.file_size for i in entries)
        if total > max_bytes:
            raise NotAPackage(
                f"The archive would unpack to {total // 2**20} MB; at most "
                f"{max_bytes // 2**20} MB are accepted."
            )
        for info in entries:
            if info.file_size > max_ratio * max(info.compress_size, 1) and info.file_size > 2**16:
                raise NotAPackage(
                    f"{_member_name(info)} is compressed more than "
                    f"{max_ratio} to 1; such archives are refused."
                )
        folder.mkdir(exist_ok=True)
        written = 0
        for info in entries:
            base = PurePosixPath(info.filename.replace("\\", "/")).name
            if not base.endswith((".csv", ".json")) or base.startswith("."):
                continue
            written += _extract(zf, info, folder / base, label, max_bytes - written, max_ratio)


def _member_name(info: zipfile.ZipInfo) -> str:
    return PurePosixPath(info.filename.replace("\\", "/")).name or info.filename


def _check_member(info: zipfile.ZipInfo, label: str) -> None:
    """Refuse a member no package holds: encrypted, a path out of the archive, a link."""
    name = info.filename.replace("\\", "/")
    where = f"{label}: {info.filename!r}"
    if info.flag_bits & 0x1:
        raise NotAPackage(f"{where} is encrypted; send the package without a password.")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
        raise NotAPackage(f"{where} points outside the archive (an absolute path or ../).")
    kind = (info.external_attr >> 16) & _UNIX_TYPE
    if info.create_system == 3 and kind not in (0, _UNIX_FILE, _UNIX_DIR):
        raise NotAPackage(f"{where} is a symbolic link or special file, not a file.")
    if info.is_dir() and info.file_size:
        raise NotAPackage(f"{where} is a folder entry that holds data.")


def _extract(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, label: str, room: int, ratio: int
) -> int:
    """Copy one member to ``target`` in chunks; the bytes written. Stops at what its header
    declared, at the room left under the total limit and at the ratio limit, whichever is
    first, and turns a damaged member (bad CRC, truncated data) into ``NotAPackage``."""
    where = f"{label}: {info.filename!r}"
    limit = min(info.file_size, room)
    size = 0
    try:
        with zf.open(info) as src, target.open("wb") as out:
            while chunk := src.read(CHUNK):
                size += len(chunk)
                if size > limit or (size > 2**16 and size > ratio * max(info.compress_size, 1)):
                    raise NotAPackage(f"{where} unpacks to more than its archive declares.")
                out.write(chunk)
    except NotImplementedError as exc:
        raise NotAPackage(f"{where} uses a compression method that is not supported.") from exc
    except RuntimeError as exc:  # zipfile: "password required" for an encrypted member
        raise NotAPackage(f"{where} is encrypted; send the package without a password.") from exc
    except _READ_ERRORS as exc:
        raise NotAPackage(f"{where} is damaged (truncated, or its checksum fails).") from exc
    return size
