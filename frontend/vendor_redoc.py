"""Copy Redoc (the API documentation page) from drf-spectacular-sidecar into static/,
changed so that it loads nothing from elsewhere.

Redoc draws the "API docs by Redocly" logo from cdn.redoc.ly, which the content
security policy blocks (and must keep blocking). Here the logo's address is emptied: the
browser fetches nothing, Redoc drops the image and keeps the words. The source map
comment is removed too (no map is copied). Run it after upgrading
drf-spectacular-sidecar (``make redoc``), then commit static/vendor/redoc/.
"""

import importlib.metadata
import shutil
from pathlib import Path

import drf_spectacular_sidecar

CDN_LOGO = '"https://cdn.redoc.ly/redoc/logo-mini.svg"'
SOURCE_MAP = "\n//# sourceMappingURL=redoc.standalone.js.map"

SIDECAR = Path(drf_spectacular_sidecar.__file__).parent / "static/drf_spectacular_sidecar/redoc"
TARGET = Path(__file__).resolve().parent.parent / "static/vendor/redoc"


def patched(bundle: str) -> str:
    if bundle.count(CDN_LOGO) != 1 or not bundle.endswith(SOURCE_MAP):
        raise SystemExit("This Redoc bundle differs from the one this script knows: check it.")
    return bundle.replace(CDN_LOGO, '""').removesuffix(SOURCE_MAP) + "\n"


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    bundle = (SIDECAR / "bundles/redoc.standalone.js").read_text(encoding="utf-8")
    (TARGET / "redoc.standalone.js").write_text(patched(bundle), encoding="utf-8")
    shutil.copyfile(SIDECAR / "bundles/redoc.standalone.js.LICENSE.txt", TARGET / "LICENSE.txt")
    version = importlib.metadata.version("drf-spectacular-sidecar")
    (TARGET / "VERSION").write_text(f"drf-spectacular-sidecar {version}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
