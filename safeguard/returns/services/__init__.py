"""The statutory returns' services: every return is made here, whoever asks for it.

- ``exports``: the CIN census return and Ofsted's Annex A lists, written to a file.
- ``cin_import``: CIN census files merged into the records.
- ``jobs``: the same started from the web, as a ``ReturnJob`` the worker runs
  (``returns/tasks.py``).

The commands (``export-cin``, ``export-annex-a``, ``import-cin``) and the task call these and
say what they return in their own words.
"""

from safeguard.returns.services.cin_import import CinImport, import_cin
from safeguard.returns.services.exports import (
    AnnexAExport,
    CinExport,
    annex_a_file_name,
    check_annex_a_output,
    cin_file_name,
    export_annex_a,
    export_cin,
    release,
)
from safeguard.returns.services.jobs import (
    UPLOADS,
    files_remove_old,
    runs_jobs_with,
    safe_name,
    start_annex_a_export,
    start_cin_export,
    start_cin_import,
)

__all__ = [
    "UPLOADS",
    "AnnexAExport",
    "CinExport",
    "CinImport",
    "annex_a_file_name",
    "check_annex_a_output",
    "cin_file_name",
    "export_annex_a",
    "export_cin",
    "files_remove_old",
    "import_cin",
    "release",
    "runs_jobs_with",
    "safe_name",
    "start_annex_a_export",
    "start_cin_export",
    "start_cin_import",
]
