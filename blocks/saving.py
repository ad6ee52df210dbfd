"""Saving a block document in as few Prefect API calls as the save needs.

``Block.save(name, overwrite=True)`` registers the block type and schema on every call, then tries
a create, reads the existing document on the conflict, patches it and reads it back: seven
requests to overwrite a document.  On a SQLite server busy with the task-run states of a running
flow each request waits for the database, and a record save took 2-3 s on the onboarding's
critical path.  Here the type and schema are registered once per Prefect API and block class;
after that, overwriting a document whose id is known is one ``PATCH``, and saving a new one is one
``POST`` (a ``PATCH`` that finds the document deleted meanwhile creates it again; a ``POST`` that
finds the name taken reads its id and patches it).  Anything else that goes wrong on that path
falls back to ``Block.save``, which registers again and raises what is really wrong.

:func:`busy_retried` runs a call against the Prefect API retrying "database locked" answers (503),
the other answers the client retries (408, 429, 502, 504) and dropped connections after 0.05 s
doubling to 0.8 s, for up to ``BUSY_RETRY_S``, then once more with the client's own retries
(which first sleep 2 s, then 4 s).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

import httpx
from prefect.blocks.core import Block
from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.actions import BlockDocumentCreate, BlockDocumentUpdate
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound, PrefectHTTPStatusError
from prefect.settings import PREFECT_CLIENT_MAX_RETRIES, temporary_settings

T = TypeVar("T")
#: how long quick retries of a busy Prefect API last before the client's own (slower) ones
BUSY_RETRY_S = 10.0
_BUSY = {429, 503}
#: what the Prefect client itself retries (busy, and the gateway and timeout answers)
_TRANSIENT = _BUSY | {408, 502, 504}

_LOCK = threading.Lock()
#: (Prefect API, block class) -> (type id, schema id) as registered by this process
_REGISTERED: dict[tuple[str, type[Block]], tuple[UUID, UUID]] = {}


def _transient(error: Exception) -> bool:
    """A failure the Prefect client itself would retry: a busy or gateway answer, or a reset or
    timed-out connection."""
    if isinstance(error, PrefectHTTPStatusError):
        return error.response.status_code in _TRANSIENT
    return isinstance(error, httpx.TransportError)


def busy_retried(call: Callable[[], T]) -> T:
    """``call()``, retried quickly while the Prefect API answers busy; then once more with the
    client's own retries (so a server that stays busy is waited out as before)."""
    deadline = time.monotonic() + BUSY_RETRY_S
    delay = 0.05
    while time.monotonic() < deadline:
        try:
            with temporary_settings({PREFECT_CLIENT_MAX_RETRIES: 0}):
                return call()
        except Exception as error:
            if not _transient(error):
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.8)
    return call()


def save_block(block: Block, name: str) -> None:
    """Save ``block`` as ``name``, overwriting a document of that name (busy answers retried
    quickly)."""
    busy_retried(lambda: _save_block(block, name))


def _save_block(block: Block, name: str) -> None:
    cls = type(block)
    with get_client(sync_client=True) as client:
        key = (str(client.api_url), cls)
        with _LOCK:
            registered = _REGISTERED.get(key)
        if registered is not None:
            try:
                _save_registered(client, block, name, *registered)
                return
            except Exception as error:  # e.g. a server whose database was reset: register again
                if _transient(error):  # the server or the connection, not the registration
                    raise
                with _LOCK:
                    _REGISTERED.pop(key, None)
    block.save(name, overwrite=True)  # registers the type and schema
    if cls._block_type_id is not None and cls._block_schema_id is not None:
        with _LOCK:
            _REGISTERED[key] = (cls._block_type_id, cls._block_schema_id)


def _save_registered(
    client: SyncPrefectClient, block: Block, name: str, type_id: UUID, schema_id: UUID
) -> None:
    data = block._to_block_document(
        name=name, block_schema_id=schema_id, block_type_id=type_id, include_secrets=True
    ).data
    update = BlockDocumentUpdate(block_schema_id=schema_id, data=data, merge_existing_data=False)
    if block._block_document_id is not None:
        try:
            client.update_block_document(block._block_document_id, update)
            block._block_document_name = name
            return
        except ObjectNotFound:
            pass  # deleted since it was loaded: create it again
    create = BlockDocumentCreate(name=name, block_schema_id=schema_id, block_type_id=type_id, data=data)
    try:
        document_id = client.create_block_document(create).id
    except ObjectAlreadyExists:
        slug = type(block).get_block_type_slug()
        existing = client.read_block_document_by_name(name=name, block_type_slug=slug)
        client.update_block_document(existing.id, update)
        document_id = existing.id
    block._block_document_id = document_id
    block._block_document_name = name
