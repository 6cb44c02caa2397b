using Paraphrase.Core.Artifacts;

namespace Paraphrase.Pipeline.Contracts;

/// <summary>
/// <c>runs/&lt;id&gt;/run.json</c>: the run's lineage and its course — dataset blobs with ETags and hashes, options, base
/// model, code version, each stage's timing and attempts, and the result or the error.
/// </summary>
public sealed record RunRecord
{
    public required string RunId { get; init; }

    public required string Dataset { get; init; }

    public required string Trigger { get; init; }

    public required string Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public required IReadOnlyList<DatasetFileRef> Files { get; init; }

    public required string BaseModel { get; init; }

    public BaseModelInfo? StagedBaseModel { get; init; }

    public required TrainingOptions Training { get; init; }

    public required PromotionRule Promotion { get; init; }

    /// <summary>The pipeline's assembly version that ran the stages (filled in when the record is written).</summary>
    public string? CodeVersion { get; init; }

    public IReadOnlyList<StageRecord> Stages { get; init; } = [];

    public IReadOnlyList<SplitScore>? Scores { get; init; }

    public PromotionDecision? Decision { get; init; }

    public string? Error { get; init; }

    public const string Running = "running", Completed = "completed", Failed = "failed";
}

/// <summary>One stage of a run: when it ran, how many attempts it took, and whether a cached result was reused.</summary>
public sealed record StageRecord(string Name, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, int Attempts = 1, bool? CacheHit = null, string? Detail = null);

/// <summary>The orchestration's custom status: the stage and, while a job runs, its progress.</summary>
public sealed record PipelineStatus(string Stage, Jobs.JobProgress? Progress = null, int? Attempt = null, string? Message = null);
