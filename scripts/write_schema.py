"""Write data/case-file.schema.json from the models (a test keeps the two in step)."""

from __future__ import annotations

import json
from pathlib import Path

from court_tui.domain.casefile import json_schema

SCHEMA = Path(__file__).resolve().parent.parent / "data" / "case-file.schema.json"


def main() -> None:
    SCHEMA.write_text(json.dumps(json_schema(), indent=2, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
