"""Every page of a SQLCipher 4 store, decrypted: live pages, free pages and the unused
space inside pages alike, for tests that search the file for data that should be gone.

SQLCipher 4 by default: PBKDF2-HMAC-SHA512 with 256,000 rounds over the file's first 16
bytes (the salt) gives the AES-256 key; each 4,096-byte page is AES-256-CBC with its IV
in the 80 reserved bytes at its end (16 bytes of IV, then a 64-byte HMAC); page 1's first
16 bytes are the salt. AES comes from the system's OpenSSL (libcrypto) through ctypes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
from pathlib import Path

PAGE = 4096
RESERVE = 80
IV = 16
SALT = 16


def _libcrypto() -> ctypes.CDLL:
    name = ctypes.util.find_library("crypto")
    if name is None:
        raise RuntimeError("no libcrypto on this machine")
    lib = ctypes.CDLL(name)
    lib.EVP_CIPHER_CTX_new.restype = ctypes.c_void_p
    lib.EVP_aes_256_cbc.restype = ctypes.c_void_p
    lib.EVP_DecryptInit_ex.argtypes = [
        ctypes.c_void_p,
        ctypes.c_void_p,
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_char_p,
    ]
    lib.EVP_CIPHER_CTX_set_padding.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.EVP_DecryptUpdate.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.POINTER(ctypes.c_int),
        ctypes.c_char_p,
        ctypes.c_int,
    ]
    lib.EVP_CIPHER_CTX_free.argtypes = [ctypes.c_void_p]
    return lib


def _decrypt(lib: ctypes.CDLL, key: bytes, iv: bytes, data: bytes) -> bytes:
    ctx = lib.EVP_CIPHER_CTX_new()
    try:
        assert lib.EVP_DecryptInit_ex(ctx, lib.EVP_aes_256_cbc(), None, key, iv) == 1
        lib.EVP_CIPHER_CTX_set_padding(ctx, 0)
        out = ctypes.create_string_buffer(len(data) + 32)
        written = ctypes.c_int(0)
        assert lib.EVP_DecryptUpdate(ctx, out, ctypes.byref(written), data, len(data)) == 1
        return out.raw[: written.value]
    finally:
        lib.EVP_CIPHER_CTX_free(ctx)


def decrypted_pages(db: Path, passphrase: str, kdf_rounds: int = 256_000) -> list[bytes]:
    """Every page of the store file DB, decrypted with PASSPHRASE."""
    raw = db.read_bytes()
    assert len(raw) % PAGE == 0, "not whole pages"
    key = hashlib.pbkdf2_hmac("sha512", passphrase.encode(), raw[:SALT], kdf_rounds, 32)
    lib = _libcrypto()
    pages = []
    for offset in range(0, len(raw), PAGE):
        page = raw[offset : offset + PAGE]
        iv = page[PAGE - RESERVE : PAGE - RESERVE + IV]
        start = SALT if offset == 0 else 0
        pages.append(_decrypt(lib, key, iv, page[start : PAGE - RESERVE]))
    return pages
