// One run: where it stands, its stages as a timeline, its curves, how the exported model did, its lineage and files.
import { ApiError, artifactUrl, call, json, optionalJson, runUrl } from "../api.js";
import { badge, bytes, duration, el, facts, messageOf, metric, notice, number, percent, say, table, time } from "../dom.js";
import { colours, lineChart } from "../charts.js";
import { poll } from "../poll.js";
import { isActive, progressText, stages } from "../stages.js";

export function renderRun(main, id) {
  const page = new RunPage(main, id);
  const stop = poll(() => page.refresh(), 2000);
  return () => {
    stop();
    page.destroy();
  };
}

class RunPage {
  constructor(main, id) {
    this.id = id;
    this.liveLoss = new Map(); // step → loss, from the heartbeats while training
    this.finished = false;
    this.charts = [];
    this.heading = el("h1", { tabindex: "-1" }, "Run ", el("span", { class: "mono", text: id }));
    this.error = notice("error");
    this.summary = el("div");
    this.actions = el("div", { class: "row" });
    this.header = el("div", { class: "panel", id: "run-summary" }, this.summary, this.actions);
    this.failure = el("div", { id: "run-error" });
    this.timeline = el("section", { class: "panel", "aria-labelledby": "timeline-title" }, el("h2", { id: "timeline-title", text: "Stages" }));
    this.lossBox = el("div", { class: "panel", id: "loss-chart" });
    this.epochBox = el("div", { class: "panel", id: "epoch-chart" });
    this.results = el("div", { id: "run-results" });
    this.lineage = el("section", { class: "panel", "aria-labelledby": "lineage-title" }, el("h2", { id: "lineage-title", text: "Lineage" }));
    this.files = el("section", { class: "panel artifacts", id: "artifacts", "aria-labelledby": "files-title" }, el("h2", { id: "files-title", text: "Files" }));
    this.viewer = el("section", { class: "panel viewer", id: "artifact-viewer", hidden: true, "aria-labelledby": "viewer-title" });
    main.replaceChildren(
      el("p", {}, el("a", { href: "#/", text: "← All runs" })),
      this.heading, this.error, this.header, this.failure, this.timeline,
      el("div", { class: "grid" }, this.lossBox, this.epochBox),
      this.results, this.lineage, this.files, this.viewer);
    this.lossChart = lineChart(this.lossBox, {
      id: "loss", caption: "Training loss", xLabel: "optimizer step", yLabel: "loss",
      series: [{ label: "training loss", colour: colours.blue }],
    });
    this.epochChart = lineChart(this.epochBox, {
      id: "epochs", caption: "Dev metrics per epoch", xLabel: "epoch", yLabel: "score", yRange: [0, 1],
      series: [
        { label: "dev accuracy", colour: colours.green },
        { label: "dev F1", colour: colours.purple, dash: [8, 4] },
      ],
    });
    this.lossChart.update([], [[]], "No losses yet: they appear while the model trains.");
    this.epochChart.update([], [[], []], "No epoch has finished yet.");
  }

  destroy() {
    this.lossChart.destroy();
    this.epochChart.destroy();
    if (this.imageUrl) URL.revokeObjectURL(this.imageUrl);
  }

  /** One poll: the run's status and run.json; once it has ended, its results (then polling stops). */
  async refresh() {
    let run;
    try {
      run = await json(runUrl(this.id));
      say(this.error, "");
    } catch (e) {
      say(this.error, e instanceof ApiError && e.status === 404 ? `There is no run ${this.id}.` : messageOf(e));
      return !(e instanceof ApiError && e.status === 404);
    }

    const record = await optionalJson(artifactUrl(this.id, "run.json")).catch(() => null);
    this.showSummary(run, record);
    this.showFailure(run, record);
    this.showTimeline(run, record);
    this.trackLoss(run);
    if (isActive(run)) {
      // Training's own curves arrive with metrics.json, uploaded when the fine-tune job ends.
      if (!this.metrics && stages.indexOf(run.stage) > stages.indexOf("fine-tune")) await this.loadMetrics();
      return true;
    }

    await this.loadResults(record);
    return false;
  }

