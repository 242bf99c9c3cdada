"""Which flows exist, which commands start them, and how one flow hands a person to another.

The registry imports no flow: `handlers/router.py` registers them (`register`), and a flow
that hands over (a contact sent to /check, "report this recruiter") names the next flow
here (`hand_over`) instead of importing it, so flows are siblings that never import each
other. A flow that can be handed to has an `enter(event, conversation, ctx, **details)`.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any, Protocol, cast

from handlers.types import Conversation, Event, FlowContext, Outcome, Reply
from locales.i18n import N_


class Flow(Protocol):
    NAME: str

    def start(self, event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome: ...

    def handle(self, event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome: ...

    def reprompt(self, conversation: Conversation, ctx: FlowContext) -> list[Reply]: ...


FLOWS: dict[str, Flow] = {}
_ENTRIES: dict[str, Callable[..., Outcome]] = {}


def register(*modules: ModuleType) -> None:
    for module in modules:
        FLOWS[module.NAME] = cast(Flow, module)
        if hasattr(module, "enter"):
            _ENTRIES[module.NAME] = module.enter


def flow_named(name: str) -> Flow:
    return FLOWS.get(name, FLOWS["menu"])


def hand_over(name: str, event: Event, conversation: Conversation, ctx: FlowContext,
              **details: Any) -> Outcome:
    """Start flow `name` with what the current flow already knows (`details`)."""
    return _ENTRIES[name](event, conversation, ctx, **details)


# Command → flow that it starts. Shown, localised, in Telegram's command menu.
COMMANDS: list[tuple[str, str]] = [
    ("check", N_("Check a job offer")),
    ("contact", N_("Check a phone, account, link or wallet")),
    ("report", N_("Report a scam contact or offer")),
    ("help_now", N_("I need help now")),
    ("talk", N_("Talk to a person from our team")),
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
    "privacy": "privacy", "delete": "privacy", "talk": "talk",
}
