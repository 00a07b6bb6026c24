"""The audit log's hash chain (防篡改哈希链): pure functions, no I/O.

Every chained entry carries ``position`` (its place in the chain), ``prev_hash`` (the
``hash`` of the entry at the position before it, or :data:`GENESIS_HASH` for the first
entry) and its own ``hash``::

    hash = lowercase hex SHA-256 of the UTF-8 bytes of canonical_json(entry)

where ``canonical_json`` is one JSON object with exactly these keys::

    action, actor, department, details, prev_hash, purpose, recorded_at,
    request_id, roles, target_id, target_type

serialised with keys sorted at every level, no insignificant whitespace
(separators ``","`` and ``":"``), non-ASCII characters written as themselves (not
``\\u`` escapes), ``null`` for an absent value, and:

- ``recorded_at``: the time in UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (always six
  fractional digits and the letter ``Z``);
- ``roles``: the list as stored (the service stores it sorted);
- ``details``: the JSON value as stored (object keys are strings, numbers as Python's
  ``json`` module writes them).

It is exactly ``json.dumps(obj, sort_keys=True, separators=(",", ":"),
ensure_ascii=False)`` in Python. Neither ``id`` nor ``position`` is hashed: the order
is fixed by the links, and a verifier walking the chain in ``position`` order sees any
reordering as a broken link. Editing any hashed field of an entry changes its hash
(``hash_mismatch``); deleting or inserting an entry breaks the link of the entry after
it (``chain_broken``). Removing entries from the end cannot be seen from the chain
alone: compare the head (``last_hash``) with a copy kept elsewhere.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first entry."""

HASH_LENGTH = 64


class ChainBreak(StrEnum):
    """校验失败原因: the entry was edited (`hash_mismatch`) or its link does not match
    (`chain_broken`)."""

    hash_mismatch = "hash_mismatch"
    chain_broken = "chain_broken"


@dataclass(frozen=True, slots=True)
class ChainContent:
    """The hashed fields of one audit entry."""

    recorded_at: datetime
    actor: str
    roles: list[str]
    department: str | None
    action: str
    target_type: str
    target_id: str
    purpose: str | None
    request_id: str | None
    details: dict[str, Any] | None


def _timestamp(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("recorded_at must be timezone-aware")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(content: ChainContent, prev_hash: str, *, as_stored: bool = False) -> str:
    """The exact text that is hashed (see the module docstring). ``as_stored``: the
    details are already as the database gives them back (read from it)."""
    details = content.details
    if details is not None and not as_stored:
        # Round-trip through JSON so the value is what the database gives back.
        details = json.loads(json.dumps(details))
    document = {
        "action": content.action,
        "actor": content.actor,
        "department": content.department,
        "details": details,
        "prev_hash": prev_hash,
        "purpose": content.purpose,
        "recorded_at": _timestamp(content.recorded_at),
        "request_id": content.request_id,
        "roles": list(content.roles),
        "target_id": content.target_id,
        "target_type": content.target_type,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(content: ChainContent, prev_hash: str, *, as_stored: bool = False) -> str:
    """SHA-256 (hex) of the entry's canonical JSON, chained to ``prev_hash``."""
    text = canonical_json(content, prev_hash, as_stored=as_stored)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainLink:
    """One stored entry as the verifier reads it (a chained one: position set)."""

    id: int
    position: int
    prev_hash: str
    hash: str
    content: ChainContent


def check_link(link: ChainLink, expected_prev_hash: str) -> ChainBreak | None:
    """Is this entry linked to the one before it, and is its content unchanged?"""
    if link.prev_hash != expected_prev_hash:
        return ChainBreak.chain_broken
    if entry_hash(link.content, link.prev_hash) != link.hash:
        return ChainBreak.hash_mismatch
    return None
