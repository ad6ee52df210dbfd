"""The resource-group spec: what an operator asks for, validated before any cloud call.

Every rule here exists to fail early with a message that names the field and the fix, instead
of letting the cloud refuse a call half-way through onboarding.  Patterns are published in the
JSON schema (so the Prefect UI form shows them) but checked by validators, whose messages say
what to do.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

#: Tag keys the product puts on everything it creates; users may not set them.
OWNER_TAG = "easrg:resource-group"
MANAGED_TAG = "easrg:managed-by"
MANAGED_VALUE = "eas-rg"
MAX_USER_TAGS = 18  # Alibaba Cloud allows 20 tags per resource; two are ours.
TTL_VALUES = (5, 30, 60, 3600, 43200, 86400)

_NAME = r"^[a-z][a-z0-9-]{1,28}[a-z0-9]$"
_REGION = r"^[a-z]{2}(-[a-z0-9]+)+$"
_VPC = r"^vpc-[a-z0-9]{6,40}$"
_VSW = r"^vsw-[a-z0-9]{6,40}$"
_CLUSTER = r"^c[a-z0-9]{10,40}$"
_SERVICE = r"^com\.aliyuncs\.privatelink\.[a-z0-9-]+\.[a-z0-9][a-z0-9.-]*$"
_KEY = r"^[a-z][a-z0-9-]{0,29}[a-z0-9]$|^[a-z]$"
_LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = rf"^({_LABEL}\.)+{_LABEL}$"
_PROJECT = r"^eas-[a-z0-9-]{0,58}[a-z0-9]$"
_LOGSTORE = r"^eas-[a-z0-9_-]{0,58}[a-z0-9]$"
_GROUP = r"^[a-z0-9][a-z0-9_-]{0,126}[a-z0-9]$"
_CONFIG = r"^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$"


class SpecError(ValueError):
    """The spec is invalid; ``problems`` lists ``(field, message)`` pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        lines = [f"  - {field}: {message}" for field, message in problems]
        super().__init__("invalid resource-group spec:\n" + "\n".join(lines))


