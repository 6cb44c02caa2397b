namespace Paraphrase.Training.FineTuning;

/// <summary>
/// When to checkpoint besides the end of every epoch (and an interruption): after a number of optimizer steps, or once
/// a stretch of training time has passed, whichever comes first. Checkpoints never change the results — dropout and
/// data order depend only on (seed, position) — so the cadence is not part of a run's identity.
/// </summary>
public sealed record CheckpointCadence
{
    /// <summary>Only at epoch ends.</summary>
    public static CheckpointCadence EpochsOnly { get; } = new();

    /// <summary>Checkpoint after this many optimizer steps since the last checkpoint; null: no step limit.</summary>
    public int? Steps { get; init; }

    /// <summary>Checkpoint once this much training time has passed since the last checkpoint; null: no time limit.</summary>
    public TimeSpan? Interval { get; init; }

    public bool IsDue(int stepsSinceLast, TimeSpan sinceLast) =>
        (Steps is int steps && stepsSinceLast >= steps) || (Interval is TimeSpan interval && sinceLast >= interval);
}