  showSummary(run, record) {
    const active = isActive(run);
    const output = run.output;
    const end = active ? Date.now() : Date.parse(run.lastUpdatedAt);
    this.summary.replaceChildren(facts([
      ["Dataset", run.dataset],
      ["Status", badge(run.runtimeStatus)],
      ["Stage", run.stage || "—"],
      ["Progress", progressText(run)],
      ["Started", time(run.createdAt)],
      ["Duration", duration(end - Date.parse(run.createdAt))],
      record && ["Trigger", record.trigger],
      output && ["Dev accuracy / F1", `${metric(output.metrics.accuracy)} / ${metric(output.metrics.f1)}`],
      output && ["Promoted", el("span", {}, badge(output.promoted ? "promoted" : "rejected"), " ", output.reason)],
    ]));
    // The buttons are rebuilt only when they change, so that keyboard focus stays on them between polls.
    const actions = active ? "active" : output ? "done" : "ended";
    if (this.actions.dataset.key === actions) return;
    this.actions.dataset.key = actions;
    this.actions.replaceChildren(
      active ? this.terminateControl() : "",
      actions === "done" ? el("a", { href: `#/champion?promote=${encodeURIComponent(this.id)}`, text: "Promote this run by hand…" }) : "");
  }

  terminateControl() {
    if (this.terminate) return this.terminate;
    const message = notice("error");
    const confirmBox = el("span", { class: "row", hidden: true },
      "Stop this run and its training job?",
      el("button", { type: "button", class: "danger", onclick: async (event) => {
        event.target.disabled = true;
        try {
          await call(`${runUrl(this.id)}/terminate`, { method: "POST" });
          say(message, "");
          confirmBox.hidden = true;
        } catch (e) {
          say(message, messageOf(e));
        } finally {
          event.target.disabled = false;
        }
      }, text: "Yes, terminate" }),
      el("button", { type: "button", class: "secondary", onclick: () => { confirmBox.hidden = true; ask.focus(); }, text: "Cancel" }));
    const ask = el("button", { type: "button", class: "secondary", onclick: () => { confirmBox.hidden = false; confirmBox.querySelector("button").focus(); }, text: "Terminate run…" });
    this.terminate = el("span", { class: "row" }, ask, confirmBox, message);
    return this.terminate;
  }

  showFailure(run, record) {
    const message = (run.error && run.error.message) || (record && record.error);
    if (!message) {
      this.failure.replaceChildren();
      return;
    }
    const where = /((?:datasets|runs)\/[^\s:,]+):(\d+)/.exec(message);
    this.failure.replaceChildren(el("section", { class: "notice error", role: "alert", "aria-labelledby": "failure-title" },
      el("h2", { id: "failure-title", text: run.runtimeStatus === "Terminated" ? "Terminated" : "Failed" }),
      el("p", { class: "mono", text: message }),
      where ? el("p", {}, "File ", el("code", { text: where[1] }), `, line ${where[2]}.`) : null));
  }

