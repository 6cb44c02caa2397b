// The dashboard's shell: routes (#/, #/runs/<id>, #/champion, #/start, #/try), the API key panel, focus on navigation.
import { apiKey } from "./api.js";
import { renderRuns } from "./views/runs.js";
import { renderRun } from "./views/run.js";
import { renderChampion } from "./views/champion.js";
import { renderStart } from "./views/start.js";
import { renderTry } from "./views/try.js";

const main = document.getElementById("main");
let dispose = () => {};
let firstRender = true;

function route() {
  const hash = location.hash || "#/";
  if (!hash.startsWith("#/")) return; // an in-page anchor, not a page
  const [path, query] = hash.slice(1).split("?");
  const params = new URLSearchParams(query || "");
  dispose();
  let nav = "runs";
  const run = /^\/runs\/(.+)$/.exec(path);
  if (run) dispose = renderRun(main, decodeURIComponent(run[1]));
  else if (path === "/champion") { nav = "champion"; dispose = renderChampion(main, params); }
  else if (path === "/start") { nav = "start"; dispose = renderStart(main, (to) => { location.hash = to; }); }
  else if (path === "/try") { nav = "try"; dispose = renderTry(main); }
  else dispose = renderRuns(main);
  for (const link of document.querySelectorAll("[data-nav]")) {
    if (link.dataset.nav === nav) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const heading = main.querySelector("h1");
  document.title = `${heading ? heading.textContent : "Dashboard"} · Paraphrase pipeline`;
  // Moving focus to the new page's heading tells keyboard and screen-reader users that the page changed.
  if (!firstRender && heading) heading.focus();
  firstRender = false;
}

// The API key panel: opened by a 401 (or the header button), closed once a key is entered.
const panel = document.getElementById("key-panel");
const message = document.getElementById("key-message");
const input = document.getElementById("key-input");
const state = document.getElementById("key-state");

function showKeyState() {
  state.textContent = apiKey.get() ? "API key entered (this tab only)" : "No API key entered";
}

function openPanel(text) {
  message.textContent = text || "";
  panel.hidden = false;
  input.focus();
}

window.addEventListener("api-unauthorized", (event) => {
  const wrongKey = event.detail && event.detail.keySent;
  state.textContent = wrongKey ? "API key not accepted" : "No API key entered";
  const text = wrongKey
    ? "The API key was not accepted (401 Unauthorized). Check it and enter it again."
    : "This host needs an API key (401 Unauthorized). Enter it to see the pipeline.";
  if (panel.hidden || message.textContent !== text) openPanel(text);
});

document.getElementById("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const key = input.value.trim();
  if (!key) return;
  apiKey.set(key);
  input.value = "";
  message.textContent = "";
  panel.hidden = true;
  showKeyState();
  route();
});

document.getElementById("key-forget").addEventListener("click", () => {
  apiKey.clear();
  input.value = "";
  showKeyState();
  openPanel("The key is forgotten.");
  route();
});

document.getElementById("key-close").addEventListener("click", () => {
  panel.hidden = true;
  document.getElementById("key-open").focus();
});

document.getElementById("key-open").addEventListener("click", () => openPanel(""));

document.getElementById("skip-link").addEventListener("click", (event) => {
  event.preventDefault();
  main.focus();
});

window.addEventListener("hashchange", route);
showKeyState();
route();
