"""Trend monitor analysis library: ingest -> analyze -> store -> query.

Never imports streamlit; usable from notebooks, schedulers and the CLI (`python -m analytics`).
"""

__version__ = "0.1.0"
