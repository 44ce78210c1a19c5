"""`make bench`: timings of the build stages (printed, not asserted)."""
