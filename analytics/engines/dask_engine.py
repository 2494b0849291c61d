"""Distribute analysis batches over a Dask cluster; the driver commits results to the store.

Workers run the same `analytics.analysis.analyze_articles` as the local engine (each worker
process loads Kiwi and the models once), so results are identical. Only the driver writes to the
Delta tables, which keeps the store's single-writer guarantee; the store itself may live on shared
or object storage reachable by the driver.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator


def run_dask(batches: Iterable[list], scheduler: str | None = None,
             in_flight_per_worker: int = 2) -> Iterator[tuple[list, dict]]:
    """(batch, result) pairs in submission order, with bounded look-ahead (flat memory).

    `scheduler` is a Dask address such as tcp://HOST:8786; None starts a LocalCluster with one
    single-threaded worker process per core (the same parallelism as the local engine).
    """
    from dask.distributed import Client, LocalCluster

    from analytics.analysis import analyze_articles

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        limit = n_workers * in_flight_per_worker
        pending: deque = deque()
        for batch in batches:
            pending.append((batch, client.submit(analyze_articles, batch, pure=False)))
            if len(pending) >= limit:
                b, fut = pending.popleft()
                yield b, fut.result()
        while pending:
            b, fut = pending.popleft()
            yield b, fut.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
