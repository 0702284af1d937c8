"""Markdown to HTML with GOV.UK classes. Raw HTML in content is never rendered, only escaped."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

# GOV.UK classes for what Markdown produces. Headings start at h2: the page title is the only h1.
_CLASSES = {
    "paragraph_open": "govuk-body",
    "bullet_list_open": "govuk-list govuk-list--bullet",
    "ordered_list_open": "govuk-list govuk-list--number",
    "link_open": "govuk-link",
    "blockquote_open": "govuk-inset-text",
}
_HEADING_CLASSES = {"h2": "govuk-heading-m", "h3": "govuk-heading-s"}
_HEADING_LEVELS = {"h1": "h2", "h4": "h3", "h5": "h3", "h6": "h3"}
_BLOCK_ENDS = {"heading_close", "paragraph_close"}


@lru_cache
def _parser() -> MarkdownIt:
    # "commonmark" with html=False: any <tag> in a content file is shown as text, not run.
    # markdown-it also refuses javascript:, vbscript:, file: and non-image data: links by default.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def _add_classes(tokens: list[Token]) -> None:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = _HEADING_LEVELS.get(token.tag, token.tag)
        if token.type == "heading_open":
            token.attrSet("class", _HEADING_CLASSES[token.tag])
        elif token.type in _CLASSES:
            token.attrSet("class", _CLASSES[token.type])
        if token.children:
            _add_classes(token.children)


def render_markdown(source: str) -> Markup:
    """Render trusted-format, untrusted-markup Markdown to safe HTML."""
    parser = _parser()
    tokens = parser.parse(source)
    _add_classes(tokens)
    # Inside a list, paragraphs are hidden ("tight"), so their class never reaches the page.
    return Markup(parser.renderer.render(tokens, parser.options, {}))  # noqa: S704 - escaped by markdown-it


def text_blocks(source: str) -> list[str]:
    """The words of the Markdown, one string per heading, paragraph or list item."""
    blocks: list[str] = []
    current: list[str] = []
    for token in _parser().parse(source):
        if token.type == "inline":
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    current.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    current.append(" ")
        elif token.type in _BLOCK_ENDS and current:
            blocks.append("".join(current).strip())
            current = []
    return [block for block in blocks if block]


def plain_text(source: str) -> str:
    """The Markdown with its markup stripped, one block a line."""
    return "\n".join(text_blocks(source))
