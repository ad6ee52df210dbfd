"""The resource-group record: what onboarding meant to create, saved *before* each create is sent.

Most resources are found again by their ownership tags or deterministic names.  Some cannot be:
the EAS role has no PrivateZone read action, so a private zone whose ``AddZone`` response was
lost would be orphaned.  For those, onboarding saves an *intent* (the step's key and the
``ClientToken`` it is about to send) in this block first; a re-run re-sends the same token (the
API answers with the zone it already made) or adopts the recorded id.  Teardown reads the record
too, so it still finds resources when their tags were lost — and tags still find them when the
record is lost.

The record is a Prefect block (``easrg-resource-group-record``), so it lives with the Prefect
server the flows report to, and operators can inspect it in the UI.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from prefect.blocks.core import Block
from pydantic import Field

from blocks.saving import busy_retried, save_block

_LOCK = threading.Lock()


def record_block_name(name: str, region: str) -> str:
    """Block names allow lowercase letters, digits and dashes; both inputs are validated so."""
    return f"rg-{region}-{name}"


class ResourceGroupRecord(Block):
    """What eas-rg created (or is about to create) for one resource group."""

    _block_type_slug = "easrg-resource-group-record"
    _block_type_name = "eas-rg Resource Group Record"
    _description = (
        "Intents and ids of the cloud resources eas-rg created for a PAI-EAS self-managed "
        "resource group; written before each create so nothing is orphaned."
    )

    name: str = Field(description="Resource group name.")
    region: str = Field(description="Region id.")
    status: str = Field("new", description="new, onboarding, onboarded, tearing-down, torn-down, blocked.")
    spec: dict[str, Any] = Field(default_factory=dict, description="The last spec applied.")
    resources: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="By step key (e.g. 'private-zone'): client_token, id, state, updated_at and details.",
    )
    updated_at: float = 0.0

    def resource(self, key: str) -> dict[str, Any]:
        return dict(self.resources.get(key, {}))


def load_record(name: str, region: str) -> ResourceGroupRecord | None:
    """The saved record, or None when there is none."""
    try:
        loaded = busy_retried(lambda: ResourceGroupRecord.load(record_block_name(name, region)))
    except ValueError:
        return None
    assert isinstance(loaded, ResourceGroupRecord)
    return loaded


def update_record(
    name: str, region: str, change: Callable[[ResourceGroupRecord], None]
) -> ResourceGroupRecord:
    """Load (or start) the record, apply ``change`` and save it, serialised within this process."""
    with _LOCK:
        record = load_record(name, region) or ResourceGroupRecord(name=name, region=region)
        change(record)
        record.updated_at = time.time()
        save_block(record, record_block_name(name, region))
        return record


def set_resource(name: str, region: str, key: str, /, **fields: Any) -> ResourceGroupRecord:
    """Merge ``fields`` into the entry ``key`` (e.g. ``client_token`` before a create, ``id`` after)."""

    def change(record: ResourceGroupRecord) -> None:
        entry = dict(record.resources.get(key, {}))
        entry.update(fields)
        entry["updated_at"] = time.time()
        record.resources[key] = entry

    return update_record(name, region, change)


def set_status(spec: Any, status: str, applied: dict[str, Any] | None = None,
               resources: dict[str, dict[str, Any]] | None = None) -> ResourceGroupRecord:
    """Set the record's status, and optionally the spec last applied and facts about resources
    (merged per key), for ``spec`` (anything with a name and a region), in one save."""

    def change(record: ResourceGroupRecord) -> None:
        record.status = status
        if applied is not None:
            record.spec = applied
        for key, fields in (resources or {}).items():
            record.resources[key] = {**record.resources.get(key, {}), **fields, "updated_at": time.time()}

    return update_record(spec.name, spec.region, change)


def drop_resource(name: str, region: str, key: str) -> ResourceGroupRecord:
    """Forget ``key`` once the resource is gone."""
    return update_record(name, region, lambda record: record.resources.pop(key, None) and None)


def delete_record(name: str, region: str) -> None:
    """Remove the record block entirely (after a complete teardown)."""
    with _LOCK:
        if load_record(name, region) is not None:
            ResourceGroupRecord.delete(record_block_name(name, region))


def set_resources(spec: Any, status: str, resources: dict[str, dict[str, Any]]) -> ResourceGroupRecord:
    """Set the status and replace every resource entry at once (what a teardown leaves behind)."""

    def change(record: ResourceGroupRecord) -> None:
        record.status = status
        record.resources = {key: dict(fields) for key, fields in resources.items()}

    return update_record(spec.name, spec.region, change)


def list_records() -> list[ResourceGroupRecord]:
    """Every saved record, all regions (an inventory of the groups eas-rg knows about)."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound, PrefectHTTPStatusError

    slug = ResourceGroupRecord.get_block_type_slug()
    records: list[ResourceGroupRecord] = []
    with get_client(sync_client=True) as client:
        offset = 0
        while True:
            try:
                page = client.read_block_documents_by_type(slug, offset=offset, limit=200)
            except ObjectNotFound:
                return []
            except PrefectHTTPStatusError as error:
                # No record was ever saved to this server: the block type is not registered, which
                # this endpoint answers with a bare 404 (not translated to ObjectNotFound).
                if error.response.status_code == 404:
                    return []
                raise
            for document in page:
                records.append(ResourceGroupRecord.model_validate(document.data))
            if len(page) < 200:
                return records
            offset += len(page)
