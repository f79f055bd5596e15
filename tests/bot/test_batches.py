"""Events of different people are handled together, one transaction for many, without giving up what one event
at a time guaranteed: each person's events in order, one at a time; one event's failure is that event's alone."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import Session, col, select

from bot.messages import Incoming
from bot.service import Service
from storage.db import Savepoint
from storage.models import Account, InboxEvent, InboxStatus, Person
from tests.helpers import Phones

APOLOGY_EN = "Sorry, something went wrong on our side."


def statuses(service: Service) -> dict[str, list[InboxStatus]]:
    with Session(service.engine) as session:
        rows = session.exec(select(InboxEvent).order_by(col(InboxEvent.id)))
        found: dict[str, list[InboxStatus]] = {}
        for row in rows:
            found.setdefault(row.sender, []).append(InboxStatus(row.status))
        return found


async def test_one_batch_takes_one_event_of_each_waiting_person_in_the_order_they_sent(
    phones: Phones, service: Service
) -> None:
    people = [phones.line(1), phones.telegram(2), phones.line(3)]
    for text in ("/help", "/start"):
        for phone in people:
            assert (await phone.post(phone.event_for_text(text))).status_code == 200

    assert service.handle_batch(20) == 3
    assert all(found == [InboxStatus.done, InboxStatus.pending] for found in statuses(service).values())
    assert service.handle_batch(20) == 3
    assert service.handle_batch(20) == 0
    await service.drain()  # each person's second answer is sent once their first has been
    for phone in people:
        assert len(phone.screen) >= 2 and "/help" in phone.screen[0].text


async def test_a_failing_event_in_a_batch_is_apologised_for_and_the_others_are_answered(
    phones: Phones, service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    unlucky, others = phones.telegram(7), [phones.line(8), phones.telegram(9)]
    dispatch = service.routes.dispatch

    def breaks_for_the_unlucky(msg: Incoming, ctx: object, undo: object) -> object:
        if msg.user_id == unlucky.user_id:
            raise RuntimeError("a bug")
        return dispatch(msg, ctx, undo)  # type: ignore[arg-type]

    monkeypatch.setattr(service.routes, "dispatch", breaks_for_the_unlucky)
    for phone in (others[0], unlucky, others[1]):
        event = phone.event_for_text("/help")
        if phone is unlucky:
            event["message"]["from"]["language_code"] = "en"
        assert (await phone.post(event)).status_code == 200

    assert service.handle_batch(20) == 3
    await service.outbox.dispatch_due()
    assert statuses(service)[unlucky.user_id] == [InboxStatus.failed]
    assert len(unlucky.texts) == 1 and unlucky.texts[0].startswith(APOLOGY_EN)
    for phone in others:
        assert "/help" in phone.screen[0].text


async def test_each_handled_message_marks_its_senders_account_seen(phones: Phones, service: Service) -> None:
    """Where a person is reached (the account they used last) depends on it; a batch marks its senders together."""
    def seen() -> list[datetime]:
        with Session(service.engine) as session:
            return [session.exec(select(Account.last_seen_at).where(Account.user_id == phone.user_id)).one()
                    for phone in people]

    people = [phones.line(1), phones.telegram(2)]
    for phone in people:
        await phone.say("/help")
    before = seen()
    for phone in people:
        assert (await phone.post(phone.event_for_text("/me"))).status_code == 200
    assert service.handle_batch(8) == 2
    assert all(now > then for now, then in zip(seen(), before, strict=True))


def accounts_of(service: Service, user_id: str) -> list[tuple[Account, Person]]:
    with Session(service.engine) as session:
        return list(session.exec(select(Account, Person).join(Person, col(Person.id) == Account.person_id)
                                 .where(Account.user_id == user_id)).all())


async def test_first_time_senders_in_one_batch_each_get_an_account_in_their_apps_language(
    phones: Phones, service: Service
) -> None:
    newcomers = [phones.line(11), phones.telegram(12), phones.telegram(13)]
    for phone in newcomers:
        event = phone.event_for_text("/help")
        if phone is newcomers[2]:
            event["message"]["from"]["language_code"] = "en"
        assert (await phone.post(event)).status_code == 200
    assert service.handle_batch(8) == 3
    await service.drain()
    for phone in newcomers:
        [(account, person)] = accounts_of(service, phone.user_id)
        assert person.lang == ("en" if phone is newcomers[2] else "th") and account.chat_id == phone.user_id
        assert phone.screen, f"{phone.user_id} got no answer"


async def test_a_newcomer_whose_account_another_process_made_meanwhile_is_answered_and_not_doubled(
    phones: Phones, service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch looked the sender up before the other process committed their account: making the newcomers
    together fails, and each is then made (or found) on its own."""
    import bot.service

    early, new = phones.telegram(14), phones.line(15)
    await early.say("/help")  # the account exists now
    monkeypatch.setattr(bot.service, "known_accounts",
                        lambda *, session, users: {user: None for user in users})  # as looked up before it did
    for phone in (early, new):
        assert (await phone.post(phone.event_for_text("/me"))).status_code == 200
    assert service.handle_batch(8) == 2
    await service.drain()
    assert len(accounts_of(service, early.user_id)) == 1 and len(accounts_of(service, new.user_id)) == 1
    assert statuses(service)[early.user_id] == [InboxStatus.done, InboxStatus.done]
    assert statuses(service)[new.user_id] == [InboxStatus.done]


async def test_an_event_whose_changes_cannot_be_written_gets_the_apology_and_not_its_answer(
    phones: Phones, service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer told of work that was then rolled back: only the apology goes, the others are answered."""
    unlucky, other = phones.telegram(21), phones.line(22)
    commit = Savepoint.commit
    calls = iter(range(100))

    def the_first_fails(savepoint: Savepoint) -> None:
        if next(calls) == 0:
            raise RuntimeError("could not write the handler's changes")
        commit(savepoint)

    monkeypatch.setattr(Savepoint, "commit", the_first_fails)
    for phone in (unlucky, other):
        event = phone.event_for_text("/help")
        if phone is unlucky:
            event["message"]["from"]["language_code"] = "en"
        assert (await phone.post(event)).status_code == 200
    assert service.handle_batch(20) == 2
    await service.drain()

    assert statuses(service)[unlucky.user_id] == [InboxStatus.failed]
    assert [r.text[:len(APOLOGY_EN)] for r in unlucky.screen] == [APOLOGY_EN]
    assert "/help" in other.screen[0].text
