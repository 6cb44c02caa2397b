using System.Text;
using Paraphrase.Core.Artifacts;
using Paraphrase.Pipeline.Activities;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Pipeline.Orchestration;
using Paraphrase.Pipeline.Promotion;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Tests;

/// <summary>The activities against a real Azurite: what they read and write, and that running them twice changes nothing.</summary>
[Collection(AzuriteTests.Name)]
public sealed class ActivityTests(AzuriteFixture azurite)
{
    private static readonly TestActivityContext Context = new("test", "test");

    private static string Tsv(int rows, Func<int, string>? label = null) =>
        "sentence1\tsentence2\tlabel\n" + string.Concat(Enumerable.Range(0, rows).Select(i => $"The cat number {i} sat.\tA cat numbered {i} was sitting.\t{label?.Invoke(i) ?? (i % 2).ToString()}\n"));

    private static async Task<PipelineRunInput> UploadAsync(ArtifactStore store, string dataset, params (string Name, string Content)[] files)
    {
        var refs = new List<DatasetFileRef>();
        foreach (var (name, content) in files)
        {
            var path = ArtifactPaths.DatasetFolder(dataset).Child(name);
            await store.WriteBytesAsync(path, Encoding.UTF8.GetBytes(content));
            var blob = (await store.ListAsync(ArtifactPaths.DatasetFolder(dataset))).Single(b => b.RelativeName == name);
            refs.Add(new DatasetFileRef(DatasetNames.RoleOf(name)!, path.Name, blob.ETag, "x"));
        }

        return new PipelineRunInput($"{dataset}-000000000000", dataset, refs, "base", new TrainingOptions(), new PromotionRule(), 0.25, "test", new JobWatchSettings());
    }

    [Fact]
    public async Task AMalformedFileFailsIngestWithItsNameAndLine()
    {
        var store = await azurite.StoreAsync();
        var input = await UploadAsync(store, "broken", ("train.tsv", Tsv(6, i => i == 3 ? "maybe" : "1")));
        var error = await Assert.ThrowsAsync<PipelineFailedException>(() => new IngestDatasetActivity(store).RunAsync(Context, input));
        Assert.Contains("datasets/broken/train.tsv", error.Message);
        Assert.Contains(":5", error.Message); // header is line 1, the fourth pair is line 5
    }

    [Fact]
    public async Task IngestHoldsOutDevWhenThereIsNoneAndDoesNotRedoItsWork()
    {
        var store = await azurite.StoreAsync();
        var input = await UploadAsync(store, "holdout", ("train.tsv", Tsv(40)));
        var first = await new IngestDatasetActivity(store).RunAsync(Context, input);
        Assert.True(first.HeldOutDev);
        Assert.Equal(30, first.Split("train").Pairs);
        Assert.Equal(10, first.Split("dev").Pairs);
        var marker = (await store.ListAsync(ArtifactPaths.RunFile(input.RunId, "data/"))).Single(b => b.RelativeName == "ingest.json");

        var second = await new IngestDatasetActivity(store).RunAsync(Context, input);
        Assert.Equal(first.Splits, second.Splits);
        Assert.Equal(marker.ETag, (await store.ListAsync(ArtifactPaths.RunFile(input.RunId, "data/"))).Single(b => b.RelativeName == "ingest.json").ETag);
    }

    [Fact]
    public async Task AFileChangedAfterPlanningIsNotTrainedOn()
    {
        var store = await azurite.StoreAsync();
        var input = await UploadAsync(store, "changed", ("train.tsv", Tsv(8)));
        await store.WriteBytesAsync(ArtifactPaths.DatasetFolder("changed").Child("train.tsv"), Encoding.UTF8.GetBytes(Tsv(9)));
        var error = await Assert.ThrowsAsync<PipelineFailedException>(() => new IngestDatasetActivity(store).RunAsync(Context, input));
        Assert.Contains("changed or disappeared", error.Message);
    }

    [Fact]
    public async Task ADispatchOfAFinishedJobSendsNothing()
    {
        var store = await azurite.StoreAsync();
        var queue = new StorageQueueJobTransport(azurite.Account.Queues, "dispatch-test");
        var job = new TrainerJob("dispatch-000000000001", JobKind.Train, 1, new TrainerJobPaths("base", "key"));
        var dispatch = new DispatchJobActivity(store, queue, TimeProvider.System);
        Assert.Equal(JobState.Queued, (await dispatch.RunAsync(Context, job)).State);
        var received = await queue.ReceiveAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal(job.RunId, received!.Job.RunId);
        await received.CompleteAsync(CancellationToken.None);

        await store.WriteJsonAsync(ArtifactPaths.JobStatus(job.RunId), new JobStatusFile
        {
            RunId = job.RunId, Kind = JobKind.Train, State = JobState.Completed, Attempt = 1, UpdatedAt = DateTimeOffset.UtcNow,
        });
        Assert.Equal(JobState.Completed, (await dispatch.RunAsync(Context, job)).State);
        Assert.Null(await queue.ReceiveAsync(TimeSpan.FromSeconds(30), CancellationToken.None));
    }

    [Fact]
    public async Task PromotionIsGatedRecordedOnceAndRolledBack()
    {
        var store = await azurite.StoreAsync();
        await store.Blob(ArtifactPaths.Champion).DeleteIfExistsAsync();
        await store.Blob(ArtifactPaths.History).DeleteIfExistsAsync();
        var champions = new ChampionStore(store, TimeProvider.System);
        var promote = new PromoteCandidateActivity(champions, TimeProvider.System);
        static CandidateEvaluation Eval(double candidate, double? champion, string? championRun) =>
            new([new SplitScore("dev", new MetricSummary(10, candidate, candidate, 1, 1), champion is double c ? new MetricSummary(10, c, c, 1, 1) : null)], championRun, null, true, "fused");

        var first = await promote.RunAsync(Context, new PromoteInput("a-000000000001", "a", Eval(0.7, null, null), new PromotionRule()));
        Assert.True(first.Promoted);
        var again = await promote.RunAsync(Context, new PromoteInput("a-000000000001", "a", Eval(0.7, null, null), new PromotionRule()));
        Assert.True(again.Promoted);
        Assert.Single(await champions.HistoryAsync());

        var stale = await promote.RunAsync(Context, new PromoteInput("a-000000000002", "a", Eval(0.9, null, null), new PromotionRule()));
        Assert.True(stale.ChampionChanged);

        var worse = await promote.RunAsync(Context, new PromoteInput("a-000000000003", "a", Eval(0.6, 0.7, "a-000000000001"), new PromotionRule()));
        Assert.False(worse.Promoted);
        Assert.Contains("accuracy 0.6000 vs champion 0.7000", worse.Reason);
        Assert.Equal("a-000000000001", (await champions.GetAsync())!.Value.Pointer.RunId);

        var better = await promote.RunAsync(Context, new PromoteInput("a-000000000004", "a", Eval(0.8, 0.7, "a-000000000001"), new PromotionRule()));
        Assert.True(better.Promoted);
        Assert.Equal("runs/a-000000000004/export/", (await champions.GetAsync())!.Value.Pointer.Model);

        var rollback = await champions.RollbackAsync("test");
        Assert.Equal("a-000000000001", rollback!.RunId);
        Assert.Equal("a-000000000001", (await champions.GetAsync())!.Value.Pointer.RunId);
        Assert.Null(await champions.RollbackAsync("nothing before the first"));
        Assert.Equal(["promoted", "rejected", "promoted", "rollback"], (await champions.HistoryAsync()).Select(h => h.Action));
    }
}
