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
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    for enc in ("utf-8", "cp949"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    raise ParseError("인코딩을 알 수 없음 (undecodable bytes: not UTF-8, CP949/EUC-KR or UTF-16)")


def normalize(text: str) -> str:
    """NFC, unified newlines, collapsed spaces, at most one blank line in a row."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\ufeff", "")
    lines = [_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()
