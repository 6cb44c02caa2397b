using Paraphrase.Core.Metrics;

namespace Paraphrase.Core.Artifacts;

/// <summary>Mean cross-entropy and classification metrics of a model on a labelled split.</summary>
public sealed record EvaluationResult(double Loss, ClassificationMetrics Metrics);
