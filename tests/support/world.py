"""Constants of the default emulated world (``emulator/world/default.json``)."""

from __future__ import annotations

ACCOUNT_ID = "1748290035126730"
FOREIGN_ACCOUNT_ID = "1900000000000002"
REGION = "cn-hangzhou"
EMPTY_REGION = "cn-shanghai"

#: name -> (access key id, secret, security token or None)
KEYS: dict[str, tuple[str, str, str | None]] = {
    "owner": ("LTAI-emulator-owner", "emulator-owner-secret", None),
    "eas-role": ("LTAI-emulator-eas-role", "emulator-eas-role-secret", None),
    "eas-role-sts": (
        "STS.emulator-eas-role",
        "emulator-eas-role-sts-secret",
        "emulator-eas-role-security-token",
    ),
    "foreign": ("LTAI-emulator-foreign", "emulator-foreign-secret", None),
}

VPC_ID = "vpc-bp1easrg0demo0000000a"
VPC_CIDR = "192.168.0.0/16"
VSWITCH_J = "vsw-bp1easrg0demo00000j1"
VSWITCH_K = "vsw-bp1easrg0demo00000k1"
ZONE_J = "cn-hangzhou-j"
ZONE_K = "cn-hangzhou-k"
ZONE_H = "cn-hangzhou-h"
FOREIGN_VPC_ID = "vpc-bp1other0team000000b"
FOREIGN_VSWITCH_J = "vsw-bp1other0team00000j1"
CLUSTER_ID = "c7f3a9e2b5d8c1f40a6e9b2d7c4f1a8e3"

EAS_SERVICE = "com.aliyuncs.privatelink.cn-hangzhou.pai-eas"
LOG_SERVICE = "com.aliyuncs.privatelink.cn-hangzhou.log"
CR_SERVICE = "com.aliyuncs.privatelink.cn-hangzhou.cr"
ZONE_H_ONLY_SERVICE = "com.aliyuncs.privatelink.cn-hangzhou.only-zone-h"

ROLE_SERVICE_NAME = "customerclusters.eas.pai.aliyuncs.com"
ROLE_NAME = "AliyunServiceRoleForPaiEasManageCustomerClusters"
FOREIGN_SLS_PROJECT = "eas-taken-by-another-account"
