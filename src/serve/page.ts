// The page of `pmpo serve`: one HTML document, one stylesheet and one script, all from this
// origin (the Content-Security-Policy allows nothing else). Ad text only ever reaches the DOM
// through textContent and text nodes, never as markup. The lines that describe a result
// (label words, confidence, counterfactual) are the report renderers' own functions, sent as
// their source, so the page and the HTML report say the same thing in the same words.
import { REPORT_STYLE } from "../highlight/render-html.js";
import { confidenceLine, confidenceSubject, describeLabel, flipLine, otherRoleLine, percent, segmentText } from "../highlight/segments.js";
import { MAX_FLIP_SIZE } from "../score/duties.js";

/** The page's HTML (`GET /`). */
export const PAGE_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pmpo — product manager or product owner?</title>
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body>
<main>
<header class="intro">
<h1>pmpo</h1>
<p class="sub">Does a job ad lean product manager, product owner or hybrid? Paste it below; nothing leaves this machine.</p>
</header>
<section class="card" aria-labelledby="paste-heading">
<h2 id="paste-heading">Paste an ad</h2>
<label for="title">Job title (optional)</label>
<input id="title" type="text" autocomplete="off" spellcheck="false">
<label for="ad-text">Ad text</label>
<textarea id="ad-text" rows="12" spellcheck="false" placeholder="Paste the text of the job ad (plain text, Markdown or HTML)"></textarea>
<div class="actions">
<button id="classify" type="button">Classify</button>
<button id="copy-md" type="button" disabled>Copy as Markdown</button>
<button id="download-report" type="button" disabled>Download report</button>
<span id="status" class="sub" role="status" aria-live="polite"></span>
</div>
<textarea id="md-out" rows="6" readonly hidden aria-label="The Markdown report, to copy"></textarea>
</section>
<section id="result" class="result" hidden aria-label="Result">
<header>
<h2 id="label" data-label=""></h2>
<p class="summary" id="summary"></p>
<p class="sub warn" id="other-role" hidden></p>
<p class="sub" id="confidence"></p>
<p class="sub" id="flips"></p>
<p class="sub" id="title-line" hidden></p>
<div class="bar" id="bar" role="img"><div class="pm" id="bar-pm"></div><div class="po" id="bar-po"></div></div>
<div class="legend"><span><i class="sw pm"></i>product manager evidence</span><span><i class="sw po"></i>product owner evidence</span><span id="model"></span></div>
</header>
<div class="top"><section><h2>Top product manager phrases</h2><ol id="top-pm"></ol></section><section><h2>Top product owner phrases</h2><ol id="top-po"></ol></section></div>
<div class="ad" id="ad"></div>
</section>
<section class="card" aria-labelledby="csv-heading">
<h2 id="csv-heading">Score a CSV file</h2>
<p class="sub">One listing per record, with a header; the ad text in a column named description, job_description, text, body or content. The file is sent as it is read, never loaded into the page whole.</p>
<div id="drop" class="drop">
<label for="csv-file">Drop a CSV file here, or choose one:</label>
<input id="csv-file" type="file" accept=".csv,.tsv,text/csv,text/tab-separated-values">
</div>
<progress id="csv-progress" max="1" value="0" hidden></progress>
<p id="csv-status" class="sub" role="status" aria-live="polite"></p>
<div id="csv-summary" hidden>
<p id="csv-counts" class="summary"></p>
<table id="label-counts"><thead><tr><th scope="col">label</th><th scope="col">records</th></tr></thead><tbody></tbody></table>
<h3>Rejected records</h3>
<p id="reject-count" class="sub"></p>
<ol id="rejects"></ol>
<div class="actions">
<button id="download-jsonl" type="button">Download results (JSONL)</button>
<button id="download-csv" type="button">Download results (CSV)</button>
</div>
</div>
</section>
</main>
</body>
</html>
`;

/** The page's stylesheet (`GET /app.css`): the HTML report's, and the page's own controls. */
export const PAGE_CSS = `${REPORT_STYLE}
*{box-sizing:border-box}
main{padding:0 .75rem}
.intro h1{font-size:1.6rem;margin:0} .intro{margin:1.2rem 0 1rem}
.card,.result header{background:#fff;border:1px solid #dde1e7;border-radius:10px;padding:1rem 1.2rem;margin-bottom:1rem}
.result{margin-bottom:1rem}
h2{font-size:1.1rem;margin:.2rem 0 .6rem}
label{display:block;font-weight:600;margin:.6rem 0 .25rem}
input[type=text],textarea{width:100%;font:inherit;padding:.5rem .6rem;border:1px solid #b9c0cc;border-radius:6px;background:#fff;color:inherit}
textarea{resize:vertical;min-height:8rem}
button{font:inherit;padding:.45rem .9rem;border-radius:6px;border:1px solid #2f6fdb;background:#2f6fdb;color:#fff;cursor:pointer}
button[disabled]{opacity:.5;cursor:default}
button+button{background:#fff;color:#1d4fa8}
:focus-visible{outline:3px solid #e0a100;outline-offset:2px}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-top:.8rem}
.sw.pm{background:#2f6fdb} .sw.po{background:#e0a100}
.legend{flex-wrap:wrap}
.drop{border:2px dashed #b9c0cc;border-radius:10px;padding:1rem;text-align:center}
.drop.over{border-color:#2f6fdb;background:#eef4ff}
progress{width:100%;height:1rem;margin-top:.8rem}
table{border-collapse:collapse;margin:.5rem 0} th,td{text-align:left;padding:.2rem .8rem .2rem 0;border-bottom:1px solid #dde1e7}
#rejects{max-height:16rem;overflow:auto;font-size:.9rem}
.error{color:#a3341f;font-weight:600}
@media (max-width:640px){.top{grid-template-columns:1fr} main{margin:1rem auto} .card,.result header,.ad{padding:.8rem}}
`;

// The renderers' helpers, as their compiled source: pure functions of a result.
const SHARED = [describeLabel, percent, confidenceSubject, confidenceLine, otherRoleLine, flipLine, segmentText].map((f) => f.toString()).join("\n");

/** The page's script (`GET /app.js`). */
export const PAGE_JS = `"use strict";
(() => {
const MAX_FLIP_SIZE = ${JSON.stringify(MAX_FLIP_SIZE)};
${SHARED}
${String.raw`
const $ = (id) => document.getElementById(id);
const ad = $("ad-text");
const titleBox = $("title");
let sequence = 0;
let shown = 0;
let controller = null;
let timer = null;
let lastRequest = null;

function status(text, isError) {
  const el = $("status");
  el.textContent = text;
  el.className = isError ? "sub error" : "sub";
}

function requestBody() {
  const title = titleBox.value.trim();
  return JSON.stringify(title === "" ? { text: ad.value } : { text: ad.value, title });
}

async function post(format, body) {
  const response = await fetch("/api/classify" + (format === "json" ? "" : "?format=" + format), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    signal: format === "json" ? controller.signal : undefined,
  });
  if (!response.ok) {
    let message = response.status + " " + response.statusText;
    try { message = (await response.json()).error.message; } catch {}
    throw new Error(message);
  }
  return response;
}

function list(el, phrases) {
  el.replaceChildren();
  if (phrases.length === 0) {
    const li = document.createElement("li");
    li.textContent = "none";
    el.append(li);
  }
  for (const p of phrases) {
    const li = document.createElement("li");
    li.textContent = p.phrase + " ";
    const small = document.createElement("small");
    small.textContent = "(" + p.weight.toFixed(2) + (p.count > 1 ? ", ×" + p.count : "") + ")";
    li.append(small);
    el.append(li);
  }
}

function show(text, result) {
  const label = $("label");
  label.dataset.label = result.label;
  label.textContent = result.label + ": " + describeLabel(result.label);
  $("summary").textContent = result.summary;
  const other = otherRoleLine(result);
  $("other-role").hidden = other === null;
  $("other-role").textContent = other ?? "";
  $("confidence").textContent = confidenceLine(result);
  $("flips").textContent = flipLine(result);
  const titleLine = $("title-line");
  titleLine.hidden = result.title === null;
  titleLine.replaceChildren();
  if (result.title) {
    titleLine.append("Title: " + result.title.text);
    if (result.titleMismatch) {
      const warn = document.createElement("span");
      warn.className = "warn";
      warn.id = "title-mismatch";
      warn.textContent = " — title mismatch: the duties lean the other way";
      titleLine.append(warn);
    }
  }
  const pm = result.pmShare * 100;
  $("bar-pm").style.width = pm.toFixed(1) + "%";
  $("bar-po").style.width = (100 - pm).toFixed(1) + "%";
  $("bar").setAttribute("aria-label", "product manager " + percent(result.pmShare) + ", product owner " + percent(1 - result.pmShare));
  $("model").textContent = "model " + result.model.name + " " + result.model.version;
  list($("top-pm"), result.topPhrases.productManager);
  list($("top-po"), result.topPhrases.productOwner);
  const out = $("ad");
  out.replaceChildren();
  for (const segment of segmentText(text, result.highlights)) {
    const h = segment.highlight;
    if (!h) {
      out.append(segment.text);
      continue;
    }
    const mark = document.createElement("mark");
    mark.className = h.leaning === "product-manager" ? "pm" : "po";
    mark.title = h.leaning + " · weight " + h.weight + " · term " + h.term + " · " + h.section;
    mark.dataset.weight = String(h.weight);
    mark.dataset.term = h.term;
    mark.textContent = segment.text;
    out.append(mark);
  }
  $("result").hidden = false;
}

async function classifyNow() {
  clearTimeout(timer);
  if (ad.value.trim() === "") {
    status("Paste an ad to classify it.", false);
    return;
  }
  const body = requestBody();
  if (body === lastRequest && shown === sequence) return;
  lastRequest = body;
  const mine = ++sequence;
  controller?.abort();
  controller = new AbortController();
  status("Classifying…", false);
  try {
    const text = ad.value;
    const result = await (await post("json", body)).json();
    if (mine !== sequence) return;
    shown = mine;
    show(text, result);
    $("copy-md").disabled = false;
    $("download-report").disabled = false;
    status("", false);
  } catch (error) {
    if (error.name === "AbortError" || mine !== sequence) return;
    lastRequest = null;
    status(error.message, true);
  }
}

function later() {
  clearTimeout(timer);
  timer = setTimeout(classifyNow, 400);
}

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

ad.addEventListener("input", later);
titleBox.addEventListener("input", later);
ad.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) classifyNow();
});
$("classify").addEventListener("click", classifyNow);
$("copy-md").addEventListener("click", async () => {
  try {
    const markdown = await (await post("markdown", requestBody())).text();
    const box = $("md-out");
    try {
      await navigator.clipboard.writeText(markdown);
      box.hidden = true;
      status("Markdown report copied.", false);
    } catch {
      box.value = markdown;
      box.hidden = false;
      box.select();
      status("The clipboard is not available here: the report is selected below, copy it with Ctrl-C.", false);
    }
  } catch (error) {
    status(error.message, true);
  }
});
$("download-report").addEventListener("click", async () => {
  try {
    download(await (await post("html", requestBody())).blob(), "pmpo-report.html");
  } catch (error) {
    status(error.message, true);
  }
});

// CSV files: sent as the body of one request (the browser streams the file from disk) and
// read back line by line; only the result lines are kept, for the download.
let batchFile = null;
let resultLines = [];

function batchUrl(file, extra) {
  const tsv = /\.tsv$/i.test(file.name) || file.type === "text/tab-separated-values";
  return "/api/batch?" + (tsv ? "delimiter=tab&" : "") + extra;
}

function csvStatus(text, isError) {
  const el = $("csv-status");
  el.textContent = text;
  el.className = isError ? "sub error" : "sub";
}

async function scoreFile(file) {
  batchFile = file;
  resultLines = [];
  $("csv-summary").hidden = true;
  const bar = $("csv-progress");
  bar.hidden = false;
  bar.value = 0;
  const started = performance.now();
  let records = 0;
  let rejects = 0;
  let summary = null;
  let failure = null;
  const list = $("rejects");
  list.replaceChildren();
  const progress = (bytes) => {
    const seconds = (performance.now() - started) / 1000;
    const share = file.size > 0 ? Math.min(1, bytes / file.size) : 1;
    bar.value = share;
    csvStatus(records.toLocaleString("en-US") + " records · " + Math.round(records / Math.max(seconds, 0.001)).toLocaleString("en-US") + " records/s · " + Math.round(share * 100) + "% of the file read", false);
  };
  csvStatus("Sending " + file.name + "…", false);
  try {
    const response = await fetch(batchUrl(file, "progress=true"), { method: "POST", headers: { "content-type": "text/csv" }, body: file });
    if (!response.ok) {
      let message = response.status + " " + response.statusText;
      try { message = (await response.json()).error.message; } catch {}
      throw new Error(message);
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let rest = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const lines = (rest + value).split("\n");
      rest = lines.pop();
      for (const line of lines) {
        if (line === "") continue;
        const row = JSON.parse(line);
        // A result line has a summary too (the duty summary, a string): results are told by their label.
        if (row.progress) progress(row.progress.bytes);
        else if (row.label) {
          records++;
          resultLines.push(line + "\n");
        } else if (row.error) failure = row.error;
        else if (row.code) {
          records++;
          rejects++;
          if (rejects <= 500) {
            const li = document.createElement("li");
            li.textContent = "line " + row.line + ", record " + row.record + ": " + row.code + ": " + row.message;
            list.append(li);
          }
        } else if (row.summary) summary = row.summary;
      }
    }
  } catch (error) {
    failure = { message: error.message };
  }
  if (summary) {
    bar.value = 1;
    const seconds = (performance.now() - started) / 1000;
    csvStatus(file.name + ": done in " + seconds.toFixed(1) + " s", false);
    $("csv-counts").textContent = summary.read + " records read: " + summary.scored + " scored, " + summary.rejected + " rejected";
    const body = $("label-counts").tBodies[0];
    body.replaceChildren();
    for (const [label, count] of Object.entries(summary.labels)) {
      const tr = document.createElement("tr");
      tr.dataset.label = label;
      for (const cell of [label, String(count)]) {
        const td = document.createElement("td");
        td.textContent = cell;
        tr.append(td);
      }
      body.append(tr);
    }
    $("reject-count").textContent = summary.rejected === 0 ? "none" : summary.rejected + (summary.rejected > 500 ? " (the first 500 are listed)" : "");
    $("csv-summary").hidden = false;
  }
  if (failure) csvStatus((summary ? "" : "Stopped after " + records + " records: ") + failure.message, true);
}

$("csv-file").addEventListener("change", (e) => {
  const file = e.target.files[0];
  if (file) scoreFile(file);
});
const drop = $("drop");
drop.addEventListener("dragover", (e) => {
  e.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  const file = e.dataTransfer.files[0];
  if (file) scoreFile(file);
});
$("download-jsonl").addEventListener("click", () => download(new Blob(resultLines, { type: "application/x-ndjson" }), "pmpo-results.jsonl"));
$("download-csv").addEventListener("click", async () => {
  if (!batchFile) return;
  csvStatus("Scoring " + batchFile.name + " again as CSV…", false);
  try {
    const response = await fetch(batchUrl(batchFile, "format=csv"), { method: "POST", headers: { "content-type": "text/csv" }, body: batchFile });
    if (!response.ok) throw new Error((await response.json()).error.message);
    download(await response.blob(), "pmpo-results.csv");
    csvStatus("", false);
  } catch (error) {
    csvStatus(error.message, true);
  }
});
`}
})();
`;
