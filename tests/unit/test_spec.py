"""The resource-group spec: what it accepts, and how it rejects bad input (field named, fix given)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from flows.spec import OWNER_TAG, SpecError, load_spec, parse_spec

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "resource-group.yaml"


def example() -> dict[str, Any]:
    return dict(yaml.safe_load(EXAMPLE.read_text()))


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value

    return change


def _rule(**fields: Any) -> dict[str, Any]:
    return {
        "direction": "ingress",
        "protocol": "TCP",
        "port_range": "443/443",
        "cidr": "10.0.0.0/8",
        **fields,
    }


#: (kind, change, field named, words the message must hold)
BAD_SPECS: list[tuple[str, Callable[[dict[str, Any]], None], str, str]] = [
    ("vpc id", _set("vpc_id", "vpc_123"), "vpc_id", "copy the id"),
    ("vswitch id", _set("vswitch_ids", ["vsw-bp1easrg0demo00000j1", "vswitch-2"]), "vswitch_ids", "vsw-bp1"),
    ("cluster id", _set("cluster_id", "k8s-demo"), "cluster_id", "ACK console"),
    ("group name", _set("name", "Demo_Group"), "name", "lowercase"),
    ("region", _set("region", "Hangzhou"), "region", "cn-hangzhou"),
    (
        "CIDR with host bits",
        _set("security_group", {"rules": [_rule(cidr="192.168.1.7/16")]}),
        "security_group.rules.0.cidr",
        "host bits zero",
    ),
    (
        "port out of range",
        _set("security_group", {"rules": [_rule(port_range="0/70000")]}),
        "security_group.rules.0",
        "1 <= start <= end <= 65535",
    ),
    (
        "ICMP with ports",
        _set("security_group", {"rules": [_rule(protocol="ICMP", port_range="22/22")]}),
        "security_group.rules.0",
        "-1/-1",
    ),
    ("record TTL", _set("private_zone.records.0.ttl", 61), "private_zone.records.0.ttl", "one of 5, 30, 60"),
    ("A record value", _set("private_zone.records.0.value", "api.local"), "private_zone.records.0", "IPv4"),
    ("zone name", _set("private_zone.name", "nodots"), "private_zone.name", "two or more"),
    ("log project without eas-", _set("log.project", "demo-logs"), "log.project", "start it with 'eas-'"),
    ("logstore without eas-", _set("log.logstore", "inference"), "log.logstore", "start it with 'eas-'"),
    ("retention", _set("log.retention_days", 0), "log.retention_days", "greater than or equal to 1"),
    ("no machine ids", _set("log.machine_ids", []), "log.machine_ids", "at least 1"),
    ("unknown field", _set("vswitches", []), "vswitches", "unknown field"),
    ("unknown nested field", _set("log.ttl", 30), "log.ttl", "unknown field"),
    (
        "duplicate vSwitches",
        _set("vswitch_ids", ["vsw-bp1easrg0demo00000j1", "vsw-bp1easrg0demo00000j1"]),
        "vswitch_ids",
        "unique",
    ),
    ("too many tags", _set("tags", {f"k{i}": "v" for i in range(19)}), "tags", "at most 18"),
    ("reserved tag key", _set("tags", {OWNER_TAG: "other"}), "tags", "reserved"),
    ("acs tag key", _set("tags", {"acs:cost": "x"}), "tags", "may not start with"),
    (
        "service in another region",
        _set("endpoint_services.1.service_name", "com.aliyuncs.privatelink.cn-shanghai.log"),
        "endpoint_services",
        "not in region cn-hangzhou",
    ),
    ("duplicate service", _set("endpoint_services.2.key", "log"), "endpoint_services", "unique"),
    (
        "record named like a service key",
        _set("private_zone.records.0.rr", "pai-eas"),
        "private_zone",
        "CNAME",
    ),
    ("missing field", lambda data: data.pop("cluster_id"), "cluster_id", "required"),
]


@pytest.mark.parametrize(
    ("change", "field", "words"), [case[1:] for case in BAD_SPECS], ids=[c[0] for c in BAD_SPECS]
)
def test_parse_spec_rejects_bad_input_naming_the_field(
    change: Callable[[dict[str, Any]], None], field: str, words: str
) -> None:
    data = copy.deepcopy(example())
    change(data)
    with pytest.raises(SpecError) as raised:
        parse_spec(data)
    problems = dict(raised.value.problems)
    assert field in problems, f"{field} not named in {raised.value}"
    assert words in problems[field]
    assert f"  - {field}: " in str(raised.value)


def test_parse_spec_lists_every_problem_at_once() -> None:
    data = example()
    data["vpc_id"], data["cluster_id"] = "vpc_1", "k8s"
    with pytest.raises(SpecError) as raised:
        parse_spec(data)
    assert {field for field, _ in raised.value.problems} == {"vpc_id", "cluster_id"}


def test_parse_spec_rejects_a_cname_sharing_its_name() -> None:
    data = example()
    data["private_zone"]["records"] = [
        {"rr": "www", "type": "A", "value": "192.168.1.1"},
        {"rr": "www", "type": "CNAME", "value": "api.example.com"},
    ]
    with pytest.raises(SpecError, match="private_zone.records: record 1 is a CNAME named 'www'"):
        parse_spec(data)


def test_parse_spec_rejects_a_non_mapping() -> None:
    with pytest.raises(SpecError, match=r"\(spec\): must be a mapping"):
        parse_spec(["name", "demo"])


def test_load_spec_of_a_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="does not exist"):
        load_spec(tmp_path / "absent.yaml")


def test_load_spec_reads_the_example() -> None:
    spec = load_spec(EXAMPLE)
    assert (spec.name, spec.security_group_name, spec.endpoint_name("log")) == (
        "demo",
        "eas-rg-demo",
        "eas-rg-demo-log",
    )
    assert spec.owner_tags()[OWNER_TAG] == "demo"
