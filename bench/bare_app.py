"""The floor of this stack: a bare FastAPI app that answers plain text, with nothing of ours
(no middleware, no dependencies, no database). bench/server.py serves it with the same uvicorn
settings as `python -m app serve` and gives each page's requests per second as a share of it."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)


@app.get("/", response_class=PlainTextResponse)
async def floor() -> str:
    """Plain text, as /healthz is the plainest page of the app."""
    return "ok"
