"""Announcements in the console: the recent ones with their delivery, a per-recipient ledger (sent, unreachable,
acknowledged) that the page refreshes in place, and cancelling a scheduled one."""

from __future__ import annotations

import re

import httpx
import pytest
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


async def test_an_announcement_composed_in_the_console_previews_counts_and_sends(
    signed_in: httpx.AsyncClient, admin: Phone, phones: Phones, service: Service
) -> None:
    people = members(phones)
    preview = await post_form(signed_in, "/console/announcements", "/console/announcements/preview",
                              {"typed": "บทบาท=ผู้ประสานงาน | ประชุมออนไลน์จากคอนโซล"})
    assert preview.status_code == 200 and "📢 ประชุมออนไลน์จากคอนโซล" in preview.text
    assert "LINE 1 · Telegram 2" in preview.text and "ใช้โควตา LINE 1 ข้อความ" in preview.text  # as chat's preview
    assert not any("ประชุมออนไลน์จากคอนโซล" in t for t in people["cmi-line"].texts)
    with Session(service.engine) as session:
        [draft] = session.exec(select(Broadcast)).all()
    assert draft.status == BroadcastStatus.draft
    sent = await post_form(signed_in, "/console/announcements", f"/console/announcements/{draft.id}/confirm",
                           {"mode": "all"})
    assert sent.status_code == 200 and "บันทึกแล้ว" in sent.text
    await admin.settle()
    for key in ("cmi-line", "cmi-tg", "kkn-tg"):
        await people[key].settle()
        assert any("ประชุมออนไลน์จากคอนโซล" in t for t in people[key].texts), key
    ledger = await signed_in.get(f"/console/announcements/{draft.id}/ledger")
    assert ledger.text.count('<tr class="recipient sent">') == 3


async def test_a_wrong_announcement_gets_chats_answer_and_nothing_is_drafted(signed_in: httpx.AsyncClient,
                                                                            service: Service) -> None:
    page = await post_form(signed_in, "/console/announcements", "/console/announcements/preview",
                           {"typed": "สัมมนา=999 | ถึงผู้เข้าร่วม"})
    assert page.status_code == 400 and 'class="error"' in page.text
    with Session(service.engine) as session:
        assert session.exec(select(Broadcast)).all() == []


SEGMENTS = [("บทบาท=ผู้ประสานงาน", {"role": "coordinator"}),
            ("จังหวัด=เชียงใหม่ แพลตฟอร์ม=telegram", {"province": "เชียงใหม่", "platform": "telegram"}),
            ("บทบาท=รองผู้ว่า,ผู้ประสานงาน ภาค=ภาคใต้", {"role": "deputy_governor,coordinator", "region": "ภาคใต้"}),
            ("", {})]


@pytest.mark.parametrize(("typed", "form"), SEGMENTS)
async def test_the_segment_forms_counts_are_the_chat_previews(
    signed_in: httpx.AsyncClient, admin: Phone, phones: Phones, typed: str, form: dict[str, str]
) -> None:
    members(phones)
    said = await admin.say(f"/ประกาศ {typed} | นับผู้รับ")
    chat_counts = [line for text in said for line in text.splitlines() if line.startswith(("ผู้รับ:", "ใช้โควตา"))]
    assert len(chat_counts) == 2, said
    counts = await signed_in.get("/console/announcements/reach", params=form)
    assert counts.status_code == 200 and "<html" not in counts.text
    shown = re.findall(r'<span class="reach-line">([^<]*)</span>', counts.text)
    assert shown[1:] == chat_counts


async def test_the_segment_form_counts_a_role_on_a_platform_and_drafts_nothing(
    signed_in: httpx.AsyncClient, phones: Phones, service: Service
) -> None:
    members(phones)
    counts = await signed_in.get("/console/announcements/reach", params={"role": "coordinator", "platform": "line"})
    assert "LINE 1 · Telegram 0 · ติดต่อไม่ได้ 0" in counts.text and "ใช้โควตา LINE 1 ข้อความ" in counts.text
    wrong = await signed_in.get("/console/announcements/reach", params={"province": "แอตแลนติส"})
    assert wrong.status_code == 400 and 'class="error"' in wrong.text and "แอตแลนติส" in wrong.text
    with Session(service.engine) as session:
        assert session.exec(select(Broadcast)).all() == []


async def test_the_segment_form_joins_the_typed_options_in_the_preview(signed_in: httpx.AsyncClient,
                                                                       phones: Phones) -> None:
    members(phones)
    preview = await post_form(signed_in, "/console/announcements", "/console/announcements/preview",
                              {"typed": "รับทราบ | ประชุมกลุ่มภาคเหนือ", "role": "coordinator",
                               "province": "เชียงใหม่"})
    assert preview.status_code == 200 and "LINE 1 · Telegram 1 · ติดต่อไม่ได้ 0" in preview.text
    assert "ขอให้กด &#34;รับทราบ&#34;" in preview.text
    assert 'value="เชียงใหม่"' in preview.text  # the form keeps what was chosen


async def test_the_preview_shows_the_announcement_as_line_and_as_telegram_lay_it_out(
    signed_in: httpx.AsyncClient, phones: Phones
) -> None:
    members(phones)
    preview = await post_form(signed_in, "/console/announcements", "/console/announcements/preview",
                              {"typed": "รับทราบ ลิงก์=https://example.org/plan | แผนใหม่ออกแล้ว"})
    line = preview.text.split('<figure class="as-line"')[1].split("</figure>")[0]
    telegram = preview.text.split('<figure class="as-telegram"')[1].split("</figure>")[0]
    for shown in (line, telegram):
        assert "📢 แผนใหม่ออกแล้ว" in shown and "รับทราบ" in shown and "เปิดลิงก์" in shown
    assert line.count('class="line-button"') == 2 and telegram.count('class="tg-button"') == 2
    assert preview.text.count("📢 แผนใหม่ออกแล้ว") == 2  # the chat-style preview no longer repeats it
