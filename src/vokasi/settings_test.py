"""Settings for the test suite: the production settings with VOKASI_TESTING on.

Tests run with the same settings module as production, but for the switches that
VOKASI_TESTING turns (fast password hashing, a fixed SECRET_KEY, no HTTPS redirect).
"""

import os
import tempfile

os.environ["VOKASI_TESTING"] = "1"
# Uploads in tests go to a throw-away folder, never into a developer's var/.
os.environ.setdefault(
    "PRIVATE_MEDIA_ROOT", os.path.join(tempfile.gettempdir(), "vokasi-test-private")
)
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")

from vokasi.settings import *  # noqa: F403