def _check(value: str, pattern: str, what: str, fix: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(pattern, value):
        raise ValueError(f"{value!r} is not {what}; {fix}")
    return value


def _not_a_boolean(value: Any) -> Any:
    """Refuse ``true``/``false`` where a number is meant (pydantic reads ``True`` as 1: YAML's
    ``retention_days: yes`` meant one day)."""
    if isinstance(value, bool):
        raise ValueError(f"must be a number, not true/false ({str(value).lower()})")
    return value


#: an integer that refuses booleans
Number = Annotated[int, BeforeValidator(_not_a_boolean)]


def _pattern(regex: str, description: str) -> Any:
    return Field(description=description, json_schema_extra={"pattern": regex})


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EndpointServiceSpec(_Model):
    """A cloud service reached privately through one VPC endpoint."""

    key: str = _pattern(_KEY, "Short label, used in names and as the DNS record name, e.g. 'pai-eas'.")
    service_name: str = _pattern(
        _SERVICE, "Endpoint service name, e.g. com.aliyuncs.privatelink.cn-hangzhou.pai-eas."
    )

    @field_validator("key")
    @classmethod
    def _key(cls, v: str) -> str:
        return _check(
            v, _KEY, "a valid key", "use 1-31 lowercase letters, digits or '-', starting with a letter"
        )

    @field_validator("service_name")
    @classmethod
    def _service(cls, v: str) -> str:
        return _check(
            v,
            _SERVICE,
            "an endpoint service name",
            "use the service's full name, e.g. com.aliyuncs.privatelink.cn-hangzhou.pai-eas",
        )


class RuleSpec(_Model):
    """One security-group rule."""

    direction: Literal["ingress", "egress"] = "ingress"
    protocol: Literal["TCP", "UDP", "ICMP", "ALL"] = "TCP"
    port_range: str = Field("443/443", description="'start/end', 1-65535; '-1/-1' for ICMP and ALL.")
    cidr: str = Field(description="Peer IPv4 CIDR block, e.g. 192.168.0.0/16.")
    policy: Literal["accept", "drop"] = "accept"
    priority: Number = Field(1, ge=1, le=100)
    description: str = Field("", max_length=512)

    @field_validator("port_range")
    @classmethod
    def _port_range(cls, v: str) -> str:
        """ASCII digits only (``\\d`` and ``int()`` also take other scripts' digits, which the API
        receives as they are), written canonically (``0443`` is ``443``)."""
        found = re.fullmatch(r"(-?[0-9]{1,10})/(-?[0-9]{1,10})", v)
        if not found:
            raise ValueError(f"port_range {v!r} must be 'start/end' in ASCII digits, e.g. 443/443")
        return f"{int(found.group(1))}/{int(found.group(2))}"

    @field_validator("cidr")
    @classmethod
    def _cidr(cls, v: str) -> str:
        try:
            return str(ipaddress.IPv4Network(v, strict=True))
        except ValueError:
            raise ValueError(
                f"{v!r} is not an IPv4 CIDR block; write it as a network such as 192.168.0.0/16 "
                "(host bits zero)"
            ) from None

    @model_validator(mode="after")
    def _ports(self) -> RuleSpec:
        start, end = (int(part) for part in self.port_range.split("/"))
        if self.protocol in ("ICMP", "ALL"):
            if (start, end) != (-1, -1):
                raise ValueError(f"port_range for {self.protocol} must be -1/-1, not {self.port_range}")
        elif not (1 <= start <= end <= 65535):
            raise ValueError(f"port_range {self.port_range!r} must satisfy 1 <= start <= end <= 65535")
        return self


class SecurityGroupSpec(_Model):
    rules: list[RuleSpec] | None = Field(
        None, description="Rules of the group; empty means what EAS needs, derived from the VPC's CIDR."
    )

    @field_validator("rules")
    @classmethod
    def _count(cls, v: list[RuleSpec] | None) -> list[RuleSpec] | None:
        if v is not None and len(v) > 100:
            raise ValueError(f"{len(v)} rules given; at most 100 fit in one call (and 200 in a group)")
        return v


class RecordSpec(_Model):
    rr: str = Field(
        description="Record name inside the zone: '@' for the apex, '*' for a wildcard, or a label."
    )
    type: Literal["A", "CNAME", "TXT"] = "A"
    value: str
    ttl: Number = 60

    @field_validator("rr")
    @classmethod
    def _rr(cls, v: str) -> str:
        if v in ("@", "*") or re.fullmatch(rf"(\*\.)?{_LABEL}(\.{_LABEL})*", v):
            return v
        raise ValueError(f"{v!r} is not a record name; use '@' for the apex, '*' or lowercase DNS labels")

    @field_validator("ttl")
    @classmethod
    def _ttl(cls, v: int) -> int:
        if v not in TTL_VALUES:
            raise ValueError(
                f"ttl {v} is not accepted by PrivateZone; use one of {', '.join(map(str, TTL_VALUES))}"
            )
        return v

    @model_validator(mode="after")
    def _value(self) -> RecordSpec:
        if self.type == "A":
            try:
                ipaddress.IPv4Address(self.value)
            except ValueError:
                raise ValueError(f"an A record needs an IPv4 address as value, not {self.value!r}") from None
        elif self.type == "CNAME" and not re.fullmatch(_DOMAIN, self.value.rstrip(".")):
            raise ValueError(f"a CNAME record needs a domain name as value, not {self.value!r}")
        elif self.type == "TXT" and not 1 <= len(self.value) <= 255:
            raise ValueError("a TXT record value must be 1-255 characters")
        return self


class PrivateZoneSpec(_Model):
    name: str = _pattern(_DOMAIN, "Zone name, e.g. demo.eas.private.")
    records: list[RecordSpec] = Field(
        default_factory=list, description="Extra records; a CNAME per endpoint service is always added."
    )

    @field_validator("records")
    @classmethod
    def _cname_alone(cls, v: list[RecordSpec]) -> list[RecordSpec]:
        names = [r.rr for r in v]
        for index, record in enumerate(v):
            if record.type == "CNAME" and names.count(record.rr) > 1:
                raise ValueError(
                    f"record {index} is a CNAME named {record.rr!r} like another record; "
                    "a CNAME must be the only record of its name"
                )
        return v

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        _check(v, _DOMAIN, "a zone name", "use two or more lowercase DNS labels, e.g. demo.eas.private")
        if len(v) > 253:
            raise ValueError("a zone name is at most 253 characters")
        return v


class LogtailSpec(_Model):
    config_name: str = _pattern(_CONFIG, "Logtail configuration name.")
    log_path: str = Field("/var/log/eas", description="Absolute directory the agent reads.")
    file_pattern: str = Field("*.log", description="File name pattern inside log_path.")

    @field_validator("config_name")
    @classmethod
    def _name(cls, v: str) -> str:
        return _check(
            v,
            _CONFIG,
            "a Logtail config name",
            "use 3-63 lowercase letters, digits, '-' or '_', starting and ending with a letter or digit",
        )

    @field_validator("log_path")
    @classmethod
    def _path(cls, v: str) -> str:
        if not v.startswith("/") or "\x00" in v:
            raise ValueError(f"log_path {v!r} must be an absolute path such as /var/log/eas")
        return v


class LogSpec(_Model):
    project: str = _pattern(
        _PROJECT, "Log project; must start with 'eas-' (the role only manages eas-* projects)."
    )
    logstore: str = _pattern(_LOGSTORE, "Logstore; must start with 'eas-'.")
    retention_days: Number = Field(30, ge=1, le=3650, description="Days of retention (3650 = permanent).")
    shards: Number = Field(2, ge=1, le=64)
    index_keys: list[str] = Field(default_factory=lambda: ["level", "service", "request_id"])
    machine_group: str = _pattern(_GROUP, "Machine group of the resource group's nodes.")
    machine_ids: list[str] = Field(min_length=1, description="Custom identifiers the Logtail agents report.")
    logtail: LogtailSpec

    @field_validator("project")
    @classmethod
    def _project(cls, v: str) -> str:
        return _check(
            v,
            _PROJECT,
            "an allowed log project name",
            "start it with 'eas-' (the EAS role only manages eas-* projects) and use 4-63 lowercase "
            "letters, digits or '-', ending with a letter or digit",
        )

    @field_validator("logstore")
    @classmethod
    def _logstore(cls, v: str) -> str:
        return _check(
            v,
            _LOGSTORE,
            "an allowed logstore name",
            "start it with 'eas-' and use 4-63 lowercase letters, digits, '-' or '_'",
        )

    @field_validator("machine_group")
    @classmethod
    def _group(cls, v: str) -> str:
        return _check(
            v,
            _GROUP,
            "a machine group name",
            "use 2-128 lowercase letters, digits, '-' or '_', starting and ending with a letter or digit",
        )

    @field_validator("index_keys")
    @classmethod
    def _keys(cls, v: list[str]) -> list[str]:
        for key in v:
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]{0,127}", key):
                raise ValueError(
                    f"index key {key!r} must start with a letter or '_' and use letters, digits, "
                    "'_', '.' or '-'"
                )
        if len(set(v)) != len(v):
            raise ValueError("index keys must be unique")
        return v


