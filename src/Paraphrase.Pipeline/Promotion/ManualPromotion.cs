using Paraphrase.Pipeline.Api;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Promotion;

/// <summary>What a promotion by hand came to.</summary>
public enum ManualPromotionOutcome
{
    Promoted,
    NoSuchRun,
    NotEvaluated,
    ParityFailed,
    AlreadyChampion,

    /// <summary>Other promotions held the champion the whole time: nothing changed, try again.</summary>
    Busy,
}

/// <param name="Detail">Why, in words (the history's reason when promoted).</param>
/// <param name="Entry">The history line written, when promoted.</param>
public sealed record ManualPromotionResult(ManualPromotionOutcome Outcome, string Detail, PromotionHistoryEntry? Entry = null);

/// <summary>
/// A person overrides the gate's comparison (a margin too strict, a model preferred for reasons the metric does not see),
/// never its parity check: the run must have an evaluated export that passed it. The pointer is replaced the way the
/// gate replaces it (ETag condition, under the champion lock, so decisions still take turns), and the promotion is one
/// more line of history.jsonl saying who and why, so a rollback goes back from it like from any other promotion.
/// </summary>
public sealed class ManualPromotion(ChampionStore champions, ArtifactStore store, TimeProvider clock)
{
    public async Task<ManualPromotionResult> PromoteAsync(string runId, string by, string reason, CancellationToken cancellationToken = default)
    {
        var record = RunArtifacts.IsRunId(runId) ? await store.ReadJsonAsync<RunRecord>(ArtifactPaths.RunRecord(runId), cancellationToken) : null;
        if (record is not { Value: var run })
        {
            return new ManualPromotionResult(ManualPromotionOutcome.NoSuchRun, $"No run '{runId}'.");
        }

        var saved = await store.ReadJsonAsync<CandidateEvaluation>(ArtifactPaths.Evaluation(runId), cancellationToken);
        if (saved is not { Value: var evaluation } || !await store.ExistsAsync(ArtifactPaths.ExportFolder(runId), cancellationToken))
        {
            return new ManualPromotionResult(ManualPromotionOutcome.NotEvaluated,
                $"Run {runId} has no evaluated export: a run can be promoted once its evaluate stage has finished.");
        }

        if (!evaluation.ParityPassed)
        {
            return new ManualPromotionResult(ManualPromotionOutcome.ParityFailed, $"Run {runId} is {PromotionGate.ParityFailed}.");
        }

        BlobLease turn;
        try
        {
            turn = await champions.LockAsync(cancellationToken);
        }
        catch (TimeoutException)
        {
            return new ManualPromotionResult(ManualPromotionOutcome.Busy, "Other promotions are holding the champion; try again in a minute.");
        }

        await using var held = turn;
        for (int tries = 0; tries < 5; tries++)
        {
            var champion = await champions.GetAsync(cancellationToken);
            string? previous = champion?.Pointer.RunId;
            if (previous == runId)
            {
                return new ManualPromotionResult(ManualPromotionOutcome.AlreadyChampion, $"Run {runId} is already the champion.");
            }

            var dev = evaluation.Dev;
            if (!await champions.TryReplaceAsync(ChampionStore.PointerFor(runId, run.Dataset, evaluation.Variant, dev.Candidate, clock.GetUtcNow()), champion?.ETag,
                    cancellationToken))
            {
                continue;
            }

            // The champion's metrics on the same pairs are known only when the run was evaluated against this very champion.
            var championMetrics = previous is not null && evaluation.ChampionRunId == previous ? dev.Champion : null;
            var entry = new PromotionHistoryEntry(clock.GetUtcNow(), PromotionHistoryEntry.Promoted, runId, run.Dataset, dev.Candidate, championMetrics, previous,
                $"promoted by hand by {by}: {reason}") { By = by };
            await champions.AppendAsync(entry, cancellationToken);
            return new ManualPromotionResult(ManualPromotionOutcome.Promoted, entry.Reason, entry);
        }

        return new ManualPromotionResult(ManualPromotionOutcome.Busy, "The champion kept changing during the promotion; try again.");
    }
}
