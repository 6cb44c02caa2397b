using Paraphrase.Core.Artifacts;
using Paraphrase.Pipeline.Api;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Promotion;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Tests;

/// <summary>Promotion by hand and the run files behind the dashboard, against a real Azurite.</summary>
[Collection(AzuriteTests.Name)]
public sealed class ManualPromotionTests(AzuriteFixture azurite)
{
    private static CandidateEvaluation Evaluation(double accuracy, bool parity, string? championRun = null, double? championAccuracy = null) =>
        new([new SplitScore("dev", new MetricSummary(10, accuracy, accuracy, 1, 1), championAccuracy is double c ? new MetricSummary(10, c, c, 1, 1) : null)],
            championRun, null, parity, "fused");

    /// <summary>A run folder as the pipeline leaves it: run.json, and optionally a completed export and evaluation.json.</summary>
    private static async Task RunAsync(ArtifactStore store, string runId, CandidateEvaluation? evaluation)
    {
        await store.WriteJsonAsync(ArtifactPaths.RunRecord(runId), new RunRecord
        {
            RunId = runId, Dataset = "hand", Trigger = "test", Status = RunRecord.Completed, CreatedAt = DateTimeOffset.UtcNow, Files = [], BaseModel = "base",
            Training = new TrainingOptions(), Promotion = new PromotionRule(),
        });
        if (evaluation is not null)
        {
            await store.WriteBytesAsync(ArtifactPaths.ExportFolder(runId).Child("model.fused.onnx"), new byte[] { 1, 2, 3 });
            await store.WriteBytesAsync(ArtifactPaths.ExportFolder(runId).Child(ArtifactStore.CompleteMarker), "{}"u8.ToArray());
            await store.WriteJsonAsync(ArtifactPaths.Evaluation(runId), evaluation);
        }
    }

    [Fact]
    public async Task APersonPromotesPastTheComparisonButNeverPastTheParityCheck()
    {
        var store = await azurite.StoreAsync();
        await store.Blob(ArtifactPaths.Champion).DeleteIfExistsAsync();
        await store.Blob(ArtifactPaths.History).DeleteIfExistsAsync();
        var champions = new ChampionStore(store, TimeProvider.System);
        var manual = new ManualPromotion(champions, store, TimeProvider.System);
        await RunAsync(store, "hand-000000000001", Evaluation(0.7, parity: true));
        await RunAsync(store, "hand-000000000002", Evaluation(0.6, parity: true, "hand-000000000001", 0.7));
        await RunAsync(store, "hand-000000000003", Evaluation(0.9, parity: false));
        await RunAsync(store, "hand-000000000004", evaluation: null);

        Assert.Equal(ManualPromotionOutcome.NoSuchRun, (await manual.PromoteAsync("hand-000000000009", "alice", "test")).Outcome);
        Assert.Equal(ManualPromotionOutcome.NoSuchRun, (await manual.PromoteAsync("../models", "alice", "test")).Outcome);
        Assert.Equal(ManualPromotionOutcome.NotEvaluated, (await manual.PromoteAsync("hand-000000000004", "alice", "test")).Outcome);
        var parity = await manual.PromoteAsync("hand-000000000003", "alice", "better accuracy");
        Assert.Equal(ManualPromotionOutcome.ParityFailed, parity.Outcome);
        Assert.Contains(PromotionGate.ParityFailed, parity.Detail);
        Assert.Null(await champions.GetAsync());

        var first = await manual.PromoteAsync("hand-000000000001", "alice", "first model");
        Assert.Equal(ManualPromotionOutcome.Promoted, first.Outcome);
        Assert.Null(first.Entry!.PreviousChampion);

        // Worse than the champion on the same pairs: the gate would reject it, a person may still serve it.
        var second = await manual.PromoteAsync("hand-000000000002", "bob", "the margin is too strict");
        Assert.Equal(ManualPromotionOutcome.Promoted, second.Outcome);
        Assert.Equal("hand-000000000002", (await champions.GetAsync())!.Value.Pointer.RunId);
        Assert.Equal(ManualPromotionOutcome.AlreadyChampion, (await manual.PromoteAsync("hand-000000000002", "bob", "again")).Outcome);

        var history = await champions.HistoryAsync();
        var entry = history[^1];
        Assert.Equal((PromotionHistoryEntry.Promoted, "hand-000000000002", "hand-000000000001", "bob"), (entry.Action, entry.RunId, entry.PreviousChampion, entry.By));
        Assert.Equal("promoted by hand by bob: the margin is too strict", entry.Reason);
        Assert.Equal(0.7, entry.Champion!.Accuracy);
        Assert.Equal(0.6, entry.Candidate!.Accuracy);

        // A promotion by hand is rolled back like any other.
        var rollback = await champions.RollbackAsync("test");
        Assert.Equal("hand-000000000001", rollback!.RunId);
        Assert.Equal(["promoted", "promoted", "rollback"], (await champions.HistoryAsync()).Select(h => h.Action));
    }

    [Fact]
    public async Task RunFilesAreListedAndReadOnlyInsideTheirRunFolder()
    {
        var store = await azurite.StoreAsync();
        await RunAsync(store, "files-000000000001", Evaluation(0.7, parity: true));
        var artifacts = new RunArtifacts(store);

        var files = await artifacts.ListAsync("files-000000000001");
        Assert.Equal(["evaluation.json", "export/model.fused.onnx", "run.json"], files.Select(f => f.Path));
        Assert.Empty(await artifacts.ListAsync("files-000000000009"));
        Assert.Empty(await artifacts.ListAsync("../models"));

        await using (var file = await artifacts.OpenAsync("files-000000000001", "export/model.fused.onnx"))
        {
            Assert.Equal(3, file!.Length);
        }

        Assert.Null(await artifacts.OpenAsync("files-000000000001", "nothing.json"));
        await Assert.ThrowsAsync<ArgumentException>(() => artifacts.OpenAsync("files-000000000001", "../files-000000000002/run.json"));
    }

    [Theory]
    [InlineData("report.md", true)]
    [InlineData("export/model.fused.json", true)]
    [InlineData("checkpoints/step-00000010/model.safetensors", true)]
    [InlineData("", false)]
    [InlineData("/run.json", false)]
    [InlineData("export/", false)]
    [InlineData("../models/champion.json", false)]
    [InlineData("export/../../models/champion.json", false)]
    [InlineData("./run.json", false)]
    [InlineData("..\\models\\champion.json", false)]
    [InlineData("run.json\n", false)]
    [InlineData("a//b", false)]
    public void OnlyPlainPathsInsideARunFolderAreAccepted(string path, bool safe) => Assert.Equal(safe, RunArtifacts.IsSafePath(path));
}
