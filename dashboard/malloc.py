"""The server process' allocator: at most two glibc heap arenas.

glibc gives threads their own heap arenas (up to 8 per core) and keeps in an arena what its
threads freed; Streamlit runs every page view in a thread of its own, so a long-running server's
heap grew ~100 MB per keyword-query session at 1,000,000 articles (778 -> 1,227 MB over four
sessions), memory freed but held in arenas other threads did not reuse. MALLOC_ARENA_MAX=2 in the
server's environment kept it at 0.8-0.9 GB; this sets the same cap from inside the process, so
every way of starting the server gets some of it (set this late, after the server's first threads
have their arenas: 1,120 MB after the four sessions; docs/PERFORMANCE.md, the dashboard at 1M).
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_ARENA_MAX = -8  # glibc's mallopt parameter
ARENAS = 2
_state = {"done": False}


def limit_arenas(n: int = ARENAS) -> bool:
    """Cap the process' malloc arenas at n (glibc only; elsewhere nothing happens). True when set."""
    if _state["done"]:
        return True
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        ok = bool(libc.mallopt(M_ARENA_MAX, int(n)))
    except (OSError, AttributeError):  # not glibc (macOS, musl): their allocators differ
        return False
    _state["done"] = ok
    return ok
