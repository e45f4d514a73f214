"""Structured logs: one JSON object a line, when ``SAFEGUARD_LOG_FORMAT=json``."""

import json
import logging
from datetime import UTC, datetime

# What every LogRecord carries; anything else passed with ``extra=`` is written too.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonLinesFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message"}``, with ``exception`` when there is one and
    any ``extra=`` fields; one line per record, whatever the message holds."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in data:
                data[key] = value
        return json.dumps(data, default=str, ensure_ascii=False)
