"""What staff read instead of the stored codes (`job_offer` → "Job offer")."""

from __future__ import annotations

KINDS = {
    "job_offer": "Job offer", "contact": "Contact", "romance_investment": "Romance / investment",
    "urgent_help": "Urgent help", "other": "Other",
}
STATUSES = {
    "new": "New", "in_review": "In review", "confirmed": "Confirmed", "false_report": "False report",
    "duplicate": "Duplicate", "referred": "Referred", "spam": "Spam",
}
RISKS = {"very_high": "Very high", "high": "High", "medium": "Medium", "low": "Low"}
HAPPENED = {"today": "today", "week": "this week", "month": "this month",
            "earlier": "over a month before"}
SORTS = {"newest": "Newest first", "oldest": "Oldest first", "risk": "Highest risk first",
         "updated": "Recently changed"}
SEARCHED_AS = {"receipt": "receipt code", "number": "report number", "contact": "contact",
               "text": "words in the narrative"}
CONTACT_TYPES = {"phone": "Phone", "whatsapp": "WhatsApp", "telegram": "Telegram", "line": "LINE",
                 "wechat": "WeChat", "email": "E-mail", "url": "Link", "domain": "Web domain",
                 "wallet": "Wallet"}
ACTIONS = {
    "status": "status", "assign": "assignment", "confirm": "contact decision", "note": "note",
    "addition": "reporter added to the report", "login": "logged in", "logout": "logged out",
    "export": "export", "block_reporter": "reporter blocked", "safelist_add": "safelist: added",
    "safelist_remove": "safelist: removed", "safelist_seed": "safelist seeded",
    "agencies_import": "agency list imported", "staff_add": "staff account added",
    "user_data_deleted": "reporter deleted their data",
    "login_failed": "failed login", "confirm_proposed": "contact confirmation proposed",
    "unblock_reporter": "reporter unblocked", "alert_send_now": "staff alert: try again now",
}
# Time zones staff work in (the organisation's region); UTC first.
TIMEZONES = ("UTC", "Asia/Bangkok", "Asia/Phnom_Penh", "Asia/Yangon", "Asia/Vientiane",
             "Asia/Ho_Chi_Minh", "Asia/Jakarta", "Asia/Kuala_Lumpur", "Asia/Manila", "Asia/Shanghai",
             "Asia/Taipei", "Asia/Seoul", "Asia/Kolkata", "Asia/Kathmandu", "Africa/Nairobi",
             "Europe/London", "Europe/Berlin", "America/New_York")


def label(table: dict[str, str], code: object) -> str:
    """The label of a code, the code itself when the table does not know it, "—" for none."""
    if code is None or code == "":
        return "—"
    text = str(getattr(code, "value", code))
    return table.get(text, text.replace("_", " "))


def contact_type(kind: str) -> str:
    if kind.startswith("wallet"):
        return "Wallet (" + kind.removeprefix("wallet").strip("_:") + ")" if kind != "wallet" else "Wallet"
    return label(CONTACT_TYPES, kind)
