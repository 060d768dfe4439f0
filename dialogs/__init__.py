"""Dialogs, one ComponentDialog per file; STATE_TYPES lists the classes kept in dialog state."""

from dialogs.add_directorate_dialog import AddDirectorateOptions
from dialogs.answer_question_dialog import AnswerQuestionOptions
from dialogs.assign_role_dialog import AssignRoleOptions
from dialogs.add_indicator_dialog import AddIndicatorOptions
from dialogs.update_indicators_dialog import UpdateIndicatorsOptions
from dialogs.cancel_meeting_dialog import CancelMeetingOptions
from dialogs.plan_meeting_dialog import PlanMeetingOptions
from dialogs.reschedule_meeting_dialog import RescheduleMeetingOptions
from dialogs.broadcast_dialog import BroadcastOptions

STATE_TYPES: tuple[type, ...] = (
    AddDirectorateOptions, AssignRoleOptions, AnswerQuestionOptions,
    PlanMeetingOptions, RescheduleMeetingOptions, CancelMeetingOptions,
    UpdateIndicatorsOptions, AddIndicatorOptions,
    BroadcastOptions,
)
