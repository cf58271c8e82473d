// Builds static/build/: our brand stylesheet compiled from GOV.UK Frontend Sass, plus the
// component JavaScript and the font-free assets (icons, images) it refers to.
import { compile } from "sass";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";

const out = "static/build";
mkdirSync(`${out}/govuk`, { recursive: true });
const css = compile("assets/portal.scss", {
  loadPaths: ["node_modules/govuk-frontend/dist"],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "color-functions", "slash-div"],
});
writeFileSync(`${out}/portal.css`, css.css);
cpSync("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", `${out}/govuk/govuk-frontend.min.js`);
cpSync("node_modules/govuk-frontend/dist/govuk/assets/images", `${out}/govuk/assets/images`, { recursive: true });
cpSync("node_modules/govuk-frontend/dist/govuk/assets/manifest.json", `${out}/govuk/assets/manifest.json`);
console.log(`built ${out}/portal.css (${css.css.length} bytes)`);
