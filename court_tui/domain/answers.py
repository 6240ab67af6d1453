"""Answer values as the case record holds them, and the 'Not known' answer."""

from __future__ import annotations

from typing import Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, StrictFloat, StrictInt, StrictStr


class NotKnown(BaseModel):
    """The answer 'Not known': allowed only where the form says, and only with a follow-up."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    not_known: Literal[True] = True


NOT_KNOWN = NotKnown()

# Text, dates (ISO) and numbers are kept as given so that nothing typed is lost; the rules
# read them. Choices are option values; multiple choice is a list of them.
AnswerValue: TypeAlias = StrictStr | StrictInt | StrictFloat | list[StrictStr] | NotKnown


def is_not_known(value: object) -> bool:
    """Whether VALUE is the 'Not known' answer."""
    return isinstance(value, NotKnown)


def is_answered(value: object) -> bool:
    """Whether VALUE is a real answer: given, not blank, not 'Not known'."""
    if value is None or isinstance(value, NotKnown):
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return bool(value)
    return True
