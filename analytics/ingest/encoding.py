"""Bytes -> clean text: detect the encoding, then NFC and tidy whitespace."""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from analytics.ingest.records import ParseError

_CANDIDATES = ("utf-8", "cp949", "euc-kr", "utf-16")
_SPACES = re.compile(r"[ \t\u00a0\u200b\u3000]+")
_BLANKS = re.compile(r"\n{3,}")


def looks_binary(data: bytes) -> bool:
    """NUL bytes outside a UTF-16 file, or many control bytes, mean this is not text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    head = data[:8192]
    if b"\x00" in head:
        # UTF-16 without BOM: every other byte NUL in mostly-ASCII text
        evens, odds = head[0::2].count(0), head[1::2].count(0)
        return not (max(evens, odds) > len(head) * 0.3 and min(evens, odds) < len(head) * 0.05)
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
    return ctrl > len(head) * 0.05


def decode(data: bytes) -> str:
    """Decode bytes of unknown encoding (UTF-8 with or without BOM, CP949/EUC-KR, UTF-16)."""
    if not data.strip():
        raise ParseError("빈 파일 (empty file)")
    if looks_binary(data):
        raise ParseError("바이너리 파일 (binary file, not text)")
    if data.startswith(codecs.BOM_UTF8):
        if (text := _utf8(data[3:])) is None:
            raise ParseError("UTF-8 BOM 뒤 잘못된 바이트 (invalid bytes after a UTF-8 byte-order mark)")
        return text
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:  # a file cut at an odd length loses only its last half character
            return data[:len(data) // 2 * 2].decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ParseError("UTF-16 BOM 뒤 잘못된 바이트 (invalid UTF-16 after a byte-order mark)") from exc
    if (text := _utf8(data)) is not None:
        return text
    try:
        return data.decode("cp949")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    raise ParseError("인코딩을 알 수 없음 (undecodable bytes: not UTF-8, CP949/EUC-KR or UTF-16)")


def _utf8(data: bytes) -> str | None:
    """UTF-8 text, also of a file truncated mid-character (the partial character is dropped).

    Without this a cut UTF-8 file would fall through to CP949, which accepts most UTF-8 Hangul
    byte pairs and would ingest mojibake."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            try:
                return data[:exc.start].decode("utf-8")
            except UnicodeDecodeError:
                return None
        return None


def normalize(text: str) -> str:
    """NFC, unified newlines, collapsed spaces, at most one blank line in a row."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\ufeff", "")
    lines = [_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()
