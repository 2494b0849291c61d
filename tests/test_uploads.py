"""Hostile uploads: the save guard (extensions, size cap, generated names) and hostile zip archives."""

from __future__ import annotations

import io
import json
import re
import struct
import zipfile
from pathlib import Path

import pytest

from analytics.ingest import ingest
from analytics.ingest.archive import iter_zip
from analytics.ingest.records import ParseError
from analytics.store import Store
from analytics.uploads import ALLOWED_EXTENSIONS, UploadRejected, meta_path, save_upload

KO = "인공지능 기술이 산업 전반을 바꾸고 있다. 정부는 반도체 투자를 늘리기로 했다."
SAFE_NAME = re.compile(r"^[0-9a-f]{32}\.(txt|zip|csv|jsonl|json|xlsx)$")


# ---- save_upload ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["기사.txt", "a.ZIP", "표.csv", "rows.jsonl", "rows.json", "export.xlsx"])
def test_allowed_uploads_are_saved_under_a_generated_name(tmp_path, name):
    saved = save_upload(name, b"data", tmp_path / "up")
    assert saved.parent == tmp_path / "up" and SAFE_NAME.match(saved.name)
    assert saved.suffix == "." + name.rsplit(".", 1)[1].lower()
    assert saved.read_bytes() == b"data"
    assert json.loads(meta_path(saved).read_text(encoding="utf-8"))["original_name"] == name


@pytest.mark.parametrize("name", ["evil.php", "a.txt.exe", "noext", "archive.tar.gz", "x.html", ".txt.",
                                  "page.svg", "run.py", "a.txt\x00.exe", ""])
def test_other_extensions_are_rejected_in_korean_and_english(tmp_path, name):
    with pytest.raises(UploadRejected) as exc:
        save_upload(name, b"data", tmp_path / "up")
    msg = str(exc.value)
    assert "허용되지 않는 파일 형식" in msg and "not allowed" in msg
    assert not (tmp_path / "up").exists() or not any((tmp_path / "up").iterdir())


@pytest.mark.parametrize("name", ["../../etc/cron.d/evil.txt", "/etc/passwd.csv", "C:\\Windows\\x.txt",
                                  "..\\..\\x.zip", "~/.bashrc.txt", "con.txt", "a\nb.txt"])
def test_path_like_names_never_leave_the_upload_folder(tmp_path, name):
    up = tmp_path / "deep" / "up"
    saved = save_upload(name, b"data", up)
    assert saved.resolve().parent == up.resolve() and SAFE_NAME.match(saved.name)
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == sorted(
        [saved.name, meta_path(saved).name])


def test_size_cap_comes_from_the_max_upload_mb_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("TM_MAX_UPLOAD_MB", "1")
    assert save_upload("ok.txt", b"x" * (1024 * 1024), tmp_path).exists()
    with pytest.raises(UploadRejected, match="너무 큽니다.*1 MB limit"):
        save_upload("big.txt", b"x" * (1024 * 1024 + 1), tmp_path / "other")
    assert not (tmp_path / "other").exists()


def test_empty_upload_is_rejected(tmp_path):
    with pytest.raises(UploadRejected, match="empty upload"):
        save_upload("a.txt", b"", tmp_path)


def test_allowed_extensions_are_exactly_the_ingestable_upload_types():
    assert ALLOWED_EXTENSIONS == ("txt", "zip", "csv", "jsonl", "json", "xlsx")


# ---- hostile zip archives ---------------------------------------------------------------------

def _zip(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in entries.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buf.getvalue()


def _entries(data: bytes) -> dict[str, str | None]:
    """entry -> problem (None when the entry was read)."""
    return {name: why for name, _, why in iter_zip(data)}


def test_absolute_and_parent_paths_in_a_zip_are_rejected(tmp_path):
    out = _entries(_zip({"ok/a.txt": b"a", "../up.txt": b"b", "a/../../up2.txt": b"c", "/etc/x.txt": b"d",
                         "C:\\win.txt": b"e", "..\\back.txt": b"f", "c:/y.txt": b"g"}))
    assert out["ok/a.txt"] is None
    assert all(out[n] and ("traversal" in out[n] or "absolute" in out[n]) for n in out if n != "ok/a.txt")


def test_zip_bomb_by_compression_ratio_is_rejected():
    out = _entries(_zip({"bomb.txt": b"\0" * 3_000_000, "fine.txt": KO.encode() * 3}))
    assert "zip bomb" in out["bomb.txt"] and out["fine.txt"] is None


def test_zip_bomb_by_total_uncompressed_size_is_rejected(monkeypatch):
    monkeypatch.setenv("TM_ZIP_MAX_TOTAL_MB", "1")
    import os

    parts = {f"p{i}.txt": os.urandom(300_000) for i in range(5)}  # incompressible, 1.5 MB in all
    with pytest.raises(ParseError, match="zip bomb"):
        list(iter_zip(_zip(parts)))


def test_too_many_entries_is_rejected(monkeypatch):
    monkeypatch.setenv("TM_ZIP_MAX_ENTRIES", "10")
    with pytest.raises(ParseError, match="more than 10 entries"):
        list(iter_zip(_zip({f"{i}.txt": b"x" for i in range(11)})))


def test_an_entry_lying_about_its_size_yields_no_more_than_it_declared():
    data = bytearray(_zip({"liar.txt": b"A" * 100_000}, zipfile.ZIP_STORED))
    cd = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, cd + 24, 10)  # central directory: uncompressed size 10
    for _, content, why in iter_zip(bytes(data)):
        assert (content is None and why) or len(content) <= 10


def test_hostile_zip_upload_ingests_only_its_safe_entries(tmp_path):
    up = tmp_path / "uploads"
    saved = save_upload("../../기사 모음.zip", _zip({
        "../../../escape.txt": ("탈출\n\n" + KO).encode(), "/abs.txt": ("절대\n\n" + KO).encode(),
        "bomb.txt": b"0" * 5_000_000, "good/기사.txt": ("안전한 기사\n\n" + KO).encode()}), up)
    store = Store(tmp_path / "store")
    report = ingest([up], store)
    assert report.added == 1 and len(report.problems) == 3
    assert all(str(saved) in p.path for p in report.problems)
    written = {p.name for p in tmp_path.rglob("*.txt")}
    assert written == set()  # nothing extracted to disk, least of all outside the folder
    assert not Path("/abs.txt").exists()
