"""Telegram conversations: one module per flow, thin over `screening/` and `storage/`."""
