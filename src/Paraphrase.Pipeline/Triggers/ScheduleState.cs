namespace Paraphrase.Pipeline.Triggers;

/// <summary><c>pipeline/schedule.json</c>: when each dataset's schedule last fired and what came of it.</summary>
public sealed record ScheduleState
{
    public Dictionary<string, ScheduledFiring> Datasets { get; init; } = [];
}

/// <param name="Outcome">scheduled (first seen), started, skipped (unchanged snapshot already trained), not-retried (unchanged
/// snapshot whose run failed or was terminated), busy (a run of the dataset is in progress), failed (could not start) or
/// invalid (the schedule or pipeline.json is wrong).</param>
public sealed record ScheduledFiring(DateTimeOffset At, string Schedule, string Outcome, string? RunId, string? Detail);
