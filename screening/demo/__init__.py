"""Clearly fake screenings for trying the app, for tests and for benchmarks: every demo row is marked ``demo``."""

from screening.demo.seeding import DEMO_OFFICER, real_case_count, seed

__all__ = ["DEMO_OFFICER", "real_case_count", "seed"]
