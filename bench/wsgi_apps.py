"""The benchmark apps as WSGI callables for gunicorn (used by bench/throughput.sh)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import overhead

bare = overhead.bare()
constant_headers = overhead.constant_headers()
secheaders_nonce = overhead.secheaders_nonce()
secheaders_no_nonce = overhead.secheaders_no_nonce()
