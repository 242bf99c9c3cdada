"""/safety: short prevention cards, one per message, paged with ◀ ▶.

Cards come from `handlers/data/safety_cards.json`, each citing its sources; the card's
sources are shown under it, so a person can see the advice is not made up.

```mermaid
stateDiagram-v2
    [*] --> reading: /safety or 🛡 button (first card)
    reading --> reading: ◀ / ▶ (previous / next card, wrapping around)
    reading --> reading: text / media (same card again, with a hint)
    reading --> [*]: ☰ menu
```
"""

from __future__ import annotations

import html
import re
from functools import partial

from handlers.common import menu_button, use_the_buttons
from handlers.content import safety_cards
from handlers.types import Button, Conversation, Event, EventKind, FlowContext, Outcome, Reply

# Text inside HTML replies: only <, > and & matter to Telegram outside attributes.
_escape = partial(html.escape, quote=False)

NAME = "safety"
READING = "reading"

PREVIOUS = "prev"
NEXT = "next"


def start(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    new = _at(conversation, 0)
    return Outcome(new, reprompt(new, ctx))


def handle(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    if event.kind == EventKind.BUTTON and event.button in (PREVIOUS, NEXT):
        step = 1 if event.button == NEXT else -1
        new = _at(conversation, _index(conversation) + step)
        return Outcome(new, reprompt(new, ctx))
    return use_the_buttons(event, conversation, ctx, reprompt(conversation, ctx))


def reprompt(conversation: Conversation, ctx: FlowContext) -> list[Reply]:
    t = ctx.t
    cards = safety_cards()
    index = _index(conversation)
    card = cards[index]
    position = t.gettext("{current} of {total}", current=t.number(index + 1),
                         total=t.number(len(cards)))
    text = "\n\n".join([
        f"<b>{_escape(t.gettext(card.title))}</b> ({_escape(position)})",
        _escape(t.gettext(card.body)),
        "<i>" + _escape(t.gettext("Sources: {sources}", sources=source_names(card.sources))) + "</i>",
    ])
    return [Reply(text, buttons=(
        (Button(t.gettext("◀ Previous"), PREVIOUS), Button(t.gettext("Next ▶"), NEXT)),
        (menu_button(ctx),),
    ))]


def source_names(sources: tuple[str, ...]) -> str:
    """The sites and bodies a card cites, without the notes in brackets beside them in the data
    file (English, for reviewers): a person reads names, in any language."""
    names: list[str] = []
    for source in sources:
        notes = " ".join(re.findall(r"\(([^)]*)\)", source))
        found = [*re.sub(r"\s*\([^)]*\)", "", source).split(";"),
                 *re.findall(r"[\w-]+(?:\.[\w-]+)+", notes)]  # sites named in a note
        for name in (name.strip() for name in found):
            if name and name not in names:
                names.append(name)
    return "; ".join(names)


def _index(conversation: Conversation) -> int:
    """The card shown, kept in range even if the data file shrank since it was stored."""
    raw = conversation.data.get("card", 0)
    return (raw if isinstance(raw, int) else 0) % len(safety_cards())


def _at(conversation: Conversation, index: int) -> Conversation:
    return conversation.at(NAME, READING, {"card": index % len(safety_cards())})
