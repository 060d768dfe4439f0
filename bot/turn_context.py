"""A turn's context whose replies are copied shallowly before they are addressed.

botbuilder 4.17's `TurnContext.send_activities` deep-copies every activity it sends, so that
addressing it (conversation, sender, recipient, reply-to id) leaves the caller's object as it was.
A reply carrying an Adaptive Card is a tree of hundreds of dicts: its deep copy cost ~0.5 ms per
reply (cProfile, benchmarks/load_200_users.py). Addressing, the SDK's checks and our middlewares
(bot/teams_text.py, bot/replies.py, bot/middleware.py) only assign the activity's own attributes,
never change what they point to, so a shallow copy keeps the caller's object just as unchanged.
The rest is botbuilder's method as it is.
"""

from __future__ import annotations

import copy

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes, DeliveryModes, ResourceResponse


class ShallowCopyTurnContext(TurnContext):
    async def send_activities(self, activities: list[Activity]) -> list[ResourceResponse]:
        sent_non_trace_activity = False
        ref = TurnContext.get_conversation_reference(self.activity)

        def activity_validator(activity: Activity) -> Activity:
            nonlocal sent_non_trace_activity
            if not getattr(activity, "type", None):
                activity.type = ActivityTypes.message
            if activity.type != ActivityTypes.trace:
                sent_non_trace_activity = True
            if not activity.input_hint:
                activity.input_hint = "acceptingInput"
            activity.id = None
            return activity

        output = [
            activity_validator(TurnContext.apply_conversation_reference(copy.copy(act), ref)) for act in activities
        ]

        async def logic():
            nonlocal sent_non_trace_activity
            if self.activity.delivery_mode == DeliveryModes.expect_replies:
                responses = []
                for activity in output:
                    self.buffered_reply_activities.append(activity)
                    if activity.type == ActivityTypes.invoke_response:
                        self.turn_state[TurnContext._INVOKE_RESPONSE_KEY] = activity
                    responses.append(ResourceResponse())
                if sent_non_trace_activity:
                    self.responded = True
                return responses
            responses = await self.adapter.send_activities(self, output)
            if sent_non_trace_activity:
                self.responded = True
            return responses

        return await self._emit(self._on_send_activities, output, logic())


class ShallowCopyCloudAdapter(CloudAdapter):
    """botbuilder's `CloudAdapter`, its turns in a `ShallowCopyTurnContext`."""

    def _create_turn_context(self, activity: Activity, *args, **kwargs) -> TurnContext:
        made = super()._create_turn_context(activity, *args, **kwargs)
        context = ShallowCopyTurnContext(self, activity)
        context.turn_state.update(made.turn_state)  # the identity, the connector client, the callback…
        return context
