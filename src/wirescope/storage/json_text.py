"""The API's JSON encoding, shared by everything that encodes once and sends many times (the stored
analysis bodies, the event lists' stored items, the answers the server keeps)."""

from __future__ import annotations

import json
from typing import Any


def encode_json(data: Any) -> str:
    """Compact JSON, UTF-8 as it is (``serve.responses.json_response``)."""
    return json.dumps(data, ensure_ascii=False, default=str, separators=(",", ":"))
