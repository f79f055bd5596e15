"""Buttons a person needs later stay on their phone: LINE's quick replies show only under the last message of a
request and vanish when the next message arrives, so invitations, reminders and announcements carry theirs in
the message itself; only an immediate next step uses quick replies."""

from __future__ import annotations

from bot.service import Service
from storage.models import Role
from tests.factories import make_workshop
from tests.helpers import Phones, register


async def test_an_invitations_answer_buttons_survive_the_map_and_later_messages(phones: Phones,
                                                                               service: Service) -> None:
    phone = phones.line(1)
    register(phone, Role.deputy_governor, "TH-50", name="ประเสริฐ")
    make_workshop(service)
    received = await phone.settle()
    assert received[-1].kind == "location"  # the map comes after the message with the answers
    await phone.say("/help")  # a later message: a quick reply would be gone now
    invitation = next(r for r in phone.screen if "ขอเชิญเข้าร่วม" in r.text)
    assert [label for label, _ in invitation.buttons][:3] == ["เข้าร่วม", "ไม่เข้าร่วม", "ไม่แน่ใจ"]
    assert "quickReply" not in invitation.raw


async def test_the_immediate_next_step_is_a_quick_reply_that_goes_with_the_next_message(phones: Phones) -> None:
    phone = phones.line(1)
    register(phone, Role.coordinator, "TH-50")
    [menu] = await phone.send(phone.event_for_text("/help"))
    assert menu.buttons and menu.raw["quickReply"]["items"]
    await phone.say("/me")
    assert phone.screen[-2].buttons == []
