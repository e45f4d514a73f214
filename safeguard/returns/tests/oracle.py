"""Run the CIN conformance oracle (csc-validator-be-cin and the community XSD) on a file.

The oracle lives in its own virtual environment, ``.venv-cin`` (``make cin-validator``), since
it needs pandas<2 and numpy<2; ``cin_oracle.py`` runs there and answers in JSON.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

import safeguard.returns

ORACLE = Path(__file__).with_name("cin_oracle.py")
SCHEMAS = Path(safeguard.returns.__file__).parent / "schemas"


def oracle_python() -> Path:
    default = Path(settings.PROJECT_DIR) / ".venv-cin" / "bin" / "python"
    return Path(os.environ.get("SAFEGUARD_CIN_VALIDATOR_PYTHON", default))


def schema_for(end_year: int) -> Path:
    """The community XSD named by the census end year (CIN_schema_2026.xsd for 2025-26)."""
    return SCHEMAS / f"CIN_schema_{end_year}.xsd"


def run_oracle(xml_path: Path, xsd_path: Path) -> dict:
    python = oracle_python()
    if not python.exists():
        pytest.fail(
            f"The CIN validator's environment is missing ({python}): run `make cin-validator`."
        )
    done = subprocess.run(
        [str(python), str(ORACLE), str(xml_path), str(xsd_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"the CIN validator failed to run:\n{done.stderr[-4000:]}"
    return json.loads(done.stdout)


def describe(issues: list[dict]) -> str:
    return "\n".join(
        f"rule {i['rule']} ({i['level']}), child {i['LAchildID']}: {i['description']} "
        f"[{i['columns']} = {i['value']}]"
        for i in issues
    )
