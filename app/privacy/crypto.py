"""Personal data at rest: AES-GCM encryption and keyed HMAC blind indexes.

Citizen ID numbers, personal names and addresses are stored encrypted (等保 2.0 level 3;
PIPL art. 51). Each value carries the id of the key that encrypted it:
``zw1:<key id>:<base64url(nonce || ciphertext || tag)>``, so keys rotate without a
flag day (``zwfw-credit rotate-key``). Exact lookups go through a blind index: HMAC-SHA256
of the normalised value under a separate, stable index key.

Keys come from settings: ``ZWFW_DATA_KEY`` is ``<id>:<base64 32 bytes>[,<id>:<key>...]``
(the first encrypts, all decrypt) and ``ZWFW_BLIND_INDEX_KEY`` is base64 of 32+ bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

PREFIX = "zw1"
_AAD = b"zwfw-credit"
_NONCE_BYTES = 12
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")


class KeyringInvalid(ValueError):
    """A key setting that cannot be used; the message names what is wrong."""


@dataclass(frozen=True)
class Keyring:
    active_id: str
    keys: dict[str, bytes]
    index_key: bytes

    def encrypt(self, plaintext: str) -> str:
        return _seal(AESGCM(self.keys[self.active_id]), self.active_id, plaintext)

    def encryptor(self) -> Callable[[str], str]:
        """:meth:`encrypt` for many values: the active key's cipher is set up once."""
        cipher = AESGCM(self.keys[self.active_id])
        key_id = self.active_id
        return lambda plaintext: _seal(cipher, key_id, plaintext)

    def decrypt(self, value: str) -> str:
        prefix, key_id, token = value.split(":", 2)
        if prefix != PREFIX or key_id not in self.keys:
            raise KeyringInvalid(f"no key {key_id!r} to decrypt a stored value")
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
        return AESGCM(self.keys[key_id]).decrypt(nonce, sealed, _AAD).decode()

    def blind_index(self, kind: str, value: str) -> str:
        return hmac.new(self.index_key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()

    def blind_indexer(self, kind: str) -> Callable[[str], str]:
        """:meth:`blind_index` of one kind for many values: the key and the kind are
        absorbed once (HMAC reads its message as a stream, so the digests are the same)."""
        prepared = hmac.new(self.index_key, f"{kind}:".encode(), hashlib.sha256)

        def index(value: str) -> str:
            mac = prepared.copy()
            mac.update(value.encode())
            return mac.hexdigest()

        return index


def _seal(cipher: AESGCM, key_id: str, plaintext: str) -> str:
    """The stored form of ``plaintext``: ``zw1:<key id>:<base64url(nonce || sealed)>``."""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = cipher.encrypt(nonce, plaintext.encode(), _AAD)
    token = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
    return f"{PREFIX}:{key_id}:{token}"


def key_id_of(value: str | None) -> str | None:
    if value is None or not value.startswith(PREFIX + ":"):
        return None
    return value.split(":", 2)[1]


def _decode_key(text: str, what: str, minimum: int) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise KeyringInvalid(f"{what} is not valid base64") from None
    if len(key) < minimum:
        raise KeyringInvalid(f"{what} must be at least {minimum} bytes")
    return key


def parse_keyring(data_keys: str, index_key: str) -> Keyring:
    keys: dict[str, bytes] = {}
    order: list[str] = []
    for part in (p.strip() for p in data_keys.split(",") if p.strip()):
        key_id, sep, encoded = part.partition(":")
        if not sep or not _KEY_ID.match(key_id):
            raise KeyringInvalid(
                "ZWFW_DATA_KEY entries are <id>:<base64 key>, the id 1-16 of [A-Za-z0-9_-]"
            )
        key = _decode_key(encoded, f"ZWFW_DATA_KEY {key_id}", 32)
        if len(key) != 32:
            raise KeyringInvalid(f"ZWFW_DATA_KEY {key_id} must be exactly 32 bytes (AES-256)")
        keys[key_id] = key
        order.append(key_id)
    if not order:
        raise KeyringInvalid("ZWFW_DATA_KEY holds no key")
    return Keyring(order[0], keys, _decode_key(index_key, "ZWFW_BLIND_INDEX_KEY", 32))


_keyring: Keyring | None = None


def configure(keyring: Keyring) -> None:
    """Set the process keyring (at start-up; tests set theirs)."""
    global _keyring
    _keyring = keyring


def keyring() -> Keyring:
    if _keyring is None:
        raise RuntimeError("the data keyring is not configured (ZWFW_DATA_KEY)")
    return _keyring


def blind_index(kind: str, value: str) -> str:
    return keyring().blind_index(kind, value)


class EncryptedText(TypeDecorator[str]):
    """A string stored encrypted with the active key and read back in clear."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return keyring().encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return keyring().decrypt(value)
