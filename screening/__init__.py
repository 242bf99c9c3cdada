"""Screening engine: red flags in job offers, contact extraction, language detection.

Pure Python, no Telegram: handlers, the staff app and `python -m screening` call it.
Call `warm_up()` once at start-up so the first person does not wait for the rules,
language profiles and tables to load (about a second).
"""

from __future__ import annotations


def warm_up() -> None:
    """Load and compile everything the first assessment would otherwise load."""
    from screening.assess import assess_text
    from screening.language import warm_up as warm_up_language
    from screening.lure_model import default_model as load_lure_model
    from screening.questionnaire import default_questions

    warm_up_language()
    default_questions()
    load_lure_model()  # read only for offers the rules rate medium: otherwise the first one waits
    assess_text("warm up: https://example.com +66 81 234 5678", lang="en")
