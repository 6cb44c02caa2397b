// The runs table: every run, newest first, updated in place every two seconds while the page is open.
import { json } from "../api.js";
import { el, badge, duration, messageOf, metric, notice, say, time } from "../dom.js";
import { poll } from "../poll.js";
import { isActive, progressOf, progressText } from "../stages.js";

const columns = ["Dataset", "Run", "Status", "Stage", "Progress", "Started", "Duration", "Dev accuracy / F1", "Promoted", "Why"];

export function renderRuns(main) {
  const error = notice("error");
  const summary = el("p", { class: "small", id: "runs-summary", "aria-live": "polite" });
  const empty = el("p", { class: "notice info", hidden: true },
    "No runs yet. Upload a dataset (", el("code", { text: "paraphrase data upload --input train.tsv --dataset mrpc" }), ") or ",
    el("a", { href: "#/start", text: "start a run" }), ".");
  const body = el("tbody");
  const tableNode = el("table", { class: "runs-table", id: "runs-table" },
    el("caption", { class: "visually-hidden", text: "Training runs, newest first" }),
    el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col", text: c })))),
    body);
  main.replaceChildren(
    el("h1", { tabindex: "-1", text: "Runs" }),
    el("p", { class: "lead", text: "Every training run, newest first. Running runs update by themselves." }),
    error, summary, empty,
    el("div", { class: "table-wrap", role: "region", "aria-label": "Runs table", tabindex: "0" }, tableNode));

  const rows = new Map();
  let lastSummary = "";
  return poll(async () => {
    try {
      const { runs } = await json("api/pipeline/runs");
      say(error, "");
      update(body, rows, runs);
      empty.hidden = runs.length > 0;
      const running = runs.filter(isActive).length;
      const text = `${runs.length} run${runs.length === 1 ? "" : "s"}, ${running} running.`;
      if (text !== lastSummary) say(summary, (lastSummary = text));
    } catch (e) {
      say(error, messageOf(e));
    }
  }, 2000);
}

function update(body, rows, runs) {
  const seen = new Set();
  runs.forEach((run, index) => {
    seen.add(run.id);
    let row = rows.get(run.id);
    if (!row) {
      row = createRow(run);
      rows.set(run.id, row);
    }
    fill(row, run);
    // Only moved when out of place, so that a focused link keeps its focus.
    if (body.children[index] !== row) body.insertBefore(row, body.children[index] || null);
  });
  for (const [id, row] of rows) {
    if (!seen.has(id)) {
      row.remove();
      rows.delete(id);
    }
  }
}

function createRow(run) {
  const cells = {};
  const cell = (field, tag = "td", extra = {}) => (cells[field] = el(tag, { dataset: { field }, ...extra }));
  const row = el("tr", { dataset: { runId: run.id } },
    cell("dataset"),
    cell("run", "th", { scope: "row" }),
    cell("status"), cell("stage"), cell("progress"), cell("started"),
    cell("duration", "td", { class: "num" }), cell("metrics", "td", { class: "num" }), cell("promoted"), cell("reason", "td", { class: "reason" }));
  cells.dataset.textContent = run.dataset;
  cells.run.append(el("a", { href: `#/runs/${encodeURIComponent(run.id)}`, class: "mono", text: run.id }));
  row.cells_ = cells;
  return row;
}

// Each cell is rebuilt only when what it shows changed.
function set(cell, key, build) {
  if (cell.dataset.key === key) return;
  cell.dataset.key = key;
  cell.replaceChildren(...[build()].flat().filter((n) => n !== null && n !== undefined));
}

function fill(row, run) {
  const c = row.cells_;
  const active = isActive(run);
  set(c.status, run.runtimeStatus, () => badge(run.runtimeStatus));
  set(c.stage, run.stage || "", () => run.stage || "—");
  const share = progressOf(run);
  const words = progressText(run);
  set(c.progress, `${share}|${words}`, () => [
    el("progress", { max: "100", value: String(Math.round(share * 100)), "aria-label": `Progress of ${run.id}: ${words}` }),
    " ", el("span", { class: "small", text: words })]);
  set(c.started, run.createdAt, () => time(run.createdAt));
  const end = active ? Date.now() : Date.parse(run.lastUpdatedAt);
  const took = duration(end - Date.parse(run.createdAt));
  set(c.duration, took, () => took);
  const m = run.output && run.output.metrics;
  const scores = m ? `${metric(m.accuracy)} / ${metric(m.f1)}` : "—";
  set(c.metrics, scores, () => scores);
  const promoted = run.output ? (run.output.promoted ? "yes" : "no") : "";
  set(c.promoted, promoted, () => (run.output ? badge(run.output.promoted ? "promoted" : "rejected") : "—"));
  const reason = run.output ? run.output.reason : run.error ? run.error.message : "";
  set(c.reason, reason, () => reason || "—");
}
