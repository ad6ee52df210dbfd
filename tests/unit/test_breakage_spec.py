"""Spec input that used to get through validation, or fail without naming the fix.

Each case is a spec the cloud would have received in a form it refuses (or reads differently),
or a spec file whose problem surfaced as a bare Python error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from flows.spec import SpecError, load_spec, parse_spec

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "resource-group.yaml"


def example() -> dict[str, Any]:
    return dict(yaml.safe_load(EXAMPLE.read_text()))


def _rule(**fields: Any) -> dict[str, Any]:
    return {"protocol": "TCP", "port_range": "443/443", "cidr": "10.0.0.0/8", **fields}


def _problems(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(SpecError) as raised:
        parse_spec(data)
    return dict(raised.value.problems)


def test_load_spec_duplicated_key_is_refused_naming_it(tmp_path: Path) -> None:
    """YAML keeps the last of two equal keys: `name: demo` then `name: prod` acted on prod."""
    text = EXAMPLE.read_text().replace("name: demo\n", "name: demo\nname: prod\n", 1)
    path = tmp_path / "spec.yaml"
    path.write_text(text)

    with pytest.raises(SpecError) as raised:
        load_spec(path)

    (field, message), *_ = raised.value.problems
    assert field == "(file)"
    assert "'name'" in message and "line 3" in message and "more than once" in message


def test_load_spec_duplicated_nested_key_is_refused(tmp_path: Path) -> None:
    text = EXAMPLE.read_text().replace(
        "  retention_days: 30\n", "  retention_days: 30\n  retention_days: 1\n"
    )
    path = tmp_path / "spec.yaml"
    path.write_text(text)

    with pytest.raises(SpecError, match="'retention_days' is given more than once"):
        load_spec(path)


def test_load_spec_file_not_utf8_is_a_spec_error_naming_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(EXAMPLE.read_text().replace("ml-platform", "caf\xe9").encode("latin-1"))

    with pytest.raises(SpecError, match="not UTF-8 text.*save it as UTF-8"):
        load_spec(path)


def test_load_spec_directory_is_a_spec_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="is not a readable file"):
        load_spec(tmp_path)


@pytest.mark.parametrize("port_range", ["٤٤٣/٤٤٣", "４４３/４４３"])
def test_parse_spec_port_range_with_non_ascii_digits_is_refused(port_range: str) -> None:
    """``\\d`` and ``int()`` read these as 443; the API receives the characters themselves."""
    data = example()
    data["security_group"] = {"rules": [_rule(port_range=port_range)]}

    problems = _problems(data)

    assert "ASCII digits" in problems["security_group.rules.0.port_range"]


def test_parse_spec_port_range_is_written_canonically() -> None:
    data = example()
    data["security_group"] = {"rules": [_rule(port_range="0443/00443")]}

    spec = parse_spec(data)

    assert spec.security_group.rules is not None
    assert spec.security_group.rules[0].port_range == "443/443"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("log", "retention_days"), True),
        (("log", "shards"), False),
        (("private_zone", "records", 0, "ttl"), True),
    ],
)
def test_parse_spec_boolean_for_a_number_is_refused(path: tuple[Any, ...], value: bool) -> None:
    """`retention_days: yes` used to mean one day of retention (True == 1)."""
    data = example()
    target: Any = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value

    problems = _problems(data)

    field = ".".join(map(str, path))
    assert "a number, not true/false" in problems[field]


def test_parse_spec_yaml_boolean_for_a_text_field_says_to_quote_it() -> None:
    """YAML reads an unquoted `on` as true: the message must say to quote it."""
    data = example()
    data["endpoint_services"][2]["key"] = True

    problems = _problems(data)

    assert "quote" in problems["endpoint_services.2.key"]


@pytest.mark.parametrize("tags", [{"http://owner": "x"}, {"owner": "https://wiki/team"}])
def test_parse_spec_tag_with_a_url_is_refused(tags: dict[str, str]) -> None:
    """Tag keys and values may not contain http:// or https://; the security group's create refused
    them after the preflight, with the zone and the logs already made."""
    data = example()
    data["tags"] = tags

    problems = _problems(data)

    assert "http://" in problems["tags"]


def test_load_spec_duplicated_key_in_a_flow_mapping_is_refused(tmp_path: Path) -> None:
    text = EXAMPLE.read_text().replace("tags:\n  team: ml-platform\n", "tags: {team: a, team: b}\n")
    path = tmp_path / "spec.yaml"
    path.write_text(text)

    with pytest.raises(SpecError, match="'team' is given more than once"):
        load_spec(path)


def test_load_spec_merge_key_may_override_what_it_merges(tmp_path: Path) -> None:
    """Anchors and ``<<`` merges stay usable: a key next to a merge overrides it, on purpose."""
    text = EXAMPLE.read_text().replace(
        "tags:\n  team: ml-platform\n", "base: &base {team: a}\ntags:\n  <<: *base\n  team: ml-platform\n"
    )
    path = tmp_path / "spec.yaml"
    path.write_text(text)

    with pytest.raises(SpecError) as raised:
        load_spec(path)

    assert dict(raised.value.problems) == {"base": "unknown field; remove it or check its spelling"}
