"""Staff review web app: triage of reports, networks of scam contacts, exports (see review/app.py)."""
