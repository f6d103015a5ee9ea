import type { Classification } from "../score/result.js";
import { confidenceLine, describeLabel, displaySegments, flipLine, otherRoleLine, percent } from "./segments.js";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/** The report's stylesheet; the page of `pmpo serve` draws its results with it too. */
export const REPORT_STYLE = `
body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
main{max-width:860px;margin:2rem auto;padding:0 1rem}
header{background:#fff;border:1px solid #dde1e7;border-radius:10px;padding:1.2rem 1.4rem;margin-bottom:1rem}
h1{font-size:1.35rem;margin:0 0 .3rem} .summary{font-weight:600;margin:.3rem 0} .sub{color:#566070;margin:.2rem 0}
.bar{display:flex;height:14px;border-radius:7px;overflow:hidden;margin:.8rem 0 .3rem;background:#e4e7ec}
.bar .pm{background:#2f6fdb} .bar .po{background:#e0a100}
.legend{display:flex;gap:1.2rem;font-size:.9rem;color:#38404d;margin-top:.5rem}
.legend span{display:inline-flex;align-items:center;gap:.35rem}
.sw{width:.9rem;height:.9rem;border-radius:3px;display:inline-block}
mark{border-radius:3px;padding:0 .1em;color:inherit}
mark.pm{background:#cfe0ff;box-shadow:inset 0 -2px #2f6fdb}
mark.po{background:#ffe9a8;box-shadow:inset 0 -2px #e0a100}
.ad{white-space:pre-wrap;word-wrap:break-word;background:#fff;border:1px solid #dde1e7;border-radius:10px;padding:1.2rem 1.4rem}
.top{display:grid;grid-template-columns:1fr 1fr;gap:1rem;margin:1rem 0}
.top section{background:#fff;border:1px solid #dde1e7;border-radius:10px;padding:.8rem 1.2rem}
.top h2{font-size:1rem;margin:.2rem 0 .4rem} .top ol{margin:0;padding-left:1.3rem}
.warn{color:#a3341f;font-weight:600}
`;

function topList(result: Classification, side: "productManager" | "productOwner"): string {
  const items = result.topPhrases[side].map((p) => `<li>${escapeHtml(p.phrase)} <small>(${p.weight.toFixed(2)}${p.count > 1 ? `, ×${p.count}` : ""})</small></li>`);
  return items.length > 0 ? `<ol>${items.join("")}</ol>` : "<p>none</p>";
}

/**
 * One standalone HTML page (inline CSS, no scripts, no external assets): label, confidence, a
 * score bar and legend, then the ad with evidence marked. All ad text is escaped.
 */
export function renderHtml(text: string, result: Classification, pageTitle = "pmpo report"): string {
  const body = displaySegments(text, result.highlights)
    .map(({ text: part, highlight }) => {
      if (!highlight) return escapeHtml(part);
      const side = highlight.leaning === "product-manager" ? "pm" : "po";
      const tip = `${highlight.leaning} · weight ${highlight.weight} · ${highlight.section}`;
      return `<mark class="${side}" title="${escapeHtml(tip)}" data-weight="${highlight.weight}">${escapeHtml(part)}</mark>`;
    })
    .join("");
  const otherRole = otherRoleLine(result);
  const pm = percent(result.pmShare);
  const po = percent(1 - result.pmShare);
  const title = result.title
    ? `<p class="sub">Title: ${escapeHtml(result.title.text)}${result.titleMismatch ? ` <span class="warn">— title mismatch: the duties lean the other way</span>` : ""}</p>`
    : "";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(pageTitle)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<main>
<header>
<h1 id="label" data-label="${result.label}">${escapeHtml(result.label)}: ${escapeHtml(describeLabel(result.label))}</h1>
<p class="summary" id="summary">${escapeHtml(result.summary)}</p>
${otherRole ? `<p class="sub warn" id="other-role">${escapeHtml(otherRole)}</p>` : ""}
<p class="sub">${escapeHtml(confidenceLine(result))}</p>
<p class="sub" id="flips">${escapeHtml(flipLine(result))}</p>
${title}
<div class="bar" role="img" aria-label="product manager ${pm}, product owner ${po}"><div class="pm" style="width:${(result.pmShare * 100).toFixed(1)}%"></div><div class="po" style="width:${((1 - result.pmShare) * 100).toFixed(1)}%"></div></div>
<div class="legend"><span><i class="sw" style="background:#2f6fdb"></i>product manager evidence</span><span><i class="sw" style="background:#e0a100"></i>product owner evidence</span><span>model ${escapeHtml(result.model.name)} ${escapeHtml(result.model.version)}</span></div>
</header>
<div class="top"><section><h2>Top product manager phrases</h2>${topList(result, "productManager")}</section><section><h2>Top product owner phrases</h2>${topList(result, "productOwner")}</section></div>
<div class="ad" id="ad">${body}</div>
</main>
</body>
</html>
`;
}
