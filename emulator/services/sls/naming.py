"""Naming rules and limits of Simple Log Service resources, and the quotas the emulator enforces.

Names (SLS documentation, "Naming conventions"):

* project: 3-63 characters, lowercase letters, digits and ``-``, starting and ending with a
  letter or digit; unique across every account;
* logstore and Logtail config: 3-63 characters, lowercase letters, digits, ``-`` and ``_``,
  starting and ending with a letter or digit; unique within the project;
* machine group: 2-128 characters of the same set.

Quotas are the documented defaults; the live ones can be raised by a ticket, the emulator's
cannot.
"""

from __future__ import annotations

import re

PROJECT_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")
LOGSTORE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$")
CONFIG_NAME = LOGSTORE_NAME
MACHINE_GROUP_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,126}[a-z0-9]$")

TTL_DAYS = (1, 3650)  # 3650 means "keep forever"
SHARD_COUNT = (1, 100)
MAX_SPLIT_SHARD = (1, 256)

PROJECTS_PER_ACCOUNT_REGION = 50
LOGSTORES_PER_PROJECT = 200
CONFIGS_PER_PROJECT = 100
MACHINE_GROUPS_PER_PROJECT = 200

INPUT_TYPES = ("file", "plugin", "syslog")
MACHINE_IDENTIFY_TYPES = ("ip", "userdefined")
INDEX_KEY_TYPES = ("text", "long", "double", "json")

MAX_LOG_LINES = 100  # GetLogs "line"; the SDK pages larger requests itself


def valid_project_name(name: str) -> bool:
    return bool(PROJECT_NAME.match(name))


def valid_logstore_name(name: str) -> bool:
    return bool(LOGSTORE_NAME.match(name))


def valid_config_name(name: str) -> bool:
    return bool(CONFIG_NAME.match(name))


def valid_machine_group_name(name: str) -> bool:
    return bool(MACHINE_GROUP_NAME.match(name))
