"""Execution engines for the analysis stage: local processes (analytics.pipeline) and Dask."""
