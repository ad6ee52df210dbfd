"""Prefect blocks of eas-rg; ``prefect block register -m blocks`` registers every block exported here."""

from blocks.credentials import AlibabaCloudCredentials
from blocks.record import ResourceGroupRecord

__all__ = ["AlibabaCloudCredentials", "ResourceGroupRecord"]
