using Microsoft.DurableTask;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Promotion;

namespace Paraphrase.Pipeline.Activities;

/// <summary>
/// The promotion gate applied: the candidate replaces the champion only if it beats the champion it was evaluated
/// against. If the champion changed since, the decision is not made here (<see cref="PromotionDecision.ChampionChanged"/>)
/// and the orchestration evaluates again. Every decision goes into history.jsonl once, even when this runs twice, and
/// decisions take turns (<see cref="ChampionStore.LockAsync"/>), so history.jsonl lists them as they took effect.
/// </summary>
public sealed class PromoteCandidateActivity(ChampionStore champions, TimeProvider clock) : TaskActivity<PromoteInput, PromotionDecision>
{
    public override async Task<PromotionDecision> RunAsync(TaskActivityContext context, PromoteInput input)
    {
        await using var turn = await champions.LockAsync();
        var history = await champions.HistoryAsync();
        if (history.LastOrDefault(h => h.RunId == input.RunId && h.Action is PromotionHistoryEntry.Promoted or PromotionHistoryEntry.Rejected) is { } decided)
        {
            return new PromotionDecision(decided.Action == PromotionHistoryEntry.Promoted, decided.Reason, decided.PreviousChampion);
        }

        var champion = await champions.GetAsync();
        string? championRun = champion?.Pointer.RunId;
        if (championRun == input.RunId)
        {
            // Promoted by an earlier attempt that stopped before writing history.
            var again = input.Evaluation.Dev;
            return await RecordAsync(input, true, PromotionGate.Decide(again.Candidate, again.Champion, input.Rule, input.Evaluation.ParityPassed).Reason,
                input.Evaluation.ChampionRunId);
        }

        if (championRun != input.Evaluation.ChampionRunId)
        {
            return new PromotionDecision(false, $"the champion changed to {championRun} during evaluation", championRun, ChampionChanged: true);
        }

        var dev = input.Evaluation.Dev;
        var (promote, reason) = PromotionGate.Decide(dev.Candidate, dev.Champion, input.Rule, input.Evaluation.ParityPassed);
        if (promote && !await champions.TryReplaceAsync(ChampionStore.PointerFor(input.RunId, input.Dataset, input.Evaluation.Variant, dev.Candidate, clock.GetUtcNow()), champion?.ETag))
        {
            return new PromotionDecision(false, "the champion changed while promoting", championRun, ChampionChanged: true);
        }

        return await RecordAsync(input, promote, reason, championRun);
    }

    private async Task<PromotionDecision> RecordAsync(PromoteInput input, bool promoted, string reason, string? previous)
    {
        var dev = input.Evaluation.Dev;
        await champions.AppendAsync(new PromotionHistoryEntry(clock.GetUtcNow(), promoted ? PromotionHistoryEntry.Promoted : PromotionHistoryEntry.Rejected,
            input.RunId, input.Dataset, dev.Candidate, dev.Champion, previous, reason));
        return new PromotionDecision(promoted, reason, previous);
    }
}
