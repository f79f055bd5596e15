"""The console under test: a browser-like client (cookies kept) on the service, and admins signed in by chat."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI

from tests.factories import admin_phone
from tests.helpers import Phone, Phones

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
async def browser(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A second client with its own cookie jar, as a browser beside the phones."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://coordbot") as client:
        yield client


def csrf_of(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    assert found, "the page has no form with a CSRF token"
    return found[1]


async def link_from_chat(admin: Phone) -> str:
    """Ask for a sign-in link in the admin's chat; the path of the link button that arrived."""
    await admin.say("/console")
    urls = [data for received in admin.screen for label, data in received.buttons if "/console/signin/" in data]
    assert urls, [r.text for r in admin.screen]
    return urlsplit(urls[-1]).path


async def sign_in_by_chat(browser: httpx.AsyncClient, admin: Phone) -> httpx.Response:
    """Open the link from the chat and press its sign-in button; the dashboard the browser lands on."""
    path = await link_from_chat(admin)
    page = await browser.get(path)
    assert page.status_code == 200, page.text
    return await browser.post(path, data={"csrf": csrf_of(page)}, follow_redirects=True)


@pytest.fixture
async def admin(phones: Phones) -> Phone:
    return admin_phone(phones)


@pytest.fixture
async def signed_in(browser: httpx.AsyncClient, admin: Phone) -> httpx.AsyncClient:
    landed = await sign_in_by_chat(browser, admin)
    assert landed.status_code == 200 and str(landed.url).endswith("/console")
    return browser


async def post_form(browser: httpx.AsyncClient, page_path: str, action: str, data: dict[str, str]) -> httpx.Response:
    """Fill in a form of `page_path` (its CSRF token included) and post it, following the redirect."""
    page = await browser.get(page_path)
    assert page.status_code == 200, page.text
    return await browser.post(action, data={"csrf": csrf_of(page), **data}, follow_redirects=True)
