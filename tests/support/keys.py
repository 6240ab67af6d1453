"""Quick key derivation for stores made in tests that are not about the passphrase."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlcipher3

QUICK_KDF_ITER = 1


@contextmanager
def quick_key_derivation() -> Iterator[None]:
    """While this lasts, SQLCipher derives a new or opened store's key in one round, not
    256,000 (the default is process-wide); the default is put back at the end, so a
    store made inside must be opened inside too."""
    conn = sqlcipher3.connect(":memory:")
    try:
        before = int(conn.execute("PRAGMA cipher_default_kdf_iter").fetchone()[0])
        conn.execute(f"PRAGMA cipher_default_kdf_iter = {QUICK_KDF_ITER}")
        try:
            yield
        finally:
            conn.execute(f"PRAGMA cipher_default_kdf_iter = {before}")
    finally:
        conn.close()
