"""Foundations every layer uses: settings, database, clock, errors, logs, paging."""
