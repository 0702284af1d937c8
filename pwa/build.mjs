// Builds pwa/ into dist/: compiled CSS, JS, icons, web app manifest and service worker.
// Asset names carry a content hash so the app can cache them for a year; every asset is
// also written pre-compressed (.br and .gz) so the server never compresses at request time.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import * as esbuild from "esbuild";
import * as sass from "sass";
import { drawIcon, encodeIco } from "./icons.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const assetsDir = join(dist, "assets");
rmSync(dist, { recursive: true, force: true });
mkdirSync(assetsDir, { recursive: true });

const manifest = {};
const THEME = "#1d70b8";

function compressed(path, body) {
  writeFileSync(`${path}.br`, zlib.brotliCompressSync(body, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 },
  }));
  writeFileSync(`${path}.gz`, zlib.gzipSync(body, { level: 9 }));
}

function emit(logicalName, body) {
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
  const dot = logicalName.lastIndexOf(".");
  const hashedName = `${logicalName.slice(0, dot)}.${hash}${logicalName.slice(dot)}`;
  const path = join(assetsDir, hashedName);
  writeFileSync(path, body);
  compressed(path, body);
  manifest[logicalName] = hashedName;
  return `/assets/${hashedName}`;
}

// Styles
const css = sass.compile(join(here, "scss", "app.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter(here)],
  quietDeps: true,
  silenceDeprecations: ["import"],
});
emit("app.css", Buffer.from(css.css));
const noJsCss = sass.compile(join(here, "scss", "nojs.scss"), { style: "compressed" });
emit("nojs.css", Buffer.from(noJsCss.css));

// Scripts, minified. GOV.UK Frontend is bundled from pwa/js/govuk-frontend.js with only the
// components the service uses; it comes first, so app.js can point at its hashed name.
const ESBUILD = { minify: true, format: "esm", target: "es2020", legalComments: "none" };
function script(name, source = readFileSync(join(here, "js", name), "utf8")) {
  return emit(name, Buffer.from(esbuild.transformSync(source, { ...ESBUILD, loader: "js" }).code));
}
const govukJs = esbuild.buildSync({
  ...ESBUILD,
  entryPoints: [join(here, "js", "govuk-frontend.js")],
  bundle: true,
  write: false,
}).outputFiles[0].contents;
const govukUrl = emit("govuk-frontend.js", Buffer.from(govukJs));
script("app.js", readFileSync(join(here, "js", "app.js"), "utf8").replace("__GOVUK_FRONTEND_URL__", govukUrl));
script("passkeys.js");
script("live.js");
script("push.js");

// Icons: drawn here, so no binary files live in the repository.
const iconUrls = {};
for (const [name, size, maskable] of [
  ["icon-192.png", 192, false],
  ["icon-512.png", 512, false],
  ["icon-maskable-512.png", 512, true],
  ["apple-touch-icon.png", 180, true],
]) {
  iconUrls[name] = emit(name, drawIcon(size, { maskable }));
}
const favicon = encodeIco([drawIcon(32, { maskable: false }), drawIcon(48, { maskable: false })], [32, 48]);
writeFileSync(join(dist, "favicon.ico"), favicon);
copyFileSync(join(dist, "favicon.ico"), join(assetsDir, "favicon.ico"));

// Screenshots for the install sheet (taken from the real app by scripts/screenshots.py). Hashed
// like every asset, but not precached: only the browser's install prompt shows them.
const screenshotUrls = {};
for (const name of ["home-narrow.png", "plan-narrow.png", "explainer-wide.png"]) {
  const body = readFileSync(join(here, "screenshots", name));
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
  const hashed = name.replace(".png", `.${hash}.png`);
  writeFileSync(join(assetsDir, hashed), body);
  screenshotUrls[name] = `/assets/${hashed}`;
}