class ResourceGroupSpec(_Model):
    """Everything EAS needs in the customer's account for one self-managed resource group."""

    name: str = _pattern(_NAME, "Resource group name: 3-30 lowercase letters, digits or '-'.")
    region: str = _pattern(_REGION, "Region id, e.g. cn-hangzhou.")
    vpc_id: str = _pattern(_VPC, "The VPC of the ACK cluster.")
    vswitch_ids: list[str] = Field(description="vSwitches (one per zone) where endpoints get an address.")
    cluster_id: str = _pattern(_CLUSTER, "The ACK cluster id.")
    endpoint_services: list[EndpointServiceSpec] = Field(min_length=1, max_length=10)
    security_group: SecurityGroupSpec = Field(default_factory=SecurityGroupSpec)
    private_zone: PrivateZoneSpec
    log: LogSpec
    tags: dict[str, str] = Field(default_factory=dict, description="Extra tags put on every resource.")

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        return _check(
            v,
            _NAME,
            "a resource group name",
            "use 3-30 lowercase letters, digits or '-', starting with a letter",
        )

    @field_validator("region")
    @classmethod
    def _region(cls, v: str) -> str:
        return _check(v, _REGION, "a region id", "use an id such as cn-hangzhou")

    @field_validator("vpc_id")
    @classmethod
    def _vpc(cls, v: str) -> str:
        return _check(v, _VPC, "a VPC id", "copy the id from the VPC console, e.g. vpc-bp1...")

    @field_validator("cluster_id")
    @classmethod
    def _cluster(cls, v: str) -> str:
        return _check(v, _CLUSTER, "an ACK cluster id", "copy the id from the ACK console, e.g. c7f3...")

    @field_validator("vswitch_ids")
    @classmethod
    def _vswitches(cls, v: list[str]) -> list[str]:
        if not 1 <= len(v) <= 10:
            raise ValueError(f"{len(v)} vSwitches given; give 1 to 10 (an endpoint takes at most 10 zones)")
        for item in v:
            _check(item, _VSW, "a vSwitch id", "copy the id from the VPC console, e.g. vsw-bp1...")
        if len(set(v)) != len(v):
            raise ValueError("vSwitch ids must be unique")
        return v

    @field_validator("endpoint_services")
    @classmethod
    def _services(cls, v: list[EndpointServiceSpec], info: ValidationInfo) -> list[EndpointServiceSpec]:
        keys = [s.key for s in v]
        names = [s.service_name for s in v]
        if len(set(keys)) != len(keys) or len(set(names)) != len(names):
            raise ValueError("endpoint service keys and names must be unique (one endpoint per service)")
        region = info.data.get("region")  # absent when the region itself is invalid
        for index, service in enumerate(v):
            if region and f".{region}." not in service.service_name:
                raise ValueError(
                    f"service {index} ({service.service_name}) is not in region {region}; "
                    "use the service name of the same region"
                )
        return v

    @field_validator("tags")
    @classmethod
    def _tags(cls, v: dict[str, str]) -> dict[str, str]:
        if len(v) > MAX_USER_TAGS:
            raise ValueError(f"{len(v)} tags given; at most {MAX_USER_TAGS} (two of the 20 are eas-rg's own)")
        for key, value in v.items():
            if key.startswith(("easrg:", "acs:", "aliyun")) or not 1 <= len(key) <= 128:
                raise ValueError(
                    f"tag key {key!r} is reserved or too long; keys are 1-128 characters and may "
                    "not start with 'easrg:', 'acs:' or 'aliyun'"
                )
            if len(value) > 128 or value.startswith(("acs:", "aliyun")):
                raise ValueError(
                    f"tag value of {key!r} must be at most 128 characters and not start with "
                    "'acs:' or 'aliyun'"
                )
            if any(url in text for text in (key, value) for url in ("http://", "https://")):
                raise ValueError(
                    f"tag {key!r}: keys and values may not contain http:// or https:// (the cloud "
                    "refuses such tags); drop the scheme"
                )
        return v

    @field_validator("private_zone")
    @classmethod
    def _records_fit(cls, v: PrivateZoneSpec, info: ValidationInfo) -> PrivateZoneSpec:
        """The zone gets a CNAME per endpoint service named after its key: a record of the same
        name would be refused (a CNAME shares its name with nothing) and silently missing."""
        keys = {s.key for s in info.data.get("endpoint_services") or []}
        for index, record in enumerate(v.records):
            if record.rr in keys:
                raise ValueError(
                    f"records.{index}.rr {record.rr!r} is the CNAME of the endpoint service with that key; "
                    "give the record another name"
                )
        return v

    # ---- names derived from the spec (deterministic, so re-runs find what they made) ----

    def owner_tags(self) -> dict[str, str]:
        return {**self.tags, OWNER_TAG: self.name, MANAGED_TAG: MANAGED_VALUE}

    @property
    def security_group_name(self) -> str:
        return f"eas-rg-{self.name}"

    def endpoint_name(self, key: str) -> str:
        return f"eas-rg-{self.name}-{key}"


