"""The Return to Work Credit checker: one question a page, answers carried in the address.

Every form uses GET and carries the earlier answers in hidden fields, so the checker needs no
JavaScript, no cookies and no server state, and nothing the client answers is stored.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.core.templating import render
from app.explainers import rtwc
from app.explainers.rtwc import BASE_PATH, QUESTIONS, Answers

router = APIRouter()
TEMPLATES = "explainers/return-to-work-credit/check"


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get(BASE_PATH, response_class=HTMLResponse)
def check(request: Request) -> HTMLResponse:
    return render(
        request, f"{TEMPLATES}/index.html", {"start_url": rtwc.url(QUESTIONS[0], Answers())}
    )


def _question_page(
    request: Request,
    question: str,
    answers: Answers,
    *,
    change: str | None,
    submitted: str | None,
) -> Response:
    """Show a question, or, once it is answered, go on to the next page."""
    earlier = QUESTIONS[: QUESTIONS.index(question)]
    missing = next((name for name in earlier if getattr(answers, name) is None), None)
    if missing:
        return _redirect(rtwc.url(missing, answers))
    changing = change == "yes"
    answered = getattr(answers, question) is not None
    if submitted and answered:
        return _redirect(rtwc.next_page(question, answers, changing=changing))
    carried = {
        name: str(getattr(answers, name))
        for name in QUESTIONS
        if name != question and getattr(answers, name) is not None
    }
    if changing:
        carried["change"] = "yes"
    return render(
        request,
        f"{TEMPLATES}/{question}.html",
        {
            "action": f"{BASE_PATH}/{question}",
            "selected": str(getattr(answers, question) or ""),
            "error": bool(submitted) and not answered,
            "carried": carried,
            "back_url": rtwc.previous_page(question, answers, changing=changing),
        },
    )


@router.get(f"{BASE_PATH}/benefit", response_class=HTMLResponse)
def check_benefit(
    request: Request,
    benefit: str | None = None,
    hours: str | None = None,
    change: str | None = None,
    submitted: str | None = None,
) -> Response:
    answers = Answers.from_query(benefit=benefit, hours=hours)
    return _question_page(request, "benefit", answers, change=change, submitted=submitted)


@router.get(f"{BASE_PATH}/hours", response_class=HTMLResponse)
def check_hours(
    request: Request,
    benefit: str | None = None,
    hours: str | None = None,
    change: str | None = None,
    submitted: str | None = None,
) -> Response:
    answers = Answers.from_query(benefit=benefit, hours=hours)
    return _question_page(request, "hours", answers, change=change, submitted=submitted)


@router.get(f"{BASE_PATH}/check-your-answers", response_class=HTMLResponse)
def check_your_answers(
    request: Request, benefit: str | None = None, hours: str | None = None
) -> Response:
    answers = Answers.from_query(benefit=benefit, hours=hours)
    if missing := answers.first_unanswered():
        return _redirect(rtwc.url(missing, answers))
    return render(
        request,
        f"{TEMPLATES}/check-your-answers.html",
        {
            "answers": answers,
            "change_urls": {name: rtwc.url(name, answers, change="yes") for name in QUESTIONS},
            "back_url": rtwc.url(QUESTIONS[-1], answers),
            "result_url": rtwc.url("result", answers),
        },
    )


@router.get(f"{BASE_PATH}/result", response_class=HTMLResponse)
def check_result(
    request: Request, benefit: str | None = None, hours: str | None = None
) -> Response:
    answers = Answers.from_query(benefit=benefit, hours=hours)
    if answers.benefit is None or answers.hours is None:
        return _redirect(rtwc.url(answers.first_unanswered() or QUESTIONS[0], answers))
    return render(
        request,
        f"{TEMPLATES}/result.html",
        {
            "outcome": str(rtwc.outcome(benefit=answers.benefit, hours=answers.hours)),
            "back_url": rtwc.url("check-your-answers", answers),
            "start_url": rtwc.url(QUESTIONS[0], Answers()),
        },
    )