  showTimeline(run, record) {
    const recorded = (record && record.stages) || [];
    const now = Date.now();
    const start = Date.parse((recorded[0] && recorded[0].startedAt) || run.createdAt);
    const end = Math.max(start + 1, ...recorded.map((s) => (s.finishedAt ? Date.parse(s.finishedAt) : now)));
    const items = stages.map((name) => {
      // A stage may run more than once (evaluated again when the champion changed); the last run counts.
      const s = [...recorded].reverse().find((r) => r.name === name);
      const current = run.stage === name;
      const failed = current && (run.runtimeStatus === "Failed" || run.runtimeStatus === "Terminated");
      const state = !s ? (current && isActive(run) ? "active" : "waiting") : s.finishedAt ? "done" : failed ? "failed" : isActive(run) ? "active" : "failed";
      const bar = el("span", { class: "bar" });
      if (s) {
        const from = Date.parse(s.startedAt), to = s.finishedAt ? Date.parse(s.finishedAt) : now;
        bar.style.left = `${((from - start) / (end - start)) * 100}%`;
        bar.style.width = `${Math.max(0.5, ((to - from) / (end - start)) * 100)}%`;
      }
      const meta = !s ? "not started"
        : [s.finishedAt ? duration(Date.parse(s.finishedAt) - Date.parse(s.startedAt)) : state === "active" ? `running for ${duration(now - Date.parse(s.startedAt))}` : "stopped",
          `${s.attempts} attempt${s.attempts === 1 ? "" : "s"}`, s.cacheHit ? "cached" : null].filter(Boolean).join(" · ");
      return el("li", { class: state, dataset: { stage: name, state } },
        el("span", {}, el("strong", { text: name }), el("span", { class: "visually-hidden", text: ` (${state})` })),
        el("span", { class: "track", "aria-hidden": "true" }, s ? bar : null),
        el("span", { class: "meta", text: meta }));
    });
    this.timeline.replaceChildren(this.timeline.firstChild, el("ol", { class: "timeline", id: "timeline" }, items));
  }

  trackLoss(run) {
    const p = run.progress;
    if (this.metrics || run.stage !== "fine-tune" || !p || typeof p.loss !== "number") return;
    this.liveLoss.set(p.step, p.loss);
    const steps = [...this.liveLoss.keys()].sort((a, b) => a - b);
    this.lossChart.update(steps, [steps.map((s) => this.liveLoss.get(s))],
      `Live, from the trainer's heartbeats: loss ${p.loss.toFixed(3)} at step ${p.step} of ${p.totalSteps}.`);
  }

  async loadMetrics() {
    const metrics = await optionalJson(artifactUrl(this.id, "metrics.json")).catch(() => null);
    if (!metrics) return;
    this.metrics = metrics;
    const losses = metrics.step_losses || [];
    const steps = losses.map((_, i) => i + 1);
    const lowest = losses.length ? Math.min(...losses) : NaN;
    this.lossChart.update(steps, [losses], losses.length
      ? `Loss of each of ${losses.length} optimizer steps: ${number(losses[0], 3)} at the first, ${number(losses[losses.length - 1], 3)} at the last, lowest ${number(lowest, 3)}.`
      : "metrics.json has no step losses.");
    const history = metrics.history || [];
    const epochs = history.map((h) => h.epoch);
    const accuracy = history.map((h) => h.evaluation.metrics.accuracy);
    const f1 = history.map((h) => h.evaluation.metrics.f1);
    this.epochChart.update(epochs, [accuracy, f1], history.length
      ? history.map((h) => `epoch ${h.epoch}: accuracy ${metric(h.evaluation.metrics.accuracy)}, F1 ${metric(h.evaluation.metrics.f1)}, train loss ${number(h.train_loss, 3)}`).join("; ") + "."
      : "No epoch finished.");
  }

  async loadResults(record) {
    if (this.finished) return;
    this.finished = true;
    await this.loadMetrics();
    const [evaluation, manifest, listing] = await Promise.all([
      optionalJson(artifactUrl(this.id, "evaluation.json")).catch(() => null),
      optionalJson(artifactUrl(this.id, "export/model.fused.json")).catch(() => null),
      optionalJson(`${runUrl(this.id)}/artifacts`).catch(() => null),
    ]);
    this.showResults(this.metrics, evaluation, manifest);
    this.showLineage(record);
    this.showFiles(listing);
  }

