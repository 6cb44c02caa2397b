// Building DOM nodes without HTML strings (data never becomes markup), and the formats shown on every page.

/**
 * el("a", { href: "#/", class: "x", text: "Runs" }, child, …). Attributes with null, undefined or false are left out;
 * "on…" attributes add listeners. Never pass "style": the page's policy forbids style attributes (set element.style instead).
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name === "class") node.className = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : String(child));
  }
}

/** A description list from [term, description] pairs; descriptions may be nodes. */
export function facts(pairs) {
  return el("dl", { class: "facts" }, pairs.filter(Boolean).map(([term, value]) => [el("dt", { text: term }), el("dd", {}, value ?? "—")]));
}

/** A table with a caption, column headers and rows of cells (strings or nodes); numeric columns right-aligned. */
export function table(caption, columns, rows, { numeric = [], className = "" } = {}) {
  return el("div", { class: "table-wrap" },
    el("table", { class: className },
      el("caption", { text: caption }),
      el("thead", {}, el("tr", {}, columns.map((c, i) => el("th", { scope: "col", class: numeric.includes(i) ? "num" : null, text: c })))),
      el("tbody", {}, rows.map((row) => el("tr", {}, row.map((cell, i) => el("td", { class: numeric.includes(i) ? "num" : null }, cell ?? "—")))))));
}

export const metric = (value) => (typeof value === "number" && Number.isFinite(value) ? value.toFixed(3) : "—");

export const percent = (value, digits = 1) => (typeof value === "number" && Number.isFinite(value) ? `${(value * 100).toFixed(digits)} %` : "—");

export function number(value, digits = 4) {
  if (typeof value !== "number" || !Number.isFinite(value)) return "—";
  return Math.abs(value) !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6) ? value.toExponential(2) : String(+value.toFixed(digits));
}

export function bytes(size) {
  if (typeof size !== "number") return "—";
  const units = ["B", "KB", "MB", "GB"];
  let value = size, unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** 4.2 s, 3 min 12 s, 1 h 02 min. */
export function duration(milliseconds) {
  if (typeof milliseconds !== "number" || !Number.isFinite(milliseconds) || milliseconds < 0) return "—";
  const seconds = milliseconds / 1000;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.round(seconds % 60)).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** A <time> element showing a date in the reader's locale. */
export function time(iso) {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  return el("time", { datetime: date.toISOString(), text: date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" }) });
}

/** A status word as a badge: the word itself carries the meaning, the colour only repeats it. */
export const badge = (word) => el("span", { class: `badge ${String(word || "unknown").toLowerCase()}`, text: word || "unknown" });

/** A notice area for errors or confirmations; role=alert for errors so that they are announced. */
export function notice(kind) {
  return el("p", { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status" });
}

/** Shows a message in a notice (or clears it with an empty message). */
export function say(node, message) {
  node.textContent = message || "";
}

/** The message to show for an error of the API or of the network. */
export function messageOf(error) {
  if (error && error.status === 401) return "The API did not accept the request: enter a valid API key (see the key panel above).";
  if (error && error.status) return `${error.title}${error.detail ? `: ${error.detail}` : ""} (HTTP ${error.status})`;
  return `The host did not answer (${error && error.message ? error.message : error}). Retrying…`;
}
