"""The chat simulator's pages: `/sim` (a demo person's chat on LINE or Telegram), its live parts, sending, and
the rich menu pictures. Mounted by `bot.app` in demo mode only."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

import httpx
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from bot.config import Settings
from bot.emulator import emulator_url
from bot.i18n import LANGUAGES
from bot.sim import views
from bot.sim.phone import EmulatorUnavailable, SimPhone, rich_menu_image
from storage.demo import Persona, newcomer_key, visitor

HERE = Path(__file__).parent
DEFAULT_PERSON = "coord-cmi"
PARTS = ("messages", "quick", "menu")
MENU_ID = re.compile(r"richmenu-[0-9a-f]{1,64}")
"""The emulator's rich menu ids, as LINE forms them; nothing else is passed on to it."""

templates = Jinja2Templates(directory=HERE / "templates")
templates.env.filters.update(flex_style=views.flex_style, telegram_html=views.telegram_html, linkify=views.linkify)
templates.env.globals.update(percent=views.percent)


def sim_router(settings: Settings) -> APIRouter:
    """The simulator over the emulator that the demo service's settings point at."""
    router = APIRouter(prefix="/sim", include_in_schema=False)
    base = emulator_url(settings.line_api_base_url)

    def client() -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(15.0))

    @router.get("", response_class=HTMLResponse)
    async def page(request: Request, person: str = DEFAULT_PERSON, platform: str = "line",
                   lang: str = "th") -> Response:
        lang = lang if lang in LANGUAGES else "th"
        if person == "new":  # a fresh newcomer, with an address of their own to come back to
            return RedirectResponse(_page_url(newcomer_key(), platform, lang), status_code=303)
        found = _who(person, platform)
        if found is None:
            return _problem(request, "unknown_person", lang, 404)
        async with client() as http:
            try:
                parts = await _parts(SimPhone(http, platform, views.user_id(found, platform)), lang, settings.tz)
            except EmulatorUnavailable:
                return _problem(request, "no_emulator", lang, 502)
        context = {**_context(found, platform, lang), "parts": parts, "people": views.people(lang),
                   "platforms": views.PLATFORMS, "self_url": _page_url}
        return templates.TemplateResponse(request, "sim.html", context)

    @router.get("/parts")
    async def parts(request: Request, person: str, platform: str = "line", lang: str = "th") -> JSONResponse:
        """The live parts of the page (messages, quick replies, menu) as HTML, for the page to poll."""
        lang = lang if lang in LANGUAGES else "th"
        found = _who(person, platform)
        if found is None:
            return JSONResponse({"detail": views.TEXTS["unknown_person"].render(lang)}, status_code=404)
        async with client() as http:
            try:
                phone = SimPhone(http, platform, views.user_id(found, platform))
                return JSONResponse(await _parts(phone, lang, settings.tz))
            except EmulatorUnavailable:
                return JSONResponse({"detail": views.TEXTS["no_emulator"].render(lang)}, status_code=502)

    @router.post("/send")
    async def send(request: Request, person: Annotated[str, Form()], platform: Annotated[str, Form()] = "line",
                   lang: Annotated[str, Form()] = "th", typed: Annotated[str, Form()] = "",
                   data: Annotated[str | None, Form()] = None, say: Annotated[str | None, Form()] = None,
                   menu: Annotated[int | None, Form()] = None) -> Response:
        """What the person did: a pressed button (`data`), a menu tap (`menu`), a message action's text (`say`)
        or what they typed. A script gets JSON; a plain form goes back to the page."""
        lang = lang if lang in LANGUAGES else "th"
        found = _who(person, platform)
        if found is None:
            return JSONResponse({"detail": views.TEXTS["unknown_person"].render(lang)}, status_code=404)
        if not _same_origin(request):
            return JSONResponse({"detail": views.TEXTS["cross_site"].render(lang)}, status_code=403)
        notice = ""
        async with client() as http:
            phone = SimPhone(http, platform, views.user_id(found, platform))
            try:
                if data is not None:
                    status = await phone.send(data=data)
                elif menu is not None:
                    status = await phone.tap(menu)
                elif (say or typed).strip():
                    status = await phone.send(text=(say or typed).strip())
                else:
                    status = 200
            except EmulatorUnavailable:
                return JSONResponse({"detail": views.TEXTS["no_emulator"].render(lang)}, status_code=502)
        if status == 404:
            notice = views.TEXTS["no_item"].render(lang)
        elif status != 200:
            notice = views.TEXTS["unanswered"].render(lang, status=status)
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"status": status, "notice": notice})
        return RedirectResponse(_page_url(found.key, platform, lang), status_code=303)

    @router.get("/richmenu/{menu_id}")
    async def rich_menu_picture(menu_id: str) -> Response:
        """A rich menu's picture; a changed menu gets a new id, so the picture can be kept."""
        if not MENU_ID.fullmatch(menu_id):
            return Response(status_code=404)
        async with client() as http:
            try:
                found = await rich_menu_image(http, menu_id)
            except EmulatorUnavailable:
                return Response(status_code=502)
        if found is None:
            return Response(status_code=404)
        return Response(found[0], media_type=found[1], headers={"Cache-Control": "max-age=3600"})

    return router


def _who(person: str, platform: str) -> Persona | None:
    if platform not in views.PLATFORMS:
        return None
    try:
        return visitor(person)
    except KeyError:
        return None


def _page_url(person: str, platform: str, lang: str) -> str:
    return "/sim?" + urlencode({"person": person, "platform": platform, "lang": lang})


def _context(who: Persona, platform: str, lang: str) -> dict[str, Any]:
    return {"t": views.texts(lang), "lang": lang, "person": who.key, "platform": platform,
            "other_lang": "en" if lang == "th" else "th",
            "parts_url": "/sim/parts?" + urlencode({"person": who.key, "platform": platform, "lang": lang})}


async def _parts(phone: SimPhone, lang: str, tz: ZoneInfo) -> dict[str, str]:
    """The live parts as HTML: both sides of the chat, LINE's quick replies under the last message, the menu."""
    entries, items, rich = await asyncio.gather(phone.conversation(), phone.menu(), phone.rich_menu())
    for entry in entries:
        entry["time"] = views.clock(entry["at"], tz)
    last = entries[-1] if entries else None
    quick = ((last["raw"].get("quickReply") or {}).get("items", [])
             if phone.platform == "line" and last and last["from"] == "bot" and last.get("quick") else [])
    context = {"t": views.texts(lang), "platform": phone.platform, "entries": entries, "quick": quick,
               "items": items, "rich": rich}
    return {name: templates.get_template(f"_{name}.html").render(context) for name in PARTS}


def _same_origin(request: Request) -> bool:
    """Refuse a form another site's page posts here in the browser (the demo runs on the visitor's machine)."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        return False
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host")


def _problem(request: Request, key: str, lang: str, status: int) -> Response:
    context = {"t": views.texts(lang), "lang": lang, "problem": views.TEXTS[key].render(lang)}
    return templates.TemplateResponse(request, "problem.html", context, status_code=status)
