"""Which flows exist and which commands start them. New flows register here."""

from __future__ import annotations

from types import ModuleType
from typing import Protocol, cast

from handlers import check_contact, check_offer, help_now, language, menu, onboarding, privacy, report, safety
from handlers.types import Conversation, Event, FlowContext, Outcome, Reply
from locales.i18n import N_


class Flow(Protocol):
    NAME: str

    def start(self, event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome: ...

    def handle(self, event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome: ...

    def reprompt(self, conversation: Conversation, ctx: FlowContext) -> list[Reply]: ...


_FLOW_MODULES: tuple[ModuleType, ...] = (menu, onboarding, language, check_offer, check_contact,
                                         report, help_now, safety, privacy)

FLOWS: dict[str, Flow] = {module.NAME: cast(Flow, module) for module in _FLOW_MODULES}

# Command → flow that it starts. Shown, localised, in Telegram's command menu.
COMMANDS: list[tuple[str, str]] = [
    ("check", N_("Check a job offer")),
    ("contact", N_("Check a phone, account, link or wallet")),
    ("report", N_("Report a scam contact or offer")),
    ("help_now", N_("I need help now")),
    ("safety", N_("How to stay safe")),
    ("privacy", N_("What I store and why")),
    ("delete", N_("Erase everything about me")),
    ("language", N_("Change language")),
    ("menu", N_("Main menu")),
    ("help", N_("What I can do")),
    ("cancel", N_("Stop what I am doing")),
]
# Commands that start a flow; /help, /cancel and /start are handled by the router itself.
COMMAND_FLOWS: dict[str, str] = {
    "start": "onboarding", "menu": "menu", "language": "language", "check": "check",
    "contact": "contact", "report": "report", "help_now": "help_now", "safety": "safety",
    "privacy": "privacy", "delete": "privacy",
}


def flow_named(name: str) -> Flow:
    return FLOWS.get(name, FLOWS["menu"])
