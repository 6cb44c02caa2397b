// The pipeline's stages in the order they run (PipelineStages.Ordered on the server).
export const stages = ["ingest", "prepare-base-model", "tokenize", "fine-tune", "export", "evaluate", "promote"];

export const isActive = (run) => run.runtimeStatus === "Pending" || run.runtimeStatus === "Running";

/** How far a run has come, 0 to 1: finished stages plus the share of training steps done. */
export function progressOf(run) {
  if (run.runtimeStatus === "Completed") return 1;
  const index = stages.indexOf(run.stage);
  if (index < 0) return 0;
  const p = run.progress;
  const within = run.stage === "fine-tune" && p && p.totalSteps > 0 ? Math.min(1, p.step / p.totalSteps) : 0;
  return (index + within) / stages.length;
}

/** The progress in words: "epoch 1/3, step 120/1380, loss 0.512" while training, "stage 2 of 7" otherwise. */
export function progressText(run) {
  if (run.runtimeStatus === "Completed") return "finished";
  const p = run.progress;
  if (run.stage === "fine-tune" && p && p.totalSteps > 0) {
    const loss = typeof p.loss === "number" ? `, loss ${p.loss.toFixed(3)}` : "";
    return `epoch ${p.epoch}/${p.epochs}, step ${p.step}/${p.totalSteps}${loss}`;
  }
  const index = stages.indexOf(run.stage);
  if (!isActive(run)) return index >= 0 ? `stopped in stage ${index + 1} of ${stages.length}` : "stopped";
  return index >= 0 ? `stage ${index + 1} of ${stages.length}` : "waiting to start";
}
