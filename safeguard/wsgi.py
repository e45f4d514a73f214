import os

from safeguard.core.keyed_api import application as _application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
# Keyed API calls take a lean middleware path (safeguard.core.keyed_api, decision 0078).
application = _application()
