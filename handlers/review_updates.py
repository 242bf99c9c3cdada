"""The one message a reporter gets when staff have reviewed their report (opt-in at the end
of /report). Short and discreet: someone else may see the person's screen."""

from __future__ import annotations

from locales.i18n import N_, Translator
from storage.models import ReportStatus

_BY_STATUS = {
    ReportStatus.confirmed: N_(
        "Update on your report {code}: our team confirmed it. Others who check these contacts are "
        "now warned. Thank you for helping."),
    ReportStatus.referred: N_(
        "Update on your report {code}: our team passed it to partners who can act on it. Thank you "
        "for helping."),
    ReportStatus.duplicate: N_(
        "Update on your report {code}: someone had already reported this, and our team has reviewed "
        "it. Thank you for helping."),
    ReportStatus.false_report: N_(
        "Update on your report {code}: our team could not confirm it as a scam. If you have more "
        "details, you can add them with /report."),
}
_REVIEWED = N_("Update on your report {code}: our team has reviewed it. Thank you for helping.")


def review_update_text(t: Translator, *, receipt_code: str, status: ReportStatus | str) -> str:
    try:
        message = _BY_STATUS.get(ReportStatus(status), _REVIEWED)
    except ValueError:
        message = _REVIEWED
    return t.gettext(message, code=receipt_code)