Spec = Annotated[ResourceGroupSpec, Field(description="The resource group to build.")]


def _problems(error: ValidationError) -> list[tuple[str, str]]:
    problems = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "(spec)"
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown field; remove it or check its spelling"
        elif item["type"] == "missing":
            message = "required; add it to the spec"
        elif item["type"] == "string_type" and isinstance(item.get("input"), (bool, int, float)):
            message += (
                f", not {item['input']!r}: YAML reads unquoted yes/no/on/off/true/false and numbers "
                "as such; put the value in quotes"
            )
        problems.append((field, message))
    return problems


def parse_spec(data: Any) -> ResourceGroupSpec:
    """Validate a mapping; raise :class:`SpecError` naming every bad field and its fix."""
    if isinstance(data, ResourceGroupSpec):
        return data
    if not isinstance(data, dict):
        raise SpecError([("(spec)", "must be a mapping of fields (YAML or JSON object)")])
    try:
        return ResourceGroupSpec.model_validate(data)
    except ValidationError as error:
        raise SpecError(_problems(error)) from None


class _DuplicateKeyError(yaml.YAMLError):
    """A mapping gives one key twice (plain YAML keeps the last one, silently)."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """The safe loader, refusing a key given twice in one mapping: with ``name: demo`` followed by
    ``name: prod``, a flow acted on ``prod`` while the file's reader saw ``demo``."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # "<<: *anchor" merges: its keys may be overridden on purpose
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                first = seen.get(key)
            except TypeError:
                continue  # an unhashable key: the base loader reports it
            if first is not None:
                raise _DuplicateKeyError(
                    f"{key!r} is given more than once (line {first} and line {line}); keep only one"
                )
            seen[key] = line
        return super().construct_mapping(node, deep)


def load_spec(path: str | Path) -> ResourceGroupSpec:
    """Read and validate a YAML spec file."""
    file = Path(path)
    try:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # a SafeLoader
    except FileNotFoundError:
        raise SpecError([("(file)", f"{file} does not exist; give the path of a spec YAML file")]) from None
    except UnicodeDecodeError as error:
        problem = f"{file} is not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8"
        raise SpecError([("(file)", problem)]) from None
    except OSError as error:
        problem = f"{file} is not a readable file ({error.strerror}); give the path of a spec YAML file"
        raise SpecError([("(file)", problem)]) from None
    except _DuplicateKeyError as error:
        raise SpecError([("(file)", f"{file}: {error}")]) from None
    except yaml.YAMLError as error:
        raise SpecError([("(file)", f"{file} is not valid YAML: {error}")]) from None
    return parse_spec(data)
