// Try the served model: two sentences in, its label and probability out.
import { ApiError, json } from "../api.js";
import { el, messageOf, notice, percent, say } from "../dom.js";

export function renderTry(main) {
  const error = notice("error");
  const result = el("div", { id: "try-result", class: "result", role: "status", "aria-live": "polite" });
  const first = el("textarea", { id: "try-sentence1", name: "sentence1", rows: "2", required: true, maxlength: "2000" });
  const second = el("textarea", { id: "try-sentence2", name: "sentence2", rows: "2", required: true, maxlength: "2000" });
  first.value = "The cat sat on the mat.";
  second.value = "A cat was sitting on the mat.";
  const submit = el("button", { type: "submit", id: "try-submit", text: "Ask the model" });
  const form = el("form", { id: "try-form", class: "panel", onsubmit: async (event) => {
    event.preventDefault();
    say(error, "");
    submit.disabled = true;
    try {
      const answer = await json("api/paraphrase", { method: "POST", body: { sentence1: first.value, sentence2: second.value } });
      const r = answer.results[0];
      result.replaceChildren(
        el("p", {}, el("strong", { id: "try-label", text: r.label === "paraphrase" ? "Paraphrase" : "Not a paraphrase" })),
        el("p", {}, "Probability that it is a paraphrase: ", el("span", { id: "try-probability", text: percent(r.probability, 1) }),
          r.truncated ? " (the pair was longer than the model's maximum length and was cut)" : ""),
        el("p", { class: "small" }, "Answered by ", el("span", { class: "mono", text: answer.model.id }), ` (${answer.model.variant}).`));
    } catch (e) {
      result.replaceChildren();
      say(error, e instanceof ApiError && e.status === 503 ? `No model is being served yet: ${e.detail}` : messageOf(e));
    } finally {
      submit.disabled = false;
    }
  } },
  el("div", { class: "field" }, el("label", { for: "try-sentence1", text: "First sentence" }), first),
  el("div", { class: "field" }, el("label", { for: "try-sentence2", text: "Second sentence" }), second),
  submit);
  main.replaceChildren(
    el("h1", { tabindex: "-1", text: "Try it" }),
    el("p", { class: "lead", text: "Is the second sentence a paraphrase of the first? The champion answers, through POST /api/paraphrase." }),
    form, error, result);
  return () => {};
}
