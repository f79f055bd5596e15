"""line-bot-sdk's FastAPI echo bot, as its example is written: each text is answered inline with reply_message.

A peer for bench/e2e.py, run in bench/.peers-venv (not a project dependency):
    LINE_CHANNEL_SECRET=… LINE_CHANNEL_ACCESS_TOKEN=… LINE_API_BASE_URL=… uvicorn line_echo:app --port P
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import AsyncApiClient, AsyncMessagingApi, Configuration, ReplyMessageRequest, TextMessage
from linebot.v3.webhook import WebhookParser
from linebot.v3.webhooks import MessageEvent, TextMessageContent

configuration = Configuration(access_token=os.environ["LINE_CHANNEL_ACCESS_TOKEN"],
                              host=os.environ["LINE_API_BASE_URL"])
parser = WebhookParser(os.environ["LINE_CHANNEL_SECRET"])
line_bot_api: AsyncMessagingApi


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The SDK's aiohttp session needs the running loop (the example makes it at import, under an older aiohttp)."""
    global line_bot_api
    async with AsyncApiClient(configuration) as client:
        line_bot_api = AsyncMessagingApi(client)
        yield


app = FastAPI(lifespan=lifespan)


@app.get("/healthz")
async def healthz() -> str:
    return "OK"


@app.post("/callback")
async def handle_callback(request: Request) -> str:
    signature = request.headers["X-Line-Signature"]
    body = (await request.body()).decode()
    try:
        events = parser.parse(body, signature)
    except InvalidSignatureError:
        raise HTTPException(status_code=400, detail="Invalid signature") from None
    for event in events:
        if not isinstance(event, MessageEvent) or not isinstance(event.message, TextMessageContent):
            continue
        await line_bot_api.reply_message(ReplyMessageRequest(reply_token=event.reply_token,
                                                             messages=[TextMessage(text=event.message.text)]))
    return "OK"
