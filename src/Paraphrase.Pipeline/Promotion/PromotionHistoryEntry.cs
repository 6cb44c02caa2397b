using Paraphrase.Pipeline.Contracts;

namespace Paraphrase.Pipeline.Promotion;

/// <summary>
/// One line of <c>models/history.jsonl</c>: every promotion decision and every rollback, with the metrics of both models
/// and the reason. <see cref="PreviousChampion"/> is what a rollback of this entry's model goes back to.
/// A promotion by hand says who asked (<see cref="By"/>); the gate's own decisions leave it out.
/// </summary>
public sealed record PromotionHistoryEntry(
    DateTimeOffset At,
    string Action,
    string RunId,
    string? Dataset,
    MetricSummary? Candidate,
    MetricSummary? Champion,
    string? PreviousChampion,
    string Reason)
{
    public const string Promoted = "promoted", Rejected = "rejected", RolledBack = "rollback";

    /// <summary>Who promoted the model by hand; null for the gate's decisions and for rollbacks.</summary>
    public string? By { get; init; }
}
