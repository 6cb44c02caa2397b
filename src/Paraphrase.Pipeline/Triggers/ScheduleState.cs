namespace Paraphrase.Pipeline.Triggers;

/// <summary><c>pipeline/schedule.json</c>: when each dataset's schedule last fired and what came of it.</summary>
public sealed record ScheduleState
{
    public Dictionary<string, ScheduledFiring> Datasets { get; init; } = [];
}

/// <param name="Outcome">started, skipped (unchanged snapshot already trained), busy (a run of the dataset is in progress) or failed.</param>
public sealed record ScheduledFiring(DateTimeOffset At, string Schedule, string Outcome, string? RunId, string? Detail);
