"""The commitments' own refusals of a request (422), each with its machine code; a field
error names the field and says what is allowed."""

from __future__ import annotations

from app.core.errors import FieldError, UnprocessableEntity


class _FieldProblem(UnprocessableEntity):
    def __init__(self, detail: str, field: str, message: str) -> None:
        super().__init__(detail, errors=[FieldError(field=field, code=self.code, message=message)])


class ReceiptNotForInPerson(_FieldProblem):
    """An order served in person is served the day it is given: no day of receipt."""

    code = "received_on_not_for_in_person"


class ConditionsToMeetNotOffered(_FieldProblem):
    """Conditions to meet later are for 告知承诺 (DZ art. 7 ¶3), under a profile that reads
    it so, on a matter whose verification will check them."""

    code = "conditions_to_meet_not_offered"


class ConditionsToMeetIncomplete(_FieldProblem):
    """Conditions to meet and the day to meet them by are given together."""

    code = "conditions_to_meet_incomplete"


class ConditionNotOfMatter(_FieldProblem):
    """A condition to meet is one of the matter's conditions (its 办理条件)."""

    code = "condition_not_of_matter"


class MeetByOutOfRange(_FieldProblem):
    """The day to meet the conditions by lies after the signature and within the
    matter's verification period."""

    code = "meet_by_out_of_range"
