"""Issue clusters against hand-labelled events (data/labels/issues/, guideline in its README).

    .venv/bin/python tests/bench/eval_issues.py --store DIR   # a store with the BIG Kinds export ingested

For each labelled day and each grouping distance (좁게 0.8, 보통 0.9, 넓게 0.95, and 0.75, the default
chosen by eye before the labels existed): pairwise precision
(pairs put in one issue that the labels call one event), pairwise recall (labelled same-event pairs
put in one issue), and the adjusted Rand index (singletons and issue-less articles as their own
groups). 2021-02-15 chose the default distance (tuning); 2021-02-25 was not used to choose it, but the
week holding it was read by eye when the first default (0.75) was set, so it is only half held out.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from itertools import combinations
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.common import table  # noqa: E402

LABELS = ROOT / "data" / "labels" / "issues" / "bigkinds-2021-02.csv"
ROLE = {"2021-02-15": "tuning", "2021-02-25": "check"}


def pair_scores(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    """Pairwise precision, recall and the adjusted Rand index of two labellings of the same ids."""
    from sklearn.metrics import adjusted_rand_score

    ids = sorted(gold)
    same_g = {p for p in combinations(ids, 2) if gold[p[0]] == gold[p[1]]}
    same_p = {p for p in combinations(ids, 2) if pred[p[0]] == pred[p[1]]}
    prec = len(same_g & same_p) / len(same_p) if same_p else 1.0
    rec = len(same_g & same_p) / len(same_g) if same_g else 1.0
    return prec, rec, adjusted_rand_score([gold[i] for i in ids], [pred[i] for i in ids])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", type=Path, required=True)
    a = ap.parse_args()
    from analytics import topics as tm
    from analytics.filters import Filters
    from analytics.queries import issues, open_corpus

    c = open_corpus(a.store)
    lab = pd.read_csv(LABELS)
    rows = []
    for day, g in lab.groupby("day"):
        gold = dict(zip(g["id"], g["event"], strict=True))
        d = date.fromisoformat(day)
        for dist in (0.75, *tm.ISSUE_GRAINS):  # 0.75: the default before the labels
            _, arts = issues(c, Filters(), d, d, dist, 1000)
            got = dict(zip(arts["id"], arts["issue"].astype(str), strict=True))
            pred = {i: got.get(i, f"alone-{i}") for i in gold}
            p, r, ari = pair_scores(gold, pred)
            rows.append([day, ROLE.get(day, ""), len(g), g["event"].nunique(), dist, arts["issue"].nunique(), p, r, ari])
    print(table(["day", "role", "articles", "labelled groups", "distance", "issues", "pair precision",
                 "pair recall", "ARI"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
