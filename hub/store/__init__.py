"""Persistence: SQLAlchemy models, engine and sessions, shared queries, migrations."""
