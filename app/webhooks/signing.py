"""Signature of a delivery: HMAC-SHA256 over "<timestamp>.<body>" with the secret.

Headers: `X-Zwfw-Event-Id` (de-duplicate on it), `X-Zwfw-Timestamp` (Unix seconds) and
`X-Zwfw-Signature: v1=<hex>`. Receivers recompute the HMAC and reject old timestamps.
"""

from __future__ import annotations

import hashlib
import hmac


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return "v1=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: int, body: bytes, header: str) -> bool:
    return hmac.compare_digest(signature(secret, timestamp, body), header)
