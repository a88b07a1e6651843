"""Record ids: UUIDs whose leading bits are the creation time (UUIDv7 layout).

Ordering by id is then ordering by creation, so the default order of a list is the
order records were made in, served by the `_id` index. A 12-bit counter keeps ids made
in the same millisecond by this process in order.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_millis = 0
_counter = 0


def new_id() -> str:
    global _last_millis, _counter
    with _lock:
        millis = time.time_ns() // 1_000_000
        if millis <= _last_millis:
            millis = _last_millis
            _counter += 1
            if _counter > 0xFFF:
                millis += 1
                _counter = 0
        else:
            _counter = 0
        _last_millis = millis
        counter = _counter
    rand = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (millis & ((1 << 48) - 1)) << 80 | 0x7 << 76 | counter << 64 | 0x2 << 62 | rand
    return str(uuid.UUID(int=value))


def is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
