"""Licensed agencies named in an offer (storage.agencies), on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine

from storage.agencies import (
    AGENCY_TYPE,
    LicensedAgency,
    agencies_named_in,
    has_agency_registry,
)
from storage.db import session_scope
from storage.safelist import add_safelist


def test_agencies_named_in_matches_whole_licensed_names(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert not has_agency_registry(session)
        add_safelist(session, type=AGENCY_TYPE, value="bright future manpower services inc",
                     label="Bright Future Manpower Services, Inc.", source="DMW list 2026")
        add_safelist(session, type=AGENCY_TYPE, value="abc", label="ABC", source="too short")
        add_safelist(session, type="phone", value="future", label="not an agency", source="x")
    text = "Apply through BRIGHT FUTURE Manpower-Services, Inc. or abc today, future is bright"
    with session_scope(engine) as session:
        assert has_agency_registry(session)
        named = agencies_named_in(session, text=text)
        assert [(a.label, a.source, a.value) for a in named] == [
            ("Bright Future Manpower Services, Inc.", "DMW list 2026",
             "bright future manpower services inc")]
        assert isinstance(named[0], LicensedAgency)
        assert agencies_named_in(session, text=text, limit=0) == []
        assert agencies_named_in(session, text="Bright Future Manpower Services") == []
