namespace Paraphrase.Pipeline.Jobs;

/// <summary>Where a job stands. Terminal: completed, failed, cancelled.</summary>
public enum JobState
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}

/// <summary>
/// <c>runs/&lt;id&gt;/job.json</c>: the current (or last) job of a run, written by the dispatcher when it queues a job and by
/// the worker every few seconds while it works. The orchestration watches it; a stale heartbeat means a dead worker.
/// </summary>
public sealed record JobStatusFile
{
    public required string RunId { get; init; }

    public required JobKind Kind { get; init; }

    public required JobState State { get; init; }

    public required int Attempt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the worker last said it is alive; null until a worker takes the job.</summary>
    public DateTimeOffset? Heartbeat { get; init; }

    public string? Worker { get; init; }

    public JobProgress? Progress { get; init; }

    /// <summary>The job's result: e.g. the staged base model, or the training run's metrics summary (JSON).</summary>
    public System.Text.Json.Nodes.JsonNode? Result { get; init; }

    public string? Error { get; init; }

    public bool IsTerminal => State is JobState.Completed or JobState.Failed or JobState.Cancelled;
}

/// <summary>Progress of a training job.</summary>
public sealed record JobProgress(int Epoch, int Epochs, int Step, int TotalSteps, double? Loss, double? StepsPerSecond, string? Message = null);
