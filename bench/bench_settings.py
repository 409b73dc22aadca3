"""Settings for the gunicorn that bench/registration.py starts: vokasi's own settings
(from the environment, as in production), with the two baseline views added."""

from vokasi.settings import *  # noqa: F403

ROOT_URLCONF = "bench.registration_urls"
