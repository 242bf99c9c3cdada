"""The one message a reporter gets when staff have reviewed their report (opt-in at the end
of /report). Short, true and discreet:

- it says only what is true: a report staff confirmed does not make its contacts confirmed
  (staff confirm each contact on its own), so the message says what people who check those
  contacts now see;
- someone else may see the person's screen or the notification's preview, so no part of it
  says "report" or "scam": it speaks of "what you sent us", by receipt code.
"""

from __future__ import annotations

from locales.i18n import N_, Translator
from storage.models import ReportStatus

_BY_STATUS = {
    ReportStatus.confirmed: N_(
        "News about {code}: our team checked what you sent us and agrees with you."),
    ReportStatus.referred: N_(
        "News about {code}: our team passed what you sent us to partners who can act on it."),
    ReportStatus.duplicate: N_(
        "News about {code}: someone had already told us about this, and our team has looked at it."),
    ReportStatus.false_report: N_(
        "News about {code}: our team could not confirm what you sent us. If you have more details, "
        "send /menu and add them to {code}."),
}
_REVIEWED = N_("News about {code}: our team has looked at what you sent us.")
# What people who check the report's contacts now see (bot: /contact, /check).
_CONTACTS_CONFIRMED = N_("The contacts you sent are now marked as confirmed for everyone who checks "
                         "them with me.")
_CONTACTS_NOT_YET = N_("People who check the contacts you sent with me see that others warned "
                       "about them; our team has not confirmed each of them yet.")
_THANKS = N_("Thank you for helping.")


def review_update_text(t: Translator, *, receipt_code: str, status: ReportStatus | str,
                       contacts: int = 0, confirmed_contacts: int = 0) -> str:
    """The message for a report in `status`, whose `contacts` indicators include
    `confirmed_contacts` that staff confirmed."""
    try:
        known = ReportStatus(status)
    except ValueError:
        known = None
    parts = [t.gettext(_BY_STATUS.get(known, _REVIEWED) if known else _REVIEWED, code=receipt_code)]
    if known in (ReportStatus.confirmed, ReportStatus.referred) and contacts:
        parts.append(t.gettext(_CONTACTS_CONFIRMED if confirmed_contacts >= contacts
                               else _CONTACTS_NOT_YET))
    if known != ReportStatus.false_report:
        parts.append(t.gettext(_THANKS))
    return " ".join(parts)
