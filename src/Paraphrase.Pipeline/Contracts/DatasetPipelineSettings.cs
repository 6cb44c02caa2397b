using System.Text.Json.Nodes;

namespace Paraphrase.Pipeline.Contracts;

/// <summary>
/// <c>datasets/&lt;name&gt;/pipeline.json</c>, all optional: which base model to start from, training options over the
/// recipe's defaults (camelCase names of TrainingOptions, e.g. <c>{"epochs": 1, "maxLength": 128}</c>), a cron schedule for
/// retraining, the promotion rule, and the share of train held out as dev when the folder has no dev file.
/// </summary>
public sealed record DatasetPipelineSettings
{
    public string? BaseModel { get; init; }

    public JsonObject? Training { get; init; }

    /// <summary>Five-field cron (UTC), e.g. <c>0 3 * * 1</c> for Mondays at 03:00.</summary>
    public string? Schedule { get; init; }

    public PromotionRule? Promotion { get; init; }

    public double HoldOutFraction { get; init; } = 0.1;
}

/// <summary>When a candidate replaces the champion: its metric on the same dev data beats the champion's by at least the margin.</summary>
public sealed record PromotionRule
{
    /// <summary>accuracy, f1, precision or recall; ties are broken by F1 (by accuracy when the metric is F1).</summary>
    public string Metric { get; init; } = "accuracy";

    /// <summary>How much better the candidate must be, in the metric's units (0.01 = one point).</summary>
    public double Margin { get; init; }
}
