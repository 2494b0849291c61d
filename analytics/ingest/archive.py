"""Zip archives, read safely: no path traversal, no zip bombs, no unbounded entry counts."""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterator

from analytics import config
from analytics.ingest.records import ParseError

# what zipfile raises for damaged archives (bad headers, offsets, CRCs, deflate streams)
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, struct.error, OSError, EOFError,
               ValueError, NotImplementedError, RuntimeError, OverflowError)


def unsafe_name(name: str) -> str | None:
    """Why an entry name is unsafe, or None: absolute paths, drive letters and `..` are refused."""
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return "절대 경로 (absolute path)"
    if ".." in posixpath.normpath(norm).split("/") or ".." in norm.split("/"):
        return "상위 경로 '..' (path traversal)"
    return None


def iter_zip(data: bytes) -> Iterator[tuple[str, bytes | None, str | None]]:
    """(entry name, bytes or None, problem or None) for every file entry of an archive."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        all_infos = zf.infolist()
    except _ZIP_ERRORS as exc:
        raise ParseError("손상된 zip (not a valid zip archive)") from exc
    max_total = int(config.get("zip_max_total_mb")) * 1024 * 1024
    max_ratio = float(config.get("zip_max_ratio"))
    max_entries = int(config.get("zip_max_entries"))
    infos = [i for i in all_infos if not i.is_dir()]
    if len(infos) > max_entries:
        raise ParseError(f"항목이 너무 많음 (more than {max_entries} entries)")
    declared = sum(i.file_size for i in infos)
    if declared > max_total:
        raise ParseError(f"압축 해제 크기 초과 (uncompressed size {declared >> 20} MB > {max_total >> 20} MB: zip bomb?)")
    total = 0
    for info in infos:
        if (why := unsafe_name(info.filename)) is not None:
            yield info.filename, None, why
            continue
        if info.compress_size and info.file_size / info.compress_size > max_ratio:
            yield info.filename, None, f"압축률 과다 (compression ratio > {max_ratio:.0f}: zip bomb?)"
            continue
        try:
            with zf.open(info) as fh:
                content = fh.read(info.file_size + 1)
        except _ZIP_ERRORS as exc:
            yield info.filename, None, f"압축 해제 실패 ({type(exc).__name__})"
            continue
        if len(content) > info.file_size:
            yield info.filename, None, "선언된 크기보다 큼 (entry larger than declared: zip bomb?)"
            continue
        total += len(content)
        if total > max_total:
            raise ParseError(f"압축 해제 크기 초과 (more than {max_total >> 20} MB uncompressed)")
        yield info.filename, content, None
