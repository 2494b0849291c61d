"""Who may change data from the dashboard: the one guard in front of every write action.

Write actions are uploads (ingest + analysis), stopword edits and alias edits (the Data page, the
entities merge form). The policy, from the settings registry:

- `read_only` (TM_READ_ONLY=1): no write action at all; the controls are disabled and say why.
- `write_token` / `write_token_file` set: write actions are locked ("잠김") until the visitor types
  the token; it is compared in constant time and never put in the URL, session widgets or logs
  (the session keeps only a flag bound to a digest of the token, so changing the token re-locks).
- neither, and the server listens on localhost only (the shipped `.streamlit/config.toml`): a
  local user's `make run` may write, as before. The same settings on a server bound to another
  address, or behind a proxy (forwarding headers), lock writes with a message for the operator.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from analytics import config

log = logging.getLogger("tm.access")

LOCAL_ADDRESSES = {"localhost", "127.0.0.1", "::1"}
READ_ONLY = ("읽기 전용 모드입니다 (TM_READ_ONLY=1): 파일 올리기와 불용어·별칭 편집이 꺼져 있습니다. "
             "(Read-only mode: uploads and lexicon edits are off.)")
CLOSED = ("잠김: 이 서버는 localhost가 아닌 곳에서 접속을 받는데 쓰기 토큰이 설정되어 있지 않아 쓰기 작업이 "
          "잠겨 있습니다. 관리자가 TM_WRITE_TOKEN(또는 TM_WRITE_TOKEN_FILE)을 설정하거나 TM_READ_ONLY=1로 "
          "열어야 합니다. (Locked: served beyond localhost with no write token configured.)")
LOCKED = ("잠김: 파일 올리기와 불용어·별칭 편집에는 쓰기 토큰이 필요합니다. "
          "(Locked: write actions need the write token.)")
MAX_FAILURES, FAILURE_WINDOW = 5, 60.0  # then every attempt is refused for the rest of the window
_SESSION_KEY = "_tm_write_unlocked"  # holds the token digest that unlocked this session

_fail_lock = threading.Lock()
_failures: list[float] = []  # process-wide: a new browser session does not reset the count


@dataclass(frozen=True)
class Policy:
    """mode: "read_only" | "open" (local, no token) | "token" | "closed" (exposed, no token)."""

    mode: str
    digest: bytes = b""  # sha256 of the configured token (mode "token")


def configured_token() -> str:
    """The write token: the `write_token` setting, else the first line of `write_token_file`."""
    token = str(config.get("write_token")).strip()
    if token:
        return token
    path = str(config.get("write_token_file")).strip()
    if not path:
        return ""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as e:  # a configured but unreadable file must not open the server
        log.error("write token file unreadable: %s", type(e).__name__)
        raise RuntimeError("쓰기 토큰 파일을 읽을 수 없습니다 (write_token_file unreadable)") from e
    token = lines[0].strip() if lines else ""
    if not token:
        raise RuntimeError("쓰기 토큰 파일이 비어 있습니다 (write_token_file is empty)")
    return token


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8")).digest()


def policy(address: str | None, proxied: bool = False) -> Policy:
    """The write policy for a server bound to `address` (None/"" = every interface)."""
    try:
        read_only = bool(config.get("read_only"))
    except ValueError:  # TM_READ_ONLY=2 or a typo: fail closed, never open
        read_only = True
    if read_only:
        return Policy("read_only")
    try:
        token = configured_token()
    except RuntimeError:
        return Policy("closed")
    if token:
        return Policy("token", _digest(token))
    local = str(address or "").strip().strip("[]").lower() in LOCAL_ADDRESSES
    return Policy("open" if local and not proxied else "closed")


def token_matches(given: str, digest: bytes) -> bool:
    """Constant-time comparison (of digests, so the length does not leak either)."""
    return bool(digest) and hmac.compare_digest(_digest(given), digest)


def try_unlock(given: str, digest: bytes, now: float | None = None) -> str:
    """"ok", "wrong" or "throttled" (too many wrong tokens in the last minute, from anyone)."""
    now = time.monotonic() if now is None else now
    with _fail_lock:
        _failures[:] = [t for t in _failures if now - t < FAILURE_WINDOW]
        if len(_failures) >= MAX_FAILURES:
            return "throttled"
        if token_matches(given, digest):
            return "ok"
        _failures.append(now)
        return "wrong"


# ---- Streamlit side ---------------------------------------------------------------------------
def current_policy() -> Policy:
    headers = {}
    try:
        headers = {k.lower(): v for k, v in st.context.headers.items()}
    except Exception:  # no request context (AppTest, bare mode): judge by the address alone
        pass
    proxied = any(h in headers for h in ("x-forwarded-for", "forwarded", "x-real-ip"))
    return policy(st.get_option("server.address"), proxied)


def can_write() -> bool:
    """Whether this session may run a write action now (checked again when the action runs)."""
    p = current_policy()
    if p.mode == "open":
        return True
    if p.mode == "token":
        held = st.session_state.get(_SESSION_KEY)
        return isinstance(held, bytes) and hmac.compare_digest(held, p.digest)
    return False


def gate(key: str) -> bool:
    """Show this session's write state (read-only reason, 잠김 with a token form, or unlocked) and
    return whether write controls should be enabled."""
    p = current_policy()
    if p.mode == "open":
        return True
    if p.mode == "read_only":
        st.info(READ_ONLY, icon="👁️")
        return False
    if p.mode == "closed":
        st.warning(CLOSED, icon="🔒")
        return False
    if can_write():
        c1, c2 = st.columns([4, 1])
        c1.caption("🔓 쓰기 가능: 이 브라우저 세션은 잠금이 풀려 있습니다. (Write actions unlocked.)")
        if c2.button("잠그기 Lock", key=f"{key}_lock"):
            st.session_state.pop(_SESSION_KEY, None)
            st.rerun()
        return True
    st.warning(LOCKED, icon="🔒")
    with st.form(f"{key}_unlock", clear_on_submit=True):
        given = st.text_input("쓰기 토큰 Write token", type="password", key=f"{key}_token")
        if st.form_submit_button("잠금 풀기 Unlock"):
            result = try_unlock(given, p.digest)
            if result == "ok":
                st.session_state[_SESSION_KEY] = p.digest
                log.info("write actions unlocked for a session")
                st.rerun()
            elif result == "throttled":
                log.warning("write token attempts throttled")
                st.error("잘못된 시도가 너무 많습니다. 1분 뒤에 다시 시도하세요. (Too many wrong tokens; wait a minute.)")
            else:
                log.warning("wrong write token entered")
                st.error("토큰이 맞지 않습니다. (Wrong token.)")
    return False


def require() -> bool:
    """Call when a write action is about to run: False (with a message) unless writes are allowed.

    A disabled button can still be 'pressed' by a crafted websocket message, so the action checks
    again instead of trusting the widget state."""
    if can_write():
        return True
    p = current_policy()
    st.error(READ_ONLY if p.mode == "read_only" else CLOSED if p.mode == "closed" else LOCKED)
    log.warning("write action refused (%s)", p.mode)
    return False
