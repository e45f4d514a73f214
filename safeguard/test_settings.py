"""Test settings: the real settings with speed knobs only."""

import tempfile
from pathlib import Path

from safeguard.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# A fixed audit key (never the one under ./var/), and checkpoints in a folder of this test run;
# each test gets its own folder (safeguard/conftest.py).
SAFEGUARD_AUDIT_KEY = "test-audit-key-not-for-production"
SAFEGUARD_AUDIT_CHECKPOINT_DIR = Path(tempfile.mkdtemp(prefix="safeguard-test-checkpoints-"))
# Return jobs keep their files in a folder of this test run, never in ./var/.
SAFEGUARD_RETURNS_DIR = Path(tempfile.mkdtemp(prefix="safeguard-test-returns-"))
