"""Alerts posted to the staff Telegram chat (`STAFF_CHAT_ID`) for urgent or very-high-risk reports.

Only what staff need to decide whether to open the report: kind, risk, country, language,
receipt code, and the link to its page. Never the reporter's identity or pseudonym, and never
the narrative (the staff chat is a wider audience than the review app's access control).
"""

from __future__ import annotations

import html

from handlers.types import FlowContext, Reply
from locales.i18n import N_, Translator, get_translator
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


def staff_alerts(report: FiledReport | Report, ctx: FlowContext) -> list[Reply]:
    """The alert for a newly stored report, if it needs one and a staff chat is configured.
    In the staff's language (the default locale), not the reporter's."""
    settings = ctx.settings
    if settings.staff_chat_id is None or not should_alert(report):
        return []
    staff_t = get_translator(settings.default_locale)
    return [Reply(alert_text(report, staff_t, base_url=settings.public_base_url),
                  chat_id=settings.staff_chat_id)]
