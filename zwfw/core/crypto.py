"""Personal data at rest: SM4-GCM encryption and an HMAC-SM3 blind index for look-ups."""

import base64
import hashlib
import hmac as std_hmac
import os
from functools import cache

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

_IV_BYTES = 12
_TAG_BYTES = 16


def sm3(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


@cache
def _keys(master: str) -> tuple[bytes, bytes]:
    # Separate keys for the cipher and the index, derived from the one master secret.
    enc = bytes.fromhex(sm3(b"zwfw-sm4|" + master.encode()))[:16]
    idx = bytes.fromhex(sm3(b"zwfw-index|" + master.encode()))
    return enc, idx


def encrypt(plain: str) -> str:
    enc_key, _ = _keys(settings.DATA_KEY)
    iv = os.urandom(_IV_BYTES)
    encryptor = Cipher(algorithms.SM4(enc_key), modes.GCM(iv)).encryptor()
    body = encryptor.update(plain.encode()) + encryptor.finalize()
    return base64.b64encode(iv + body + encryptor.tag).decode()


def decrypt(token: str) -> str:
    enc_key, _ = _keys(settings.DATA_KEY)
    raw = base64.b64decode(token)
    iv, body, tag = raw[:_IV_BYTES], raw[_IV_BYTES:-_TAG_BYTES], raw[-_TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(enc_key), modes.GCM(iv, tag)).decryptor()
    return (decryptor.update(body) + decryptor.finalize()).decode()


def blind_index(value: str) -> str:
    """A keyed hash for equality look-ups on an encrypted column."""
    _, idx_key = _keys(settings.DATA_KEY)
    mac = hmac.HMAC(idx_key, hashes.SM3())
    mac.update(value.strip().upper().encode())
    return mac.finalize().hex()


def token_digest(token: str) -> str:
    """API tokens are stored as a digest; the plain token is shown once."""
    return hashlib.sha256(token.encode()).hexdigest()


def constant_time_equal(a: str, b: str) -> bool:
    # As bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500 for
    # a public query whose phone digits came in as "１２３４").
    return std_hmac.compare_digest(a.encode(errors="replace"), b.encode(errors="replace"))