  showResults(metrics, evaluation, manifest) {
    const best = metrics && (metrics.history || []).find((h) => h.epoch === metrics.best_epoch);
    const confusion = best && best.evaluation.metrics.confusion;
    const parts = [];
    if (confusion) parts.push(el("section", { class: "panel", id: "confusion", "aria-labelledby": "confusion-title" },
      el("h2", { id: "confusion-title", text: "Confusion matrix" }),
      el("p", { class: "small", text: `The fine-tuned model on the dev pairs, best epoch (${metrics.best_epoch}, by ${metrics.best_metric}).` }),
      confusionTable(confusion)));
    if (evaluation) parts.push(el("section", { class: "panel", id: "evaluation", "aria-labelledby": "evaluation-title" },
      el("h2", { id: "evaluation-title", text: "Evaluation of the exported model" }),
      el("p", { class: "small", text: `The ${evaluation.variant} ONNX export scored with ONNX Runtime, as it would be served${evaluation.championRunId ? `, beside the champion then (${evaluation.championRunId}) on the same pairs` : ""}.` }),
      table("Scores by split", ["Split", "Model", "Pairs", "Accuracy", "F1", "Precision", "Recall"],
        evaluation.scores.flatMap((s) => [
          [s.split, "this run", s.candidate.count, metric(s.candidate.accuracy), metric(s.candidate.f1), metric(s.candidate.precision), metric(s.candidate.recall)],
          s.champion ? [s.split, "champion", s.champion.count, metric(s.champion.accuracy), metric(s.champion.f1), metric(s.champion.precision), metric(s.champion.recall)] : null,
        ].filter(Boolean)), { numeric: [2, 3, 4, 5, 6] }),
      el("p", {}, "Export parity check: ", badge(evaluation.parityPassed ? "passed" : "failed"))));
    if (manifest) {
      const parity = manifest.parity || {};
      parts.push(el("section", { class: "panel", id: "parity", "aria-labelledby": "parity-title" },
        el("h2", { id: "parity-title", text: "Export parity" }),
        el("p", { class: "small", text: `${manifest.file}: ONNX Runtime against the trained TorchSharp model on ${parity.pairs} pairs.` }),
        facts([
          ["Largest logit difference", number(parity.max_absolute_difference, 8)],
          ["Mean logit difference", number(parity.mean_absolute_difference, 8)],
          ["Same label", percent(parity.argmax_agreement, 2)],
          ["Accuracy, trained model", metric(parity.source_accuracy)],
          ["Accuracy, export", metric(parity.export_accuracy)],
          ["Opset", `${manifest.opset} (${(manifest.domains || []).join(", ") || "standard"})`],
          ["Quantization", manifest.quantization || "none (float32)"],
          ["Created", time(manifest.created)],
        ])));
    }
    if (!parts.length) parts.push(el("p", { class: "notice info", text: "This run has no evaluation results." }));
    this.results.replaceChildren(el("div", { class: "grid" }, parts));
  }

