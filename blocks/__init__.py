"""Prefect blocks of eas-rg; ``prefect block register -m blocks`` registers every block exported here."""

from blocks.credentials import AlibabaCloudCredentials

__all__ = ["AlibabaCloudCredentials"]
