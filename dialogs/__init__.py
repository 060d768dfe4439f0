"""Dialogs, one ComponentDialog per file; STATE_TYPES lists the classes kept in dialog state."""

from dialogs.add_directorate_dialog import AddDirectorateOptions
from dialogs.answer_question_dialog import AnswerQuestionOptions
from dialogs.assign_role_dialog import AssignRoleOptions

STATE_TYPES: tuple[type, ...] = (AddDirectorateOptions, AssignRoleOptions, AnswerQuestionOptions)
