"""Manifest, service worker and hashed assets: cached for a year, compressed, never outside dist."""

from __future__ import annotations

import re
from pathlib import Path

import govuk_frontend_jinja
from fastapi.testclient import TestClient

from app.core.assets import asset_manifest
from app.core.config import get_settings

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"


def test_manifest_is_installable(client: TestClient) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["display"] == "standalone"
    assert manifest["start_url"].startswith("/")
    assert manifest["name"] and manifest["short_name"] and manifest["theme_color"]
    purposes = {icon["purpose"] for icon in manifest["icons"]}
    assert {"any", "maskable"} <= purposes
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200
        assert image.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_service_worker_is_served_at_root_uncached_and_precaches_the_shell(
    client: TestClient,
) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"
    assert "javascript" in response.headers["content-type"]
    # The shell every page needs; page-specific scripts are cached when first used.
    manifest = asset_manifest()
    for name in ("app.css", "app.js", "govuk-frontend.js", "icon-192.png"):
        assert f"/assets/{manifest[name]}" in response.text
    for page in ("/offline?lang=cy", "/offline?lang=en", "/offline/waiting?lang=cy"):
        assert page in response.text


def test_assets_are_hashed_immutable_and_compressed(client: TestClient) -> None:
    css = asset_manifest()["app.css"]
    assert re.fullmatch(r"app\.[0-9a-f]{12}\.css", css)
    brotli = client.get(f"/assets/{css}", headers={"accept-encoding": "br"})
    assert brotli.headers["content-encoding"] == "br"
    assert brotli.headers["cache-control"] == "public, max-age=31536000, immutable"
    gzip = client.get(f"/assets/{css}", headers={"accept-encoding": "gzip"})
    assert gzip.headers["content-encoding"] == "gzip"
    plain = client.get(f"/assets/{css}", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert "GDS Transport" not in plain.text  # licensed for gov.uk only
    assert "system-ui" in plain.text


def test_assets_carry_only_the_headers_a_file_needs(client: TestClient) -> None:
    """Policies for documents stay on pages; a stylesheet or script, loaded several times on
    every first visit, keeps nosniff and its own caching, and no revalidation headers."""
    asset = client.get(asset_url_of("app.js"), headers={"accept-encoding": "br"})
    assert asset.headers["x-content-type-options"] == "nosniff"
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert asset.headers["vary"] == "Accept-Encoding"
    for page_only in ("content-security-policy", "permissions-policy", "content-language"):
        assert page_only not in asset.headers
    for revalidation in ("etag", "last-modified", "accept-ranges"):
        assert revalidation not in asset.headers
    ranged = client.get(asset_url_of("app.js"), headers={"range": "bytes=0-9", "if-range": "x"})
    assert ranged.status_code == 200 and ranged.content.startswith(b"document.")
    page = client.get("/")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["content-language"] == "en"


def asset_url_of(name: str) -> str:
    return f"/assets/{asset_manifest()[name]}"


def test_the_govuk_frontend_bundle_has_every_component_the_pages_use() -> None:
    """pwa/js/govuk-frontend.js lists GOV.UK Frontend's components by hand, to keep the rest
    of the library off the phone: every data-module a page can carry must be among them."""
    macros = Path(govuk_frontend_jinja.__file__).parent / "templates" / "components"
    used: set[str] = set()
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        used |= set(re.findall(r'data-module="(govuk-[a-z-]+)"', text))
        for component in re.findall(r"govuk_frontend_jinja/components/([a-z-]+)/", text):
            macro = (macros / component / "macro.html").read_text()
            used |= set(re.findall(r'data-module="(govuk-[a-z-]+)"', macro))
    assert "govuk-service-navigation" in used and "govuk-radios" in used
    bundle = (
        get_settings().assets_dir / "assets" / asset_manifest()["govuk-frontend.js"]
    ).read_text()
    assert not [module for module in sorted(used) if f'"{module}"' not in bundle]


def test_every_override_class_a_page_uses_is_built() -> None:
    """app.css builds only GOV.UK Frontend's margin overrides (pwa/scss/_overrides.scss), not
    the padding or fixed-size ones: a template that uses one must find it there."""
    used: set[str] = set()
    for source in [*TEMPLATES.rglob("*.html"), *TEMPLATES.parent.rglob("*.py")]:
        used |= set(re.findall(r"govuk-!-[a-z0-9-]*[a-z0-9]", source.read_text()))
    assert "govuk-!-margin-bottom-0" in used
    css = (get_settings().assets_dir / "assets" / asset_manifest()["app.css"]).read_text()
    built = set(re.findall(r"\.(govuk-\\!-[a-z0-9-]+)", css))
    assert not [name for name in sorted(used) if name.replace("!", "\\!") not in built]


def test_assets_cannot_escape_their_folder(client: TestClient) -> None:
    assert client.get("/assets/../../pyproject.toml").status_code == 404
    assert client.get("/assets/%2e%2e/manifest.json").status_code == 404
    assert client.get("/assets/does-not-exist.css").status_code == 404


def test_favicon(client: TestClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.content[:4] == b"\x00\x00\x01\x00"
