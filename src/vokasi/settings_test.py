"""Settings for the test suite: the production settings with VOKASI_TESTING on.

Tests run with the same settings module as production, but for the switches that
VOKASI_TESTING turns (fast password hashing, a fixed SECRET_KEY, no HTTPS redirect).
"""

import os

os.environ["VOKASI_TESTING"] = "1"
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")

from vokasi.settings import *  # noqa: F403
