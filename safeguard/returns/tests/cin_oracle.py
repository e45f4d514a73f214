"""Run inside the CIN validator's own environment (.venv-cin), never imported by Safeguard.

    .venv-cin/bin/python cin_oracle.py FILE.xml SCHEMA.xsd

Prints one JSON object: ``xsd_errors`` (lxml's schema messages) and ``issues`` (the rows of
csc-validator-be-cin's user report and its rules about the return as a whole, which have no
child, for the ruleset of the file's ReferenceDate year), each
with the rule code and whether it is an error rule or a query (codes ending in Q);
``failed_rules``, the rules the validator could not run on the file (it prints "Error with
rule ..." and goes on without them: those rules found nothing, rightly or not); also
``children`` (the children the validator read), ``seconds`` (wall time of the schema check
and of the validator), ``cpu_seconds`` (the process's CPU time) and ``peak_rss_kib`` (peak
memory), for bench/cin.py.
"""

import contextlib
import io
import json
import re
import sys
import time
import xml.etree.ElementTree as ET

from cin_validator import cin_validator
from cin_validator.rules.ruleset_utils import get_year_ruleset
from lxml import etree


def main(xml_path: str, xsd_path: str) -> None:
    started = time.perf_counter()
    schema = etree.XMLSchema(etree.parse(xsd_path))
    valid = schema.validate(etree.parse(xml_path))
    xsd_errors = [] if valid else [f"line {e.line}: {e.message}" for e in schema.error_log]

    xsd_seconds = time.perf_counter() - started
    started = time.perf_counter()
    root = ET.parse(xml_path).getroot()  # noqa: S314 (our own export, in a test)
    end_year = root.findtext("Header/CollectionDetails/ReferenceDate")[:4]
    raw = cin_validator.convert_data(root)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        validator = cin_validator.CinValidator(
            cin_validator.process_data(raw), get_year_ruleset(end_year), None
        )
    failed_rules = {
        match.group(1): match.group(2)
        for match in re.finditer(r"Error with rule (\S+): (.*)", printed.getvalue())
    }
    issues = [
        {
            "rule": str(row["rule_code"]),
            "level": "query" if str(row["rule_code"]).endswith("Q") else "error",
            "LAchildID": None if row["LAchildID"] != row["LAchildID"] else str(row["LAchildID"]),
            "description": str(row["rule_description"]),
            "columns": str(row["columns_affected"]),
            "value": str(row["value_flagged"]),
        }
        for _, row in validator.user_report.iterrows()
    ]
    # Rules about the return as a whole are kept apart from the report, which lists records.
    la_level = validator.la_rule_issues
    issues += [
        {
            "rule": str(row["rule_code"]),
            "level": "query" if str(row["rule_code"]).endswith("Q") else "error",
            "LAchildID": None,
            "description": str(row["rule_description"]),
            "columns": "",
            "value": "",
        }
        for _, row in (la_level.iterrows() if len(la_level) else ())
    ]
    seconds = {"xsd": xsd_seconds, "validator": time.perf_counter() - started}
    try:  # this process's peak resident memory (Linux), for bench/cin.py
        with open("/proc/self/status") as stream:
            status = stream.read().split("VmHWM:")[1]
        peak_rss_kib = int(status.split()[0])
    except (OSError, IndexError, ValueError):
        peak_rss_kib = None
    json.dump(
        {
            "ruleset": end_year,
            "xsd_errors": xsd_errors,
            "issues": issues,
            "failed_rules": failed_rules,
            "children": len(raw["ChildIdentifiers"]),
            "seconds": seconds,
            "peak_rss_kib": peak_rss_kib,
            "cpu_seconds": time.process_time(),  # the whole process, imports included
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
