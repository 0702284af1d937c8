"""Each refusal says its own true thing: a support person who may not read the messages is
told that, one who tries to write to the adviser is told only the client writes, and no
refusal borrows another's words ("You can look, but not make changes", "settings")."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.dependencies import ASKING_FOR_A_CALL, REFUSALS, WRITING_MESSAGES
from app.core.i18n import use_language
from app.core.templating import get_templates
from tests.accounts.world import build_world, csrf_token, sign_in_as
from tests.html import parse, text


def test_reading_messages_not_shared(client: TestClient, db: Session) -> None:
    world = build_world(db)
    sign_in_as(client, db, world, "supporter-read-only")
    response = client.get("/messages")
    assert response.status_code == 403
    words = text(response.text)
    assert "Angharad Secret has not shared their messages with you." in words
    assert "You can look, but not make changes" not in words
    assert "ask for changes" not in words


@pytest.mark.parametrize("role", ["supporter-read-only", "supporter-may-ask"])
def test_writing_a_message_is_the_clients_alone(role: str, client: TestClient, db: Session) -> None:
    world = build_world(db)
    sign_in_as(client, db, world, role)
    response = client.post(
        "/messages",
        data={"body": "Hello", "csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert response.status_code == 403
    words = text(response.text)
    assert "Only Angharad Secret can write messages to their adviser." in words
    assert "settings" not in words
    call = client.post(
        "/contact/call-me",
        data={"suits": "any", "csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert call.status_code == 403
    assert "Only Angharad Secret can ask their adviser to call them." in text(call.text)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_refusal_code_has_its_own_words(language: str) -> None:
    template = get_templates().env.get_template("pages/forbidden.html")

    class Viewer:
        helping_name = "Angharad"
        role = "supporter"

    def page(reason: str) -> str:
        # The page's own words (its content block), without the layout around them.
        with use_language(language):
            context = template.new_context({"reason": reason, "viewer": Viewer()})
            html = "".join(template.blocks["content"](context))
        return " ".join(parse(html).get_text(" ").split())

    fallback = page("not-a-real-reason")
    codes = {*REFUSALS.values(), WRITING_MESSAGES, ASKING_FOR_A_CALL, "nothing-shared", "csrf"}
    said = {code: page(code) for code in codes}
    for code, words in said.items():
        assert words != fallback, code
    assert len(set(said.values())) == len(codes)  # no two refusals share their words
