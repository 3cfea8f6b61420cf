"""Sync: scheduled pull runs, consolidation into the national record, locks.

A pull run applies each page and advances its cursor in one transaction, so
a crash re-reads at most one page and upserts idempotently: nothing lost,
nothing doubled. See ``docs/sync.md``.
"""
