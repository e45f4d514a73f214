"""Run inside the CIN validator's own environment (.venv-cin), never imported by Safeguard.

    .venv-cin/bin/python cin_oracle.py FILE.xml SCHEMA.xsd

Prints one JSON object: ``xsd_errors`` (lxml's schema messages) and ``issues`` (the rows of
csc-validator-be-cin's user report, for the ruleset of the file's ReferenceDate year), each
with the rule code and whether it is an error rule or a query (codes ending in Q).
"""

import json
import sys
import xml.etree.ElementTree as ET

from cin_validator import cin_validator
from cin_validator.rules.ruleset_utils import get_year_ruleset
from lxml import etree


def main(xml_path: str, xsd_path: str) -> None:
    schema = etree.XMLSchema(etree.parse(xsd_path))
    valid = schema.validate(etree.parse(xml_path))
    xsd_errors = [] if valid else [f"line {e.line}: {e.message}" for e in schema.error_log]

    root = ET.parse(xml_path).getroot()  # noqa: S314 (our own export, in a test)
    end_year = root.findtext("Header/CollectionDetails/ReferenceDate")[:4]
    raw = cin_validator.convert_data(root)
    validator = cin_validator.CinValidator(
        cin_validator.process_data(raw), get_year_ruleset(end_year), None
    )
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
    json.dump({"ruleset": end_year, "xsd_errors": xsd_errors, "issues": issues}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
