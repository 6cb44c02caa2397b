namespace Paraphrase.Worker;

/// <summary>How the trainer worker takes and keeps jobs.</summary>
public sealed record TrainerWorkerOptions
{
    /// <summary>Local scratch space for staged models, shards and run directories.</summary>
    public string ScratchDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "paraphrase-worker");

    /// <summary>auto (CUDA when available), cpu, cuda or cuda:N: overrides the run's device option.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>How often the worker writes job.json, renews its locks and checks for cancellation.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the queue message stays locked between renewals; a dead worker's job is redelivered after it.</summary>
    public TimeSpan MessageLock { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the blob lease on the run lasts between renewals (15-60 s, Azure's limits).</summary>
    public TimeSpan RunLease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Checkpoints uploaded besides every epoch's: a killed worker's successor loses at most this much training.</summary>
    public Training.FineTuning.CheckpointCadence Checkpoints { get; init; } = new() { Interval = TimeSpan.FromMinutes(5) };

    /// <summary>Deliveries after which a message that keeps failing is dead-lettered.</summary>
    public int MaxDeliveries { get; init; } = 5;

    /// <summary>Stop after this many jobs (a Container Apps job execution takes one); null: serve forever.</summary>
    public int? MaxJobs { get; init; }

    /// <summary>Stop after this long without a job; null: wait forever.</summary>
    public TimeSpan? IdleExit { get; init; }

    /// <summary>A name for this worker in job.json.</summary>
    public string WorkerName { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}";
}
