"""Built front-end files: content-hashed names, immutable caching, pre-compressed bodies."""

from __future__ import annotations

import json
import mimetypes
import os
from functools import lru_cache
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

from app.core.config import get_settings

IMMUTABLE = "public, max-age=31536000, immutable"
ASSETS_PATH = "/assets"
mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("text/javascript", ".js")


class AssetsNotBuiltError(RuntimeError):
    pass


@lru_cache
def asset_manifest() -> dict[str, str]:
    """Logical name ('app.css') to hashed file name ('app.3f2a9c1b.css'), written by the build."""
    path = get_settings().assets_dir / "manifest.json"
    if not path.exists():
        raise AssetsNotBuiltError(
            f"{path} is missing: run `npm run build` in pwa/ (scripts/setup.sh)"
        )
    data: dict[str, str] = json.loads(path.read_text())
    return data


def asset_url(name: str) -> str:
    return f"{ASSETS_PATH}/{asset_manifest()[name]}"


def is_asset_request(scope: Scope) -> bool:
    """A request for a hashed asset: a stylesheet, script or image, never a page. Such answers
    carry only the headers a file needs (the page headers are for documents: see
    app/core/security.py), since every first visit downloads several of them."""
    return str(scope.get("path", "")).startswith(ASSETS_PATH + "/")


class _AssetFile(FileResponse):
    """A file whose name changes with its content: no Last-Modified, ETag or Accept-Ranges.
    Nothing revalidates an immutable file, and each of those headers cost every asset of a
    first visit some 40 bytes. Always the whole file (HashedAssets drops Range headers):
    they are small, and a range is only worth asking for with a validator to ask it against."""

    def __init__(self, path: Path, media_type: str) -> None:
        super().__init__(path, media_type=media_type)
        del self.headers["accept-ranges"]

    def set_stat_headers(self, stat_result: os.stat_result) -> None:
        self.headers.setdefault("content-length", str(stat_result.st_size))


def _pick_encoding(accept_encoding: str, file: Path) -> tuple[Path, str | None]:
    offered = {part.split(";")[0].strip() for part in accept_encoding.split(",")}
    for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
        candidate = file.with_name(file.name + suffix)
        if encoding in offered and candidate.exists():
            return candidate, encoding
    return file, None


_RANGES = (b"range", b"if-range")


class HashedAssets:
    """An ASGI app for /assets: only files the build wrote, never a path outside the folder."""

    def __init__(self, directory: Path, cache_control: str = IMMUTABLE) -> None:
        self.directory = directory.resolve()
        self.cache_control = cache_control
        self._files: dict[str, Path] = {}
        self._listed_at: float | None = None

    def _list(self) -> None:
        """Every file the build wrote, by its path under the folder (compressed copies are
        served in place of their originals, never asked for by name)."""
        try:
            listed_at = self.directory.stat().st_mtime
        except OSError:
            self._files, self._listed_at = {}, None
            return
        if listed_at == self._listed_at:
            return
        self._files = {
            path.relative_to(self.directory).as_posix(): path
            for path in self.directory.rglob("*")
            if path.is_file() and path.suffix not in {".br", ".gz"}
        }
        self._listed_at = listed_at

    def resolve(self, relative: str) -> Path | None:
        """The file for a request's path under /assets, or None. Looked up among the files the
        build wrote: the path a browser sent never reaches the filesystem, so no traversal,
        NUL byte or overlong name can do more than miss. Lists the folder again on a miss if
        it changed (a rebuild while running)."""
        name = relative.lstrip("/")
        if name not in self._files:
            self._list()
        return self._files.get(name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response: Response
        # Mounted apps see the full path; the mount point is in root_path.
        path, root = scope["path"], scope.get("root_path", "")
        file = self.resolve(path[len(root) :] if root and path.startswith(root) else path)
        if file is None or scope["method"] not in {"GET", "HEAD"}:
            response = PlainTextResponse("Not found", status_code=404)
        else:
            headers = Headers(scope=scope)
            body, encoding = _pick_encoding(headers.get("accept-encoding", ""), file)
            media_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            response = _AssetFile(body, media_type)
            scope = {**scope, "headers": [h for h in scope["headers"] if h[0] not in _RANGES]}
            response.headers["Cache-Control"] = self.cache_control
            response.headers["Vary"] = "Accept-Encoding"
            if encoding:
                response.headers["Content-Encoding"] = encoding
        await response(scope, receive, send)
