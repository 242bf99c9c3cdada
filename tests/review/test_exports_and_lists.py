"""Exports (CSV, JSON, STIX 2.1), the agency registry, networks, alert text, charts and the CLI."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import FormData
from aiohttp.test_utils import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.config import Settings
from handlers.staff_alerts import alert_text, should_alert
from locales.i18n import get_translator
from review import queries
from review.agencies import AgencyCsvError, parse_agency_csv
from review.charts import bar_chart, network_svg
from review.cli import add_review_subcommands, run_review_command
from review.stix import stix_bundle, stix_pattern
from screening.identity import identity
from storage.db import session_scope
from storage.models import Indicator, Report, ReportKind, ReviewEvent, StaffUser
from storage.reports import create_report
from tests.review.conftest import ADMIN, Seeded, contacts_of, log_in


async def test_csv_and_json_exports_follow_the_filter_and_are_audited(
        client: TestClient, seeded: Seeded, engine: Engine) -> None:
    with session_scope(engine) as session:
        create_report(session, reporter_key="e" * 64, kind="job_offer", country="KH", language="km",
                      risk_level="high", flag_ids=["fee"],
                      narrative="=HYPERLINK(\"http://x\") +855 12 345 678",
                      contacts=contacts_of("+85512345678"))
    await log_in(client, *ADMIN)
    response = await client.get("/review/export.csv", params={"country": "KH", "sort": "oldest"})
    assert response.status == 200 and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(await response.text())))
    assert [row["country"] for row in rows] == ["KH", "KH"]
    assert rows[0]["id"] == str(seeded.scam_report_id)
    assert rows[0]["contacts"] == "phone:+85512345678;telegram:fast_jobs_kh"
    assert rows[1]["narrative"].startswith("'=")  # a spreadsheet will not run it as a formula
    assert "reporter" not in ",".join(rows[0].keys())
    data = await (await client.get("/review/export.json", params={"risk": "very_high"})).json()
    assert [r["id"] for r in data["reports"]] == [seeded.scam_report_id]
    assert data["filter"] == {"risk": "very_high"}
    with session_scope(engine, read_only=True) as session:
        exports = session.exec(select(ReviewEvent).where(ReviewEvent.action == "export")
                               .order_by(col(ReviewEvent.id))).all()
        assert [(e.actor, e.new, e.note) for e in exports] == [
            (ADMIN[0], "csv: 2 reports", "filter: country=KH sort=oldest"),
            (ADMIN[0], "json: 1 reports", "filter: risk=very_high")]


async def test_stix_bundle_of_confirmed_contacts(client: TestClient, seeded: Seeded, engine: Engine) -> None:
    with session_scope(engine) as session:
        admin = session.exec(select(StaffUser).where(StaffUser.username == ADMIN[0])).one()
        for indicator in session.exec(select(Indicator)).all():
            assert indicator.id is not None
            if indicator.type in ("phone", "telegram"):
                queries.set_indicator_decision(session, indicator_id=indicator.id, confirmed=True,
                                               staff=admin)
    await log_in(client, *ADMIN)
    bundle = await (await client.get("/review/export/stix.json")).json()
    assert bundle["type"] == "bundle" and re.fullmatch(r"bundle--[0-9a-f-]{36}", bundle["id"])
    indicators = [o for o in bundle["objects"] if o["type"] == "indicator"]
    assert sorted(o["pattern"] for o in indicators) == [
        "[phone-number:value = '+85512345678']",
        "[user-account:account_type = 'telegram' AND user-account:account_login = 'fast_jobs_kh']"]
    for item in indicators:
        assert item["spec_version"] == "2.1" and item["pattern_type"] == "stix"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", item["valid_from"])
        assert item["created_by_ref"] == bundle["objects"][0]["id"]
    phone = next(o for o in indicators if "phone" in o["pattern"])
    assert "2 independent reporter" in phone["description"]
    with session_scope(engine, read_only=True) as session:
        assert session.exec(select(ReviewEvent.new).where(ReviewEvent.action == "export")).one() == \
            "stix: 2 confirmed contacts"


def test_stix_patterns_and_stable_ids() -> None:
    assert stix_pattern("url", "jobs.example.com/a'b") == (
        "[url:value = 'https://jobs.example.com/a\\'b' OR url:value = 'http://jobs.example.com/a\\'b']")
    assert stix_pattern("email", "hr@example.com") == "[email-addr:value = 'hr@example.com']"
    assert stix_pattern("wallet_tron", "TXyz") == "[cryptocurrency-wallet:value = 'TXyz']"
    assert stix_pattern("whatsapp", "+66812345678") == "[phone-number:value = '+66812345678']"
    with pytest.raises(ValueError):
        stix_pattern("carrier_pigeon", "x")
    indicator = Indicator(id=1, type="email", value="hr@example.com", confirmed=True,
                          confirmed_at=datetime(2026, 11, 1, tzinfo=UTC))
    first, second = stix_bundle([(indicator, 3)]), stix_bundle([(indicator, 3)])
    assert first["objects"][1]["id"] == second["objects"][1]["id"]
    assert first["id"] != second["id"]


def test_agency_csv_parsing() -> None:
    agencies = parse_agency_csv("\ufeffAgency Name;License No;Country\nAcme  Manpower, Inc.;L-123;PH\n;x;y\n"
                                .encode())
    assert [(a.name, a.licence, a.country, a.key) for a in agencies] == [
        ("Acme  Manpower, Inc.", "L-123", "PH", "acme manpower inc")]
    assert agencies[0].label == "Acme  Manpower, Inc. (licence L-123, PH)"
    for bad in (b"", b"company_id,phone\n1,2\n", b"name\n\n"):
        with pytest.raises(AgencyCsvError):
            parse_agency_csv(bad)


async def test_agency_import_and_check(client: TestClient, seeded: Seeded, engine: Engine) -> None:
    await log_in(client, *ADMIN)
    page = await (await client.get("/review/agencies")).text()
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf
    form = FormData()
    form.add_field("csrf", csrf.group(1))
    form.add_field("file", b"name,licence,country\nAcme Manpower Inc.,L-123,PH\nBest Jobs Ltd,L-9,TH\n",
                   filename="dmw-2026.csv", content_type="text/csv")
    assert (await client.post("/review/agencies/import", data=form)).status == 200
    found = await (await client.get("/review/agencies", params={"name": "ACME manpower, inc"})).text()
    assert "In the licensed list you loaded: Acme Manpower Inc. (licence L-123, PH)" in found
    missing = await (await client.get("/review/agencies", params={"name": "Acme Global"})).text()
    assert "Not in the licensed list you loaded" in missing
    with session_scope(engine, read_only=True) as session:
        assert queries.find_licensed_agency(session, name="best jobs ltd.") is not None
        # Agencies are not official contacts: the contact safelist stays empty.
        assert queries.safelist_entries(session, agencies=False) == []


def test_networks_join_reports_by_contact_and_domain(engine: Engine, seeded: Seeded) -> None:
    with session_scope(engine) as session:
        for reporter, link in (("f", "https://jobs.example-agency.ph/other-path"),
                               ("g", "https://bit.ly/abc"), ("h", "https://bit.ly/xyz")):
            create_report(session, reporter_key=reporter * 64, kind="job_offer", country="PH", language="tl",
                          risk_level="medium", flag_ids=[], narrative=link,
                          contacts=contacts_of(link, region="PH"))
    with session_scope(engine, read_only=True) as session:
        clusters = queries.contact_clusters(session)
        phones_only = queries.contact_clusters(session, kinds=["phone"])
    assert [c.reports for c in clusters] == [[seeded.scam_report_id, seeded.xss_report_id, 3],
                                             [seeded.other_report_id, 65]]
    assert clusters[0].contacts == ["phone:+85512345678"]
    assert clusters[1].contacts == ["domain:example-agency.ph"]
    assert [c.contacts for c in phones_only] == [["phone:+85512345678"]]


def test_pictures_escape_scammer_text() -> None:
    hostile = "<script>x</script>"
    svg = str(network_svg([(1, f"telegram:{hostile}"), (2, f"telegram:{hostile}")],
                          report_href="/review/reports/{id}"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and 'href="/review/reports/1"' in svg
    chart = str(bar_chart([(hostile, 3)], title="t"))
    assert "<script>" not in chart


def test_alert_text_has_a_link_and_no_identity(engine: Engine, seeded: Seeded) -> None:
    with session_scope(engine, read_only=True) as session:
        report = session.get(Report, seeded.scam_report_id)
        assert report is not None
    text = alert_text(report, get_translator("en"), base_url="https://bot.example.org/")
    assert f'href="https://bot.example.org/review/reports/{seeded.scam_report_id}"' in text
    assert "very_high" in text and report.receipt_code in text
    assert report.reporter_key not in text and "Sihanoukville" not in text  # no narrative either
    assert should_alert(report)
    report.kind, report.risk_level = ReportKind.other, "low"
    assert not should_alert(report)


def _cli(settings: Settings, *argv: str, stdin: str = "") -> tuple[int, str]:
    parser = argparse.ArgumentParser()
    add_review_subcommands(parser.add_subparsers(dest="command", required=True))
    out = io.StringIO()
    code = run_review_command(parser.parse_args(list(argv)), settings, stdin=io.StringIO(stdin), stdout=out)
    return code, out.getvalue()


def test_staff_cli(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    assert _cli(settings, "staff", "add", "mai", "--role", "admin", stdin="short\n")[0] == 2
    assert _cli(settings, "staff", "add", "mai", "--role", "admin",
                stdin="a long enough passphrase\n") == (0, "created mai (admin)\n")
    assert _cli(settings, "staff", "add", "mai", stdin="a long enough passphrase\n")[0] == 1
    code, output = _cli(settings, "staff", "reset", "mai", "--generate")
    generated = output.split(": ", 1)[1].split()[0]
    assert code == 0 and len(generated) >= 16
    assert _cli(settings, "staff", "disable", "mai")[0] == 0
    assert _cli(settings, "staff", "list") == (0, "mai\tadmin\tdisabled\n")
    assert _cli(settings, "staff", "reset", "nobody", "--generate")[0] == 1
    from review.auth import verify_password

    with session_scope(engine, read_only=True) as session:
        user = session.exec(select(StaffUser).where(StaffUser.username == "mai")).one()
        assert verify_password(user.password_hash, generated) and user.disabled
        events = [e.model_dump(mode="json") for e in session.exec(select(ReviewEvent))]
        assert generated not in json.dumps(events)
    agencies = tmp_path / "agencies.csv"
    agencies.write_text("name,licence\nAcme Manpower Inc.,L-1\n", encoding="utf-8")
    assert _cli(settings, "review", "import-agencies", str(agencies)) == (0, "imported 1 agencies\n")
    assert _cli(settings, "review", "safelist-add", "1300", "--country", "TH", "--label", "MSDHS 1300",
                "--source", "hotlines.md") == (0, "safelisted phone:+661300\n")


def test_drawn_network_is_capped_and_keeps_the_hubs() -> None:
    from review.charts import drawable_edges

    hub = [(report_id, "phone:+85512000000") for report_id in range(1, 400)]
    small = [(1000, "telegram:x"), (1001, "telegram:x")]
    drawn, truncated = drawable_edges([[*hub, (1, "telegram:rare")], small], max_nodes=50, max_edges=60)
    assert truncated and len({f"r{r}" for r, _k in drawn} | {k for _r, k in drawn}) <= 50
    assert {key for _r, key in drawn} == {"phone:+85512000000"}  # the hub first, the rest cut
    assert drawable_edges([small], max_nodes=50) == (small, False)


async def test_safelist_seeded_from_hotline_data_and_edited_in_the_ui(
        client: TestClient, seeded: Seeded, engine: Engine) -> None:
    from screening.hotlines import official_contacts

    csrf = await log_in(client, *ADMIN)
    assert (await client.post("/review/safelist/seed", data={"csrf": csrf})).status == 200
    with session_scope(engine, read_only=True) as session:
        entries = queries.safelist_entries(session, agencies=False)
    # Stored as identities: a hotline's WhatsApp number is its phone number.
    assert {(e.type, e.value) for e in entries} == {identity(c.type, c.value)
                                                    for c in official_contacts()}
    assert all(e.source for e in entries)
    added = await client.post("/review/safelist", data={"csrf": csrf, "value": "1441", "country": "TH",
                                                        "label": "Anti-Online Scam Operation Centre",
                                                        "source": "nationthailand.com"})
    assert added.status == 200 and "+661441" in await added.text()
    with session_scope(engine, read_only=True) as session:
        entry = next(e for e in queries.safelist_entries(session, agencies=False) if e.value == "+661441")
    removed = await client.post(f"/review/safelist/{entry.id}/delete", data={"csrf": csrf})
    assert removed.status == 200 and "+661441" not in await removed.text()
