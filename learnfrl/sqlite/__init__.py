"""SQLite, with writers queued by a file lock (see base.py)."""
