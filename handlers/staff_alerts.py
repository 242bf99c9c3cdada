"""Alerts to the staff Telegram chat (`STAFF_CHAT_ID`) for urgent or very-high-risk reports.

Only what staff need to decide whether to open the report: kind, risk, country, language,
receipt code, and the link to its page. Never the reporter's identity or pseudonym, and never
the narrative (the staff chat is a wider audience than the review app's access control).

An alert is not a reply: `queue_alert` stores it in the step's transaction (the outbox,
`storage/alerts.py`), and `bot/alerts.py` delivers it, retrying until Telegram takes it. So
the person's own reply never waits for the staff chat, nor fails with it, and an alert
exists exactly when what it is about was stored.
"""

from __future__ import annotations

import html

from handlers.types import FlowContext
from locales.i18n import N_, Translator, get_translator
from storage.alerts import add_alert
from storage.models import Report, ReportKind
from storage.reports import FiledReport

KIND_LABELS = {
    ReportKind.job_offer: N_("job offer"),
    ReportKind.contact: N_("scam contact"),
    ReportKind.romance_investment: N_("romance / investment scam"),
    ReportKind.urgent_help: N_("URGENT: someone needs help"),
    ReportKind.other: N_("other"),
}


def should_alert(report: FiledReport | Report) -> bool:
    return report.kind == ReportKind.urgent_help or report.risk_level == "very_high"


def alert_text(report: FiledReport | Report, t: Translator, *, base_url: str = "") -> str:
    """HTML for Telegram (parse_mode HTML); `base_url` is where the review app is served
    (e.g. `https://bot.example.org`), so the link reads `<base_url>/review/reports/<id>`."""
    kind = t.gettext(KIND_LABELS.get(report.kind, N_("other")))
    link = f"{base_url.rstrip('/')}/review/reports/{report.id}"
    lines = [
        t.gettext("🚨 New report needs review: {kind}", kind=html.escape(kind)),
        t.gettext("Risk: {risk}", risk=html.escape(report.risk_level or "—")),
        t.gettext("Country: {country} · Language: {language}",
                  country=html.escape(report.country or "—"), language=html.escape(report.language or "—")),
        t.gettext("Receipt: {code}", code=html.escape(report.receipt_code)),
        f'<a href="{html.escape(link, quote=True)}">{html.escape(link)}</a>',
    ]
    return "\n".join(lines)


def queue_alert(ctx: FlowContext, text: str, *, reporter_key: str,
                report_id: int | None = None, language: str | None = None,
                country: str | None = None) -> bool:
    """Store `text` (HTML) for the staff chat, in the step's transaction; `bot/alerts.py`
    sends it. False, storing nothing, when no staff chat is configured. Without a report,
    `language` and `country` are what the staff app shows of the alert while it waits (its
    text is sealed)."""
    if ctx.settings.staff_chat_id is None:
        return False
    add_alert(ctx.db, text=text, seal_key=ctx.settings.seal_keys, report_id=report_id,
              reporter_key=reporter_key, language=language, country=country, now=ctx.now)
    return True


def alert_staff(report: FiledReport | Report, ctx: FlowContext, *, reporter_key: str) -> bool:
    """Queue the alert for a newly stored report, if it needs one and a staff chat is
    configured. In the staff's language (the default locale), not the reporter's.
    `reporter_key`: the reporter's pseudonym, which /delete erases the waiting alert by."""
    if not should_alert(report):
        return False
    staff_t = get_translator(ctx.settings.default_locale)
    return queue_alert(ctx, alert_text(report, staff_t, base_url=ctx.settings.public_base_url),
                       reporter_key=reporter_key, report_id=report.id)
