"""lurecheck bot: wiring, configuration, webhook server and command line."""
