"""Corrupt and hostile HSDS zips (issue #27): each answers 422 naming the uploaded file and
the member, never a 500; members are streamed in chunks, never read whole."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from directory.hsds.importing import source

SERVICES = b"id,name\n1,Food bank\n"


def _zip(members: list[tuple[zipfile.ZipInfo | str, bytes]], method=zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for info, data in members:
            zf.writestr(info, data)
    return buf.getvalue()


def _truncated() -> bytes:
    whole = _zip([("services.csv", SERVICES * 100)], zipfile.ZIP_DEFLATED)
    return whole[: len(whole) // 2]


def _bad_crc() -> bytes:
    data = bytearray(_zip([("services.csv", SERVICES)]))
    at = data.index(b"Food bank")
    data[at] = ord("G")  # the content changes, its CRC-32 in the headers does not
    return bytes(data)


def _bomb() -> bytes:
    return _zip([("services.csv", b"0" * 2**21)], zipfile.ZIP_DEFLATED)


def _traversal() -> bytes:
    return _zip([("organizations.csv", b"id,name\n"), ("data/../../services.csv", SERVICES)])


def _symlink() -> bytes:
    link = zipfile.ZipInfo("services.csv")
    link.create_system = 3
    link.external_attr = 0o120777 << 16  # a symbolic link to /etc/passwd
    return _zip([(link, b"/etc/passwd")])


def _folder_with_data() -> bytes:
    folder = zipfile.ZipInfo("data/")
    folder.external_attr = (0o040755 << 16) | 0x10
    return _zip([(folder, b"hidden"), ("services.csv", SERVICES)])


def _encrypted() -> bytes:
    """A zip whose member says it is encrypted (bit 0 of its flags, in the local header
    and the central directory): Python cannot write one, so the flags are set by hand."""
    data = bytearray(_zip([("services.csv", SERVICES)]))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + offset
        (flags,) = struct.unpack_from("<H", data, at)
        struct.pack_into("<H", data, at, flags | 0x1)
    return bytes(data)


CASES = {
    "truncated": (_truncated, "bad.zip is not a zip file (or it is truncated)"),
    "bad_crc": (_bad_crc, "bad.zip: 'services.csv' is damaged"),
    "bomb": (_bomb, "services.csv is compressed more than 100 to 1"),
    "traversal": (_traversal, "bad.zip: 'data/../../services.csv' points outside the archive"),
    "symlink": (_symlink, "bad.zip: 'services.csv' is a symbolic link"),
    "folder_with_data": (_folder_with_data, "bad.zip: 'data/' is a folder entry that holds data"),
    "encrypted": (_encrypted, "bad.zip: 'services.csv' is encrypted"),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_a_corrupt_zip_is_a_422_naming_the_file(client, login, kind):
    make, message = CASES[kind]
    login("coordinator")
    response = client.post(
        "/hsds/import",
        data={"package": (io.BytesIO(make()), "bad.zip")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[:500]
    assert message.replace("'", "&#39;") in page


def test_the_cli_names_the_file_too(app, tmp_path):
    archive = tmp_path / "bad.zip"
    archive.write_bytes(_bad_crc())
    result = app.test_cli_runner().invoke(args=["hsds", "import", str(archive)])
    assert result.exit_code == 1
    assert "bad.zip: 'services.csv' is damaged" in result.output


def test_members_are_streamed_in_chunks(tmp_path, monkeypatch):
    """A 3 MB member is copied 64 KiB at a time: no read asks for more (or for all)."""
    asked: list[int] = []
    real_read = zipfile.ZipExtFile.read

    def read(self, n=-1):
        asked.append(n)
        return real_read(self, n)

    monkeypatch.setattr(zipfile.ZipExtFile, "read", read)
    body = SERVICES + b"2,x\n" * (3 * 2**20 // 4)
    data = _zip([("services.csv", body)], zipfile.ZIP_DEFLATED)
    source.unpack_zip(
        io.BytesIO(data), tmp_path / "out", max_bytes=2**30, max_entries=10, max_ratio=10**6
    )
    assert (tmp_path / "out" / "services.csv").read_bytes() == body
    assert all(0 < n <= 2**16 for n in asked)
    assert len(asked) >= 3 * 2**20 // 2**16


def test_a_member_whose_declared_size_lies_is_refused_while_read(tmp_path):
    """The central directory says 100 bytes (within every limit) where the member holds
    200 KB: the copy stops at the declared size and the member is refused, not trusted."""
    data = bytearray(_zip([("services.csv", b"b" * 200_000)]))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        struct.pack_into("<I", data, data.index(signature) + offset, 100)
    with pytest.raises(source.NotAPackage, match="'services.csv' is damaged"):
        source.unpack_zip(
            io.BytesIO(bytes(data)),
            tmp_path / "out",
            max_bytes=2**20,
            max_entries=10,
            max_ratio=10**6,
            label="lying.zip",
        )
    assert (tmp_path / "out" / "services.csv").stat().st_size <= 100
