"""Where the demo's rows live: JSON files (and the reference CSV) in ``demo/data/``."""

import json
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def read_json(name: str):
    """The parsed contents of ``demo/data/<name>``."""
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return json.load(handle)
