"""Search ranking and word handling, in English and Welsh."""

from __future__ import annotations

from app.explainers.search import normalise, search, terms


def _slugs(query: str, language: str) -> list[str]:
    return [result.explainer.slug for result in search(query=query, language=language)]


def test_words_are_normalised_and_common_words_dropped() -> None:
    assert normalise("Ynglŷn â’r GWAITH") == "ynglyn a'r gwaith"
    assert terms("What is Permitted Work?") == ["permitted", "work"]
    assert terms("Beth yw Gwaith a Ganiateir") == ["gwaith", "ganiateir"]
    assert terms("16 hours, 16 HOURS") == ["16", "hours"]
    assert terms("") == []


def test_title_matches_come_first() -> None:
    assert _slugs("permitted work", "en")[0] == "permitted-work"
    assert _slugs("tax credits", "en")[0] == "tax-credits"
    assert _slugs("volunteering", "en")[0] == "volunteering"
    assert _slugs("Return to Work Credit", "en")[0] == "return-to-work-credit"


def test_pages_matching_more_words_rank_higher() -> None:
    results = search(query="housing benefit council tax", language="en")
    assert results[0].explainer.slug == "housing-and-council-tax"
    assert [r.matched for r in results] == sorted((r.matched for r in results), reverse=True)


def test_plurals_and_word_starts_match() -> None:
    assert "job-brokers" in _slugs("broker", "en")
    assert "tax-credits" in _slugs("credits", "en")


def test_welsh_search_with_and_without_accents() -> None:
    assert _slugs("Gwaith a Ganiateir", "cy")[0] == "permitted-work"
    assert _slugs("credyd dychwelyd", "cy")[0] == "return-to-work-credit"
    assert _slugs("therapiau siarad", "cy") == _slugs("therapïau siarad", "cy")
    assert _slugs("therapïau siarad", "cy")[0] == "talking-therapies"


def test_searching_for_nothing_or_nonsense_finds_nothing() -> None:
    assert search(query="", language="en") == []
    assert search(query="what is the", language="en") == []
    assert search(query="xylophone", language="cy") == []