// Web app manifest (served at /manifest.webmanifest).
const webManifest = {
  id: "/",
  name: "My Pathways",
  short_name: "Pathways",
  description: "Your appointments, your plan and gentle reminders, at your own pace.",
  lang: "en-GB",
  start_url: "/?source=home-screen",
  scope: "/",
  display: "standalone",
  orientation: "portrait",
  theme_color: THEME,
  background_color: "#ffffff",
  icons: [
    { src: iconUrls["icon-192.png"], sizes: "192x192", type: "image/png", purpose: "any" },
    { src: iconUrls["icon-512.png"], sizes: "512x512", type: "image/png", purpose: "any" },
    { src: iconUrls["icon-maskable-512.png"], sizes: "512x512", type: "image/png", purpose: "maskable" },
  ],
  screenshots: [
    { src: screenshotUrls["home-narrow.png"], sizes: "390x844", type: "image/png", form_factor: "narrow", label: "Your next appointment, and how to change it" },
    { src: screenshotUrls["plan-narrow.png"], sizes: "390x844", type: "image/png", form_factor: "narrow", label: "Your plan, at your own pace" },
    { src: screenshotUrls["explainer-wide.png"], sizes: "1280x800", type: "image/png", form_factor: "wide", label: "Plain-language guides about money and work" },
  ],
  shortcuts: [
    { name: "My appointments", short_name: "Appointments", url: "/home?source=shortcut", icons: [{ src: iconUrls["icon-192.png"], sizes: "192x192", type: "image/png" }] },
    { name: "My plan", short_name: "Plan", url: "/plan?source=shortcut", icons: [{ src: iconUrls["icon-192.png"], sizes: "192x192", type: "image/png" }] },
  ],
  categories: ["productivity", "lifestyle"],
};
writeFileSync(join(dist, "manifest.webmanifest"), JSON.stringify(webManifest, null, 2));

// The same in Welsh, for pages in Welsh (the install sheet and shortcuts speak the page's language).
const welsh = {
  ...webManifest,
  lang: "cy",
  // The service's Welsh name (the Welsh review of November 2026): the home-screen label too.
  name: "Fy Llwybrau",
  short_name: "Llwybrau",
  description: "Eich apwyntiadau, eich cynllun a nodiadau atgoffa ysgafn, yn eich amser eich hun.",
  start_url: "/?source=home-screen&lang=cy",
  screenshots: webManifest.screenshots.map((shot, index) => ({
    ...shot,
    label: ["Eich apwyntiad nesaf, a sut i'w newid", "Eich cynllun, yn eich amser eich hun", "Canllawiau clir am arian a gwaith"][index],
  })),
  shortcuts: [
    { ...webManifest.shortcuts[0], name: "Fy apwyntiadau", short_name: "Apwyntiadau" },
    { ...webManifest.shortcuts[1], name: "Fy nghynllun", short_name: "Cynllun" },
  ],
};
writeFileSync(join(dist, "manifest-cy.webmanifest"), JSON.stringify(welsh, null, 2));

// Service worker: precache the shell (styles, scripts, icons) of this exact build.
// Only what every page needs offline: the rest (page-specific scripts, install icons) is cached
// the first time a page uses it, so installing costs a phone as little data as it can.
const PRECACHED = ["app.css", "app.js", "govuk-frontend.js", "icon-192.png"];
const precache = PRECACHED.map((name) => `/assets/${manifest[name]}`);
const version = createHash("sha256").update(JSON.stringify(manifest)).digest("hex").slice(0, 12);
const sw = readFileSync(join(here, "js", "sw.js"), "utf8")
  .replace("__VERSION__", version)
  .replace("__PRECACHE__", JSON.stringify(precache))
  .replace("__ICON__", JSON.stringify(iconUrls["icon-192.png"]));
writeFileSync(join(dist, "sw.js"), sw);

writeFileSync(join(dist, "manifest.json"), JSON.stringify(manifest, null, 2));
console.log(`built ${Object.keys(manifest).length} assets, version ${version}`);
