using Paraphrase.Core.Artifacts;

namespace Paraphrase.Pipeline.Contracts;

/// <summary>
/// What one run trains on and with, fixed when it is planned: the dataset files by name, ETag and content hash, the
/// resolved training options, the base model and the promotion rule. Its <see cref="RunId"/> derives from all of that.
/// </summary>
public sealed record PipelineRunInput(
    string RunId,
    string Dataset,
    IReadOnlyList<DatasetFileRef> Files,
    string BaseModel,
    TrainingOptions Training,
    PromotionRule Promotion,
    double HoldOutFraction,
    string Trigger,
    JobWatchSettings Watch);

/// <summary>A file of the dataset snapshot: its role (train, dev, test), blob name, ETag when planned, and SHA-256.</summary>
public sealed record DatasetFileRef(string Role, string BlobName, string ETag, string Sha256);

/// <summary>How the orchestration watches a trainer job: poll interval, when a heartbeat is stale, how many attempts.</summary>
public sealed record JobWatchSettings
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public int MaxAttempts { get; init; } = 3;
}
