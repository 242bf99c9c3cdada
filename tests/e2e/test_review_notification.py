"""'Tell me when it's reviewed': one message, in the reporter's language, then the chat is forgotten."""

from __future__ import annotations

import asyncio

from sqlmodel import select

from bot.notifier import send_due_notifications
from emulator import Emulator
from handlers.review_updates import review_update_text
from locales.i18n import get_translator
from storage.db import create_db_engine, session_scope
from storage.models import Report, ReportStatus, StaffRole, StaffUser
from storage.review_actions import set_report_status
from tests.e2e.conftest import BotAppFactory


async def test_reporter_is_told_once_in_their_language(emulator: Emulator, bot_app: BotAppFactory) -> None:
    application = await bot_app()
    services = application.bot_data["services"]
    user = emulator.user(8401, language_code="vi")
    # A report with the opt-in, through the real flow.
    await user.send_command("/report")
    kinds = await user.wait_for_reply(timeout=10)
    await user.press_button(kinds, 1)  # a scam contact
    await user.wait_until_settled(quiet=0.5)
    await user.send_text("@scammer_hr_vn_2026")
    await user.wait_until_settled(quiet=0.5)
    for _ in range(12):  # walk on: done, skips, confirm, notify yes, agree
        last = user.messages[-1]
        labels = [b.text for b in last.flat_buttons]
        vi = get_translator("vi")
        wanted = [vi.gettext(x) for x in ("✓ Done", "Skip →", "✓ Next", "✓ Looks right",
                                          "🔔 Yes, tell me", "✓ I agree, store it")]
        index = next((i for i, label in enumerate(labels) if label in wanted), None)
        if index is None:
            break
        await user.press_button(last, index)
        await user.wait_until_settled(quiet=0.5)
    engine = create_db_engine(services.settings.database_url)
    with session_scope(engine) as db:
        reports = list(db.exec(select(Report)).all())
        assert len(reports) == 1, [m.text for m in user.messages]
        [report] = reports
        assert report.notify_chat_sealed is not None
        assert str(user.chat_id) not in report.notify_chat_sealed
        set_report_status(db, actor=_staff(db), report_id=report.id, status=ReportStatus.confirmed, note=None)
        code = report.receipt_code
    user.skip_replies()
    sent = await send_due_notifications(application, engine, services.settings)
    assert sent == 1
    # The report is confirmed, its contact is not (staff confirm each contact on its own): the
    # message must not say that others are now warned of a confirmed contact.
    expected = review_update_text(get_translator("vi"), receipt_code=code, status=ReportStatus.confirmed,
                                  contacts=1, confirmed_contacts=0)
    assert get_translator("vi").gettext(
        "People who check the contacts you sent with me see that others warned about them; our team "
        "has not confirmed each of them yet.") in expected
    # Discreet: the notification's preview may be seen by the wrong person.
    for word in ("báo cáo", "lừa đảo", "report", "scam"):
        assert word not in expected.lower()
    for _ in range(50):  # earlier replies may still be arriving, paced at Telegram's per-chat rate
        if any(m.text == expected for m in user.messages):
            break
        await asyncio.sleep(0.2)
    assert [m.text for m in user.messages].count(expected) == 1
    assert await send_due_notifications(application, engine, services.settings) == 0  # only once
    with session_scope(engine) as db:
        [report] = db.exec(select(Report)).all()
        assert report.notify_chat_sealed is None


def _staff(db: object) -> StaffUser:
    from sqlmodel import Session

    assert isinstance(db, Session)
    staff = StaffUser(username="ana", password_hash="x", role=StaffRole.reviewer)
    db.add(staff)
    db.flush()
    return staff


async def test_a_confirmed_contact_is_said_to_be_confirmed_and_nothing_says_report(
        emulator: Emulator, bot_app: BotAppFactory) -> None:
    from storage.indicators import indicators_of_report
    from storage.review_actions import set_indicator_confirmed

    application = await bot_app()
    services = application.bot_data["services"]
    user = emulator.user(8402, language_code="en")
    await user.send_command("/report")
    kinds = await user.wait_for_reply(timeout=10)
    await user.press_button(kinds, 1)
    await user.wait_until_settled(quiet=0.5)
    await user.send_text("@scammer_hr_th_2026")
    await user.wait_until_settled(quiet=0.5)
    wanted = ("✓ Done", "Skip →", "✓ Next", "✓ Looks right", "🔔 Yes, tell me", "✓ I agree, store it")
    for _ in range(12):
        labels = [b.text for b in user.messages[-1].flat_buttons]
        index = next((i for i, label in enumerate(labels) if label in wanted), None)
        if index is None:
            break
        await user.press_button(user.messages[-1], index)
        await user.wait_until_settled(quiet=0.5)
    engine = create_db_engine(services.settings.database_url)
    with session_scope(engine) as db:
        [report] = db.exec(select(Report)).all()
        staff = _staff(db)
        assert report.id is not None
        set_report_status(db, actor=staff, report_id=report.id, status=ReportStatus.confirmed, note=None)
        for indicator in indicators_of_report(db, report_id=report.id):
            assert indicator.id is not None
            set_indicator_confirmed(db, actor=staff, indicator_id=indicator.id, confirmed=True)
    user.skip_replies()
    assert await send_due_notifications(application, engine, services.settings) == 1
    for _ in range(50):
        if any(m.text.startswith("News about") for m in user.messages):
            break
        await asyncio.sleep(0.2)
    [news] = [m.text for m in user.messages if m.text.startswith("News about")]
    assert "The contacts you sent are now marked as confirmed for everyone who checks them with me." in news
    assert "report" not in news.lower() and "scam" not in news.lower()
