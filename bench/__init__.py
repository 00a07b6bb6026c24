"""Performance benchmark of the hot paths (``make bench``); see README.md."""
