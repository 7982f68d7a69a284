"""Switches that turn the API's fast paths off, to measure what each buys (``make bench``).

``WEIZHI_API_WITHOUT`` names the paths to leave out: ``statements`` (SQL compiled once,
``statements.py``), ``rows`` (notices read as plain rows, ``rows.py``) and ``middleware`` (a
screen's token GET past the middleware only people need, ``screen_polls.py``), each measured
by ``benchmarks.fast_paths``; and ``seen`` (the screens' last visits written by the worker in
bulk, ``shared_cache.flush_seen``), which only a district's many screens show, measured by
``benchmarks.district_scale``. Only the benchmark settings read it from the environment;
everywhere else it is empty and every path is on.
"""

from __future__ import annotations

from django.conf import settings

PATHS = ("statements", "rows", "middleware")


def left_out(path: str) -> bool:
    return path in getattr(settings, "WEIZHI_API_WITHOUT", ())
