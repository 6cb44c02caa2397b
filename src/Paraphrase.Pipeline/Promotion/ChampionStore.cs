using System.Text.Json;
using Azure;
using Paraphrase.Core.Artifacts;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Promotion;

/// <summary>
/// The served model's pointer, <c>models/champion.json</c> (its <c>model</c> is the export folder in the artifact store,
/// e.g. <c>runs/&lt;id&gt;/export/</c>), and <c>models/history.jsonl</c>. The pointer is only ever replaced with an ETag
/// condition, so nothing overwrites it unseen; and decisions about it (promote, reject, roll back) are made one at a time
/// under <see cref="LockAsync"/>, so history.jsonl lists them in the order they took effect, each against the champion
/// of its moment.
/// </summary>
public sealed class ChampionStore(ArtifactStore store, TimeProvider clock)
{
    /// <summary>
    /// Holds the champion for one decision; a crashed holder's lease lapses within 30 s. A decision takes well under a
    /// second, so waiting longer than 45 s means something is wrong: the activity fails and its retry policy tries again
    /// (and an activity stays well inside the task hub's work-item visibility timeout).
    /// </summary>
    public Task<BlobLease> LockAsync(CancellationToken cancellationToken = default) =>
        BlobLease.AcquireAsync(store, ArtifactPaths.ChampionLock, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(45), cancellationToken);

    public async Task<(ChampionPointerFile Pointer, ETag ETag)?> GetAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var content = (await store.Blob(ArtifactPaths.Champion).DownloadContentAsync(cancellationToken)).Value;
            return (ChampionPointerFile.Parse(content.Content.ToString()), content.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Points serving at <paramref name="pointer"/> if the champion is still the one read with <paramref name="expected"/>.</summary>
    public async Task<bool> TryReplaceAsync(ChampionPointerFile champion, ETag? expected, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.Blob(ArtifactPaths.Champion).UploadAsync(BinaryData.FromString(champion.ToJson()),
                new Azure.Storage.Blobs.Models.BlobUploadOptions { Conditions = WriteIf.Unchanged(expected) }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (WriteIf.IsConflict(e))
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<PromotionHistoryEntry>> HistoryAsync(CancellationToken cancellationToken = default) =>
        [.. (await store.ReadLinesAsync(ArtifactPaths.History, cancellationToken)).Select(line => JsonSerializer.Deserialize<PromotionHistoryEntry>(line, PipelineJson.Options)!)];

    public Task AppendAsync(PromotionHistoryEntry entry, CancellationToken cancellationToken = default) =>
        store.AppendLineAsync(ArtifactPaths.History, JsonSerializer.Serialize(entry, PipelineJson.Line), cancellationToken);

    public static ChampionPointerFile PointerFor(string runId, string dataset, string variant, MetricSummary dev, DateTimeOffset at) => new()
    {
        Model = ArtifactPaths.ExportFolder(runId).ToString(), RunId = runId, Dataset = dataset, Variant = variant, Accuracy = dev.Accuracy, F1 = dev.F1, PromotedAt = at,
    };

    /// <summary>
    /// Puts the previous champion back (the one the current champion replaced), recording the rollback; null when
    /// there is nothing to go back to.
    /// </summary>
    public async Task<PromotionHistoryEntry?> RollbackAsync(string reason, CancellationToken cancellationToken = default)
    {
        await using var turn = await LockAsync(cancellationToken);
        for (int tries = 0; tries < 5; tries++)
        {
            var current = await GetAsync(cancellationToken);
            if (current is not { } champion || champion.Pointer.RunId is not { } currentRun)
            {
                return null;
            }

            var history = await HistoryAsync(cancellationToken);
            var became = history.LastOrDefault(h => h.RunId == currentRun && h.Action is PromotionHistoryEntry.Promoted or PromotionHistoryEntry.RolledBack);
            if (became?.PreviousChampion is not { } previousRun)
            {
                return null;
            }

            var previous = history.Last(h => h.RunId == previousRun && h.Action is PromotionHistoryEntry.Promoted or PromotionHistoryEntry.RolledBack);
            var previousOriginal = history.First(h => h.RunId == previousRun && h.Action == PromotionHistoryEntry.Promoted);
            var restored = PointerFor(previousRun, previousOriginal.Dataset ?? "", champion.Pointer.Variant ?? "fused",
                previousOriginal.Candidate ?? new MetricSummary(0, 0, 0, 0, 0), clock.GetUtcNow());
            if (!await TryReplaceAsync(restored, champion.ETag, cancellationToken))
            {
                continue;
            }

            var entry = new PromotionHistoryEntry(clock.GetUtcNow(), PromotionHistoryEntry.RolledBack, previousRun, previousOriginal.Dataset,
                previousOriginal.Candidate, became.Candidate, previous.PreviousChampion, $"rolled back from {currentRun}: {reason}");
            await AppendAsync(entry, cancellationToken);
            return entry;
        }

        throw new InvalidOperationException("the champion kept changing during the rollback; try again");
    }
}
