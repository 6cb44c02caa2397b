// The champion: the model being served, the history of decisions as a chart and a table, rollback, and promotion by hand.
import { ApiError, json } from "../api.js";
import { badge, el, facts, messageOf, metric, notice, say, table, time } from "../dom.js";
import { colours, lineChart } from "../charts.js";
import { poll } from "../poll.js";

export function renderChampion(main, params) {
  const error = notice("error");
  const serving = el("section", { class: "panel", id: "serving", "aria-labelledby": "serving-title" });
  const chartBox = el("div", { class: "panel", id: "history-chart" });
  const historyBox = el("section", { class: "panel", id: "history", "aria-labelledby": "history-title" });
  const rollback = rollbackForm(() => refresh());
  const promote = promoteForm(params.get("promote"), () => refresh());
  main.replaceChildren(
    el("h1", { tabindex: "-1", text: "Champion" }),
    el("p", { class: "lead", text: "The model the service answers with, and every decision that made it so." }),
    error, serving, chartBox,
    el("div", { class: "grid" }, rollback.node, promote.node),
    historyBox);
  const chart = lineChart(chartBox, {
    id: "history", caption: "Dev accuracy over time", xLabel: "time", yLabel: "dev accuracy", time: true, yRange: [0, 1],
    series: [
      { label: "champion accuracy", colour: colours.blue, stepped: true },
      { label: "champion F1", colour: colours.purple, stepped: true, dash: [8, 4] },
      { label: "candidate accuracy", colour: colours.orange, points: true },
    ],
  });

  async function refresh() {
    try {
      const [champion, model, runs] = await Promise.all([
        json("api/pipeline/champion"),
        json("api/model").catch((e) => (e instanceof ApiError && e.status === 503 ? null : Promise.reject(e))),
        json("api/pipeline/runs"),
      ]);
      say(error, "");
      showServing(serving, champion.current, model);
      showChart(chart, champion.history);
      showHistory(historyBox, champion.history);
      rollback.update(champion);
      promote.update(champion, runs.runs);
    } catch (e) {
      say(error, messageOf(e));
    }
  }

  const stop = poll(refresh, 5000);
  return () => {
    stop();
    chart.destroy();
  };
}

function showServing(node, current, model) {
  const title = el("h2", { id: "serving-title", text: "Serving now" });
  if (!current) {
    node.replaceChildren(title, el("p", { id: "champion-run", text: "No model has been promoted yet: the first run that finishes becomes the champion." }));
    return;
  }
  node.replaceChildren(title, facts([
    ["Run", el("a", { href: `#/runs/${encodeURIComponent(current.runId)}`, class: "mono", id: "champion-run", text: current.runId })],
    ["Dataset", current.dataset],
    ["Dev accuracy / F1", `${metric(current.accuracy)} / ${metric(current.f1)}`],
    ["Promoted", time(current.promotedAt)],
    ["Export variant", current.variant],
    ["Loaded by this host", model ? `${model.id} (${model.variant}, ${model.execution_provider}), since ${new Date(model.loaded).toLocaleTimeString()}` : "not yet (it is downloaded within seconds of a promotion)"],
  ]));
}

/** The champion's accuracy and F1 after each decision (a stepped line), and each candidate's accuracy as a point. */
function showChart(chart, history) {
  const x = [], accuracy = [], f1 = [], candidates = [];
  let champion = null;
  for (const entry of history) {
    if (entry.action !== "rejected" && entry.candidate) champion = entry.candidate;
    x.push(Date.parse(entry.at) / 1000);
    accuracy.push(champion ? champion.accuracy : null);
    f1.push(champion ? champion.f1 : null);
    candidates.push(entry.action === "rollback" || !entry.candidate ? null : entry.candidate.accuracy);
  }
  const last = history[history.length - 1];
  chart.update(x, [accuracy, f1, candidates], history.length
    ? `${history.length} decisions; the champion's dev accuracy is now ${metric(accuracy[accuracy.length - 1])} (since ${new Date(last.at).toLocaleString()}).`
    : "No decisions yet.");
}

function showHistory(node, history) {
  node.replaceChildren(el("h2", { id: "history-title", text: "History" }),
    history.length
      ? table("Every promotion, rejection and rollback, newest first", ["When", "Decision", "Run", "Candidate acc. / F1", "Champion acc. / F1", "Previous champion", "By", "Why"],
        [...history].reverse().map((h) => [
          time(h.at), badge(h.action),
          el("a", { href: `#/runs/${encodeURIComponent(h.runId)}`, class: "mono", text: h.runId }),
          h.candidate ? `${metric(h.candidate.accuracy)} / ${metric(h.candidate.f1)}` : "—",
          h.champion ? `${metric(h.champion.accuracy)} / ${metric(h.champion.f1)}` : "—",
          h.previousChampion ? el("span", { class: "mono", text: h.previousChampion }) : "—",
          h.by || "—", h.reason]), { numeric: [3, 4], className: "history-table" })
      : el("p", { text: "No decisions yet." }));
}

