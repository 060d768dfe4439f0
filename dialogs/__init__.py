"""Dialogs, one ComponentDialog per file; STATE_TYPES lists the classes kept in dialog state."""

from dialogs.broadcasts.broadcast_dialog import BroadcastOptions
from dialogs.committees.cancel_meeting_dialog import CancelMeetingOptions
from dialogs.committees.plan_meeting_dialog import PlanMeetingOptions
from dialogs.committees.reschedule_meeting_dialog import RescheduleMeetingOptions
from dialogs.indicators.add_indicator_dialog import AddIndicatorOptions
from dialogs.indicators.update_indicators_dialog import UpdateIndicatorsOptions
from dialogs.knowledge.answer_question_dialog import AnswerQuestionOptions
from dialogs.people.add_directorate_dialog import AddDirectorateOptions
from dialogs.people.assign_role_dialog import AssignRoleOptions

STATE_TYPES: tuple[type, ...] = (
    AddDirectorateOptions, AssignRoleOptions, AnswerQuestionOptions,
    PlanMeetingOptions, RescheduleMeetingOptions, CancelMeetingOptions,
    UpdateIndicatorsOptions, AddIndicatorOptions,
    BroadcastOptions,
)
