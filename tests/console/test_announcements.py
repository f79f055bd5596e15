"""Announcements in the console: the recent ones with their delivery, a per-recipient ledger (sent, unreachable,
acknowledged) that the page refreshes in place, and cancelling a scheduled one."""

from __future__ import annotations

import httpx
from sqlmodel import Session, select

from bot.service import Service
from storage.broadcast import Broadcast, BroadcastStatus
from tests.console.conftest import post_form
from tests.factories import members
from tests.helpers import Phone, Phones


async def test_the_ledger_shows_each_recipient_and_their_acknowledgement(
    signed_in: httpx.AsyncClient, admin: Phone, phones: Phones
) -> None:
    people = members(phones)
    await people["kkn-tg"].block()
    await admin.say("/ประกาศ บทบาท=ผู้ประสานงาน รับทราบ | ประชุมออนไลน์ พรุ่งนี้")
    await admin.press("ยืนยันส่ง")
    await admin.settle()
    await people["cmi-line"].settle()
    await people["cmi-line"].press("รับทราบ")
    listing = await signed_in.get("/console/announcements")
    assert "ประชุมออนไลน์ พรุ่งนี้" in listing.text and "ส่งแล้ว 1" in listing.text
    page = await signed_in.get("/console/announcements/1")
    assert page.text.count('<tr class="recipient sent">') == 2
    assert page.text.count('<tr class="recipient unreachable">') == 1 and "ขวัญใจ" in page.text
    assert "รับทราบ 50% (1/2)" in page.text and 'data-live="/console/announcements/1/ledger"' in page.text
    fragment = await signed_in.get("/console/announcements/1/ledger")
    assert "<html" not in fragment.text and fragment.text.count('<tr class="recipient') == 3


async def test_a_scheduled_announcement_is_cancelled_and_a_sent_one_is_not(
    signed_in: httpx.AsyncClient, admin: Phone, phones: Phones, service: Service
) -> None:
    members(phones)
    await admin.say("/ประกาศ เวลา=20 มี.ค. 2569 09:00 | ประชุมเดือนหน้า")
    await admin.press("ยืนยัน")
    await admin.settle()
    path = "/console/announcements/1"
    cancelled = await post_form(signed_in, path, f"{path}/cancel", {})
    assert cancelled.status_code == 200 and "บันทึกแล้ว" in cancelled.text
    with Session(service.engine) as session:
        assert session.exec(select(Broadcast)).one().status == BroadcastStatus.cancelled
    again = await post_form(signed_in, path, f"{path}/cancel", {})
    assert again.status_code == 400
