using Paraphrase.Core.Artifacts;

namespace Paraphrase.Training.FineTuning;

/// <summary>The outcome of a <see cref="TrainingRun"/>.</summary>
/// <param name="Metrics">What was written to metrics.json (completed or interrupted); null when the run failed.</param>
/// <param name="Layout">The run directory's files.</param>
/// <param name="Error">What was wrong and how to fix it, when <paramref name="Status"/> is Failed.</param>
public sealed record TrainingRunResult(TrainingRunStatus Status, RunMetrics? Metrics, RunLayout Layout, string? Error);
