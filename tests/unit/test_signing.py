"""Signature schemes against the published test vectors and the SDKs' own signers (no sockets)."""

from __future__ import annotations

from alibabacloud_tea_openapi.utils import Utils
from aliyun.log.auth import AuthV4
from aliyun.log.credentials import StaticCredentialsProvider

from emulator.core.signing import (
    acs3_canonical_query,
    acs3_canonical_request,
    acs3_signature,
    acs3_string_to_sign,
    roa_v1_signature,
    roa_v1_string_to_sign,
    rpc_v1_signature,
    rpc_v1_string_to_sign,
)
from emulator.core.signing_sls import (
    sls_v1_signature,
    sls_v1_string_to_sign,
    sls_v4_canonical_request,
    sls_v4_signature,
)

ACS3_HEADERS = {
    "accept": ["application/json"],
    "host": ["127.0.0.1:39281"],
    "user-agent": ["AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2"],
    "x-acs-action": ["BindZoneVpc"],
    "x-acs-content-sha256": ["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    "x-acs-credentials-provider": ["static_ak"],
    "x-acs-date": ["2026-12-03T18:06:12Z"],
    "x-acs-signature-nonce": ["05512c3ba59c7e9e8eedffcef96314a4"],
    "x-acs-version": ["2018-01-01"],
}
ACS3_QUERY = "Vpcs.1.RegionId=cn-hangzhou&Vpcs.1.VpcId=vpc-a+b&ZoneId=z-123"


def _acs3_vector() -> str:
    signed = sorted(ACS3_HEADERS)
    return acs3_canonical_request(
        "POST", "/", ACS3_QUERY, ACS3_HEADERS, signed, ACS3_HEADERS["x-acs-content-sha256"][0]
    )


def test_acs3_canonical_query_reencodes_form_values() -> None:
    assert (
        acs3_canonical_query(ACS3_QUERY) == "Vpcs.1.RegionId=cn-hangzhou&Vpcs.1.VpcId=vpc-a%20b&ZoneId=z-123"
    )


def test_acs3_string_to_sign_matches_vector() -> None:
    assert acs3_string_to_sign(_acs3_vector()) == (
        "ACS3-HMAC-SHA256\n5e2661d8f706febba5e6ff989e0741f61ff8a147c02c4d945d145b54c3c4b972"
    )


def test_acs3_signature_matches_vector() -> None:
    signature = acs3_signature("testsecret", acs3_string_to_sign(_acs3_vector()))
    assert signature == "b0235485a987aa2d5045d7d807a91b768b12deacb98d54ea079cfea37b386545"


def test_acs3_canonical_query_keeps_empty_values() -> None:
    assert acs3_canonical_query("empty=&dryRun=true") == "dryRun=true&empty="


def test_rpc_v1_signature_matches_sdk_signer() -> None:
    params = {
        "Action": "DescribeVpcs",
        "AccessKeyId": "testid",
        "Timestamp": "2026-12-03T18:06:12Z",
        "SignatureNonce": "n1",
        "Name": "a b~c/d*",
    }
    expected = Utils.get_rpcsignature(params, "POST", "testsecret")
    assert rpc_v1_signature("testsecret", rpc_v1_string_to_sign("POST", params)) == expected


def test_roa_v1_signature_matches_sdk_signer() -> None:
    headers = {
        "accept": "application/json",
        "date": "Thu, 03 Dec 2026 18:06:12 GMT",
        "x-acs-version": "2015-12-15",
        "x-acs-signature-nonce": "n1",
        "content-type": "application/json",
    }
    query = {"b": "2", "a": "", "c": "x y"}

    class _Request:
        method, pathname = "GET", "/clusters/c1"

    request = _Request()
    request.headers, request.query = headers, query  # type: ignore[attr-defined]
    expected = Utils.get_roasignature(Utils.get_string_to_sign(request), "testsecret")
    string_to_sign = roa_v1_string_to_sign("GET", headers, "/clusters/c1", list(query.items()))
    assert roa_v1_signature("testsecret", string_to_sign) == expected


def test_sls_v1_signature_matches_vector() -> None:
    headers = {
        "content-type": "application/json",
        "content-md5": "48DED7953E521602B1209BD043E6AA63",
        "date": "Thu, 03 Dec 2026 18:06:12 GMT",
        "x-log-apiversion": "0.6.0",
        "x-log-bodyrawsize": "132",
        "x-log-signaturemethod": "hmac-sha1",
        "x-log-date": "Thu, 03 Dec 2026 18:06:12 GMT",
    }
    string_to_sign = sls_v1_string_to_sign("POST", headers, "/machinegroups", [])
    assert sls_v1_signature("testsecret", string_to_sign) == "eJZkpoG4IqG1OqDZQ7+fd9Q4JbY="


def test_sls_v1_string_to_sign_renders_empty_query_values() -> None:
    headers = {"date": "d", "x-log-apiversion": "0.6.0"}
    text = sls_v1_string_to_sign(
        "GET", headers, "/", [("size", "100"), ("resourceGroupId", ""), ("offset", "0")]
    )
    assert text.endswith("x-log-apiversion:0.6.0\n/?offset=0&resourceGroupId=&size=100")


def test_sls_v4_signature_matches_sdk_signer() -> None:
    headers = {
        "x-log-apiversion": "0.6.0",
        "x-log-bodyrawsize": "0",
        "Host": "eas-p.127.0.0.1",
        "Content-Type": "application/json",
    }
    params = {"offset": "0", "size": "100", "logstoreName": "", "q": "a b"}
    auth = AuthV4(StaticCredentialsProvider("testid", "testsecret", None), "cn-hangzhou")
    auth.sign_request("GET", "/logstores", params, headers, b"")
    credential, signature = headers["Authorization"].split(",Signature=")
    day = credential.split("/")[1]
    lower = {k.lower(): v for k, v in headers.items() if k != "Authorization"}
    canonical, _ = sls_v4_canonical_request("GET", lower, "/logstores", list(params.items()))
    assert sls_v4_signature("testsecret", day, "cn-hangzhou", lower["x-log-date"], canonical) == signature
