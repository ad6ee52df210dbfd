"""Helpers shared by every test tier: the emulator's control client, SDK factories, world constants."""
