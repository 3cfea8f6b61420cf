"""Garbage collection tuned for a long-running server.

A GraphQL request makes many short-lived container objects (parsed arguments,
result dicts, rows); with CPython's default thresholds (700, 10, 10) a busy
process spends a large share of its CPU in collections, and the full ones
walk every object the process ever loaded (modules, the schema, the ORM
mappers). At start-up the hub therefore

- collects once and freezes what is left (``gc.freeze()``): the start-up heap
  is never scanned again;
- raises the young-generation threshold so that a request's garbage is freed
  by reference counting long before a collection looks at it, and collects
  the older generations rarely. Cycles still get collected, only later.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 50_000
MIDDLE_THRESHOLD = 20
OLD_THRESHOLD = 100


def tune_for_server() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLD_THRESHOLD)