/** The run a rollback goes back to: the one the current champion replaced. */
function previousOf(champion) {
  const run = champion.current && champion.current.runId;
  const became = [...champion.history].reverse().find((h) => h.runId === run && (h.action === "promoted" || h.action === "rollback"));
  return became ? became.previousChampion : null;
}

function rollbackForm(done) {
  const status = notice("ok");
  const error = notice("error");
  const target = el("p", { id: "rollback-target" });
  const who = el("input", { id: "rollback-by", name: "by", required: true, maxlength: "100", autocomplete: "name" });
  const why = el("input", { id: "rollback-reason", name: "reason", maxlength: "400" });
  const submit = el("button", { type: "submit", id: "rollback-submit", class: "danger", text: "Roll back" });
  const form = el("form", { id: "rollback-form", "aria-labelledby": "rollback-title", onsubmit: async (event) => {
    event.preventDefault();
    submit.disabled = true;
    say(status, ""); say(error, "");
    try {
      const reason = `${why.value.trim() || "rollback from the dashboard"} (by ${who.value.trim()})`;
      const entry = await json("api/pipeline/champion/rollback", { method: "POST", body: { reason } });
      say(status, `Rolled back: ${entry.runId} is the champion again.`);
      await done();
    } catch (e) {
      say(error, messageOf(e));
    } finally {
      submit.disabled = false;
    }
  } },
  el("h2", { id: "rollback-title", text: "Roll back" }), target,
  el("div", { class: "field" }, el("label", { for: "rollback-by", text: "Your name" }), who),
  el("div", { class: "field" }, el("label", { for: "rollback-reason", text: "Why (optional)" }), why),
  submit, status, error);
  return {
    node: el("section", { class: "panel" }, form),
    update(champion) {
      const previous = previousOf(champion);
      target.textContent = previous ? `Serves ${previous} again, the champion before ${champion.current.runId}.` : "There is no previous champion to go back to.";
      submit.disabled = !previous;
    },
  };
}

function promoteForm(preselected, done) {
  const status = notice("ok");
  const error = notice("error");
  const run = el("select", { id: "promote-run", name: "runId", required: true });
  const who = el("input", { id: "promote-by", name: "by", required: true, maxlength: "100", autocomplete: "name" });
  const why = el("textarea", { id: "promote-reason", name: "reason", required: true, maxlength: "500", rows: "2" });
  const submit = el("button", { type: "submit", id: "promote-submit", text: "Promote" });
  let wanted = preselected;
  const form = el("form", { id: "promote-form", "aria-labelledby": "promote-title", onsubmit: async (event) => {
    event.preventDefault();
    submit.disabled = true;
    say(status, ""); say(error, "");
    try {
      const entry = await json("api/pipeline/champion/promote", { method: "POST", body: { runId: run.value, by: who.value.trim(), reason: why.value.trim() } });
      say(status, `Promoted: ${entry.runId} is the champion (${entry.reason}).`);
      why.value = "";
      await done();
    } catch (e) {
      say(error, messageOf(e));
    } finally {
      submit.disabled = false;
    }
  } },
  el("h2", { id: "promote-title", text: "Promote a run by hand" }),
  el("p", { class: "small", text: "Overrides the comparison with the champion, never the export's parity check. Recorded in the history with your name and reason." }),
  el("div", { class: "field" }, el("label", { for: "promote-run", text: "Run" }), run),
  el("div", { class: "field" }, el("label", { for: "promote-by", text: "Your name" }), who),
  el("div", { class: "field" }, el("label", { for: "promote-reason", text: "Why" }), why),
  submit, status, error);
  return {
    node: el("section", { class: "panel" }, form),
    update(champion, runs) {
      const current = champion.current && champion.current.runId;
      const candidates = runs.filter((r) => r.runtimeStatus === "Completed" && r.id !== current);
      const keep = wanted || run.value;
      const signature = candidates.map((r) => r.id).join(",");
      if (run.dataset.key !== signature) {
        run.dataset.key = signature;
        run.replaceChildren(...(candidates.length
          ? candidates.map((r) => el("option", { value: r.id, text: `${r.id} — dev accuracy ${metric(r.output.metrics.accuracy)}, F1 ${metric(r.output.metrics.f1)}${r.output.promoted ? "" : " (not promoted)"}` }))
          : [el("option", { value: "", text: "No finished run besides the champion" })]));
      }
      if (keep && candidates.some((r) => r.id === keep)) {
        run.value = keep;
        wanted = null;
      }
      submit.disabled = candidates.length === 0;
    },
  };
}
