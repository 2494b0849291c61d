"""`make bench`: run every benchmark script and print its table (not part of `make test`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["bench_speed.py", "bench_nlp.py", "bench_ingest.py", "bench_peer.py", "bench_queries.py", "bench_snapshot.py", "bench_dashboard.py", "bench_boolean_query.py"]
# extra arguments per script (the analysis figures with their per-stage split)
ARGS = {"bench_speed.py": ["--stages"]}


def main() -> int:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-r", str(HERE.parents[1] / "requirements-bench.txt")],
                   check=False)
    failed = 0
    for name in SCRIPTS:
        path = HERE / name
        if not path.exists():
            print(f"## {name}: not present, skipped")
            continue
        print(f"\n## {name}", flush=True)
        failed += subprocess.run([sys.executable, str(path), *ARGS.get(name, [])], cwd=HERE.parents[1]).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