  showLineage(record) {
    if (!record) {
      this.lineage.replaceChildren(this.lineage.firstChild, el("p", { text: "run.json is not there: the run stopped before its first stage was recorded." }));
      return;
    }
    const staged = record.stagedBaseModel;
    const options = record.training || {};
    this.lineage.replaceChildren(this.lineage.firstChild,
      table("Dataset files", ["Role", "Blob", "SHA-256", "ETag"],
        (record.files || []).map((f) => [f.role, el("code", { text: f.blobName }), el("code", { text: f.sha256 }), el("code", { text: f.eTag || f.etag || "" })])),
      el("h3", { text: "Base model, options and code" }),
      facts([
        ["Base model", record.baseModel],
        staged && ["Staged as", el("code", { text: staged.key })],
        staged && ["Architecture", `${staged.layers} layers, hidden size ${staged.hiddenSize}, max length ${staged.maxLength}`],
        staged && ["Vocabulary SHA-256", el("code", { text: staged.vocabularySha256 })],
        ["Promotion rule", record.promotion ? `${record.promotion.metric}, margin ${record.promotion.margin}` : "—"],
        ["Code version", el("code", { text: record.codeVersion || "unknown" })],
      ]),
      el("h3", { text: "Training options" }),
      el("dl", { class: "options" }, Object.entries(options).filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => el("div", {}, el("dt", { text: k }), el("dd", {}, el("code", { text: String(v) }))))));
  }

  showFiles(listing) {
    const files = (listing && listing.files) || [];
    if (!files.length) {
      this.files.replaceChildren(this.files.firstChild, el("p", { text: "No files." }));
      return;
    }
    const groups = [
      ["Report and results", (f) => !f.path.includes("/")],
      ["Model (Hugging Face directory)", (f) => f.path.startsWith("model/")],
      ["ONNX export", (f) => f.path.startsWith("export/")],
      ["Dataset snapshot", (f) => f.path.startsWith("data/")],
      ["Checkpoints", (f) => f.path.startsWith("checkpoints/")],
    ];
    const list = (items) => el("ul", {}, items.map((f) => el("li", {},
      el("a", { href: artifactUrl(this.id, f.path), dataset: { artifact: f.path }, onclick: (event) => this.open(event, f.path) }, f.path),
      el("span", { class: "small", text: ` ${bytes(f.size)}` }))));
    this.files.replaceChildren(this.files.firstChild,
      ...groups.flatMap(([title, match], i) => {
        const items = files.filter(match);
        if (!items.length) return [];
        return i < 3 ? [el("h3", { text: title }), list(items)] : [el("details", {}, el("summary", { text: `${title} (${items.length} files)` }), list(items))];
      }));
  }

  /** Artifact links are fetched with the key: text and pictures are shown below, anything else is downloaded. */
  async open(event, path) {
    event.preventDefault();
    const title = el("h2", { id: "viewer-title", tabindex: "-1", text: path });
    try {
      const response = await call(artifactUrl(this.id, path));
      const type = response.headers.get("content-type") || "";
      const blob = await response.blob();
      if (this.imageUrl) URL.revokeObjectURL(this.imageUrl);
      this.imageUrl = URL.createObjectURL(blob);
      const name = path.split("/").pop();
      const download = el("a", { href: this.imageUrl, download: name, class: "button", text: `Download ${name}` });
      if (type.startsWith("image/")) {
        this.viewer.replaceChildren(title, el("img", { src: this.imageUrl, alt: `${path} of run ${this.id}` }), el("p", {}, download));
      } else if (/json|markdown|text/.test(type)) {
        this.viewer.replaceChildren(title, el("pre", { tabindex: "0", text: await blob.text() }), el("p", {}, download));
      } else {
        this.viewer.replaceChildren(title, el("p", { text: `${bytes(blob.size)}, ${type}.` }), el("p", {}, download));
        download.click();
      }
    } catch (e) {
      this.viewer.replaceChildren(title, el("p", { class: "notice error", role: "alert", text: messageOf(e) }));
    }
    this.viewer.hidden = false;
    title.focus();
  }
}

function confusionTable(confusion) {
  const total = confusion.flat().reduce((a, b) => a + b, 0) || 1;
  const cell = (value, label) => {
    const td = el("td", { dataset: { count: String(value) } }, el("strong", { text: String(value) }), el("br"), el("span", { class: "small", text: percent(value / total) }),
      el("span", { class: "visually-hidden", text: ` ${label}` }));
    // Shade by share; the text stays dark on the lightest to the darkest shade used (at most 45 % blue).
    td.style.backgroundColor = `rgba(31, 95, 191, ${(0.45 * value) / total})`;
    return td;
  };
  return el("table", { class: "confusion" },
    el("caption", { text: "Rows: true label; columns: predicted label" }),
    el("thead", {}, el("tr", {}, el("td"), el("th", { scope: "col", text: "predicted: not paraphrase" }), el("th", { scope: "col", text: "predicted: paraphrase" }))),
    el("tbody", {},
      el("tr", {}, el("th", { scope: "row", text: "not paraphrase" }), cell(confusion[0][0], "true negatives"), cell(confusion[0][1], "false positives")),
      el("tr", {}, el("th", { scope: "row", text: "paraphrase" }), cell(confusion[1][0], "false negatives"), cell(confusion[1][1], "true positives"))));
}
