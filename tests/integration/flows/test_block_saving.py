"""Block saves through blocks.saving against the session's Prefect server: every path ends with the
document holding exactly what was saved last."""

from __future__ import annotations

import itertools

from prefect.blocks.system import Secret

from blocks.record import ResourceGroupRecord, load_record, record_block_name
from blocks.saving import save_block

_names = itertools.count(1)


def _record(**resources: dict[str, str]) -> tuple[ResourceGroupRecord, str]:
    group = f"saving-{next(_names)}"
    return ResourceGroupRecord(name=group, region="cn-hangzhou", resources=resources), group


def test_save_block_overwrite_replaces_the_document_without_merging() -> None:
    record, group = _record(zone={"id": "z1"}, endpoint={"id": "ep-1"})
    save_block(record, record_block_name(group, "cn-hangzhou"))  # new document
    loaded = load_record(group, "cn-hangzhou")
    assert loaded is not None
    loaded.resources.pop("zone")
    loaded.status = "onboarded"
    save_block(loaded, record_block_name(group, "cn-hangzhou"))  # known document
    again = load_record(group, "cn-hangzhou")
    assert again is not None
    assert (again.status, again.resources) == ("onboarded", {"endpoint": {"id": "ep-1"}})


def test_save_block_of_a_document_deleted_since_loaded_creates_it_again() -> None:
    record, group = _record(zone={"id": "z1"})
    name = record_block_name(group, "cn-hangzhou")
    save_block(record, name)
    loaded = load_record(group, "cn-hangzhou")
    assert loaded is not None
    ResourceGroupRecord.delete(name)
    loaded.status = "torn-down"
    save_block(loaded, name)
    again = load_record(group, "cn-hangzhou")
    assert again is not None and again.status == "torn-down"


def test_save_block_of_a_new_object_under_a_taken_name_overwrites_it() -> None:
    name = f"saving-secret-{next(_names)}"
    save_block(Secret(value="first"), name)
    save_block(Secret(value="second"), name)
    save_block(Secret(value="third"), name)
    assert Secret.load(name).get() == "third"
