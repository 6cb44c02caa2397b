using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Paraphrase.Pipeline.Storage;
using Paraphrase.Pipeline.Triggers;

namespace Paraphrase.Pipeline.Tests;

/// <summary>The upload watcher on a real Azurite, with the clock in the test's hands and a durable client on the in-memory backend.</summary>
[Collection(AzuriteTests.Name)]
public sealed class DatasetWatcherTests(AzuriteFixture azurite)
{
    private const string Tsv = "sentence1\tsentence2\tlabel\nA cat.\tA cat sat.\t1\nA dog.\tA bird.\t0\n";

    [Fact]
    public async Task ASettledUploadStartsOneRunAndARestartedWatcherDoesNotStartItAgain()
    {
        var store = await azurite.StoreAsync();
        await store.Blob(ArtifactPaths.WatcherCursor).DeleteIfExistsAsync();
        var options = new PipelineOptions { Settle = TimeSpan.FromSeconds(10) };
        await using var harness = await TriggerHarness.StartAsync(store, options);
        await store.WriteBytesAsync(ArtifactPaths.DatasetFolder("watched").Child("train.tsv"), Encoding.UTF8.GetBytes(Tsv));
        await store.WriteBytesAsync(ArtifactPaths.DatasetFolder("watched").Child("notes.txt"), "not data"u8.ToArray());
        DatasetWatcher Watcher() => new(store, harness.Services, options, harness.Clock, NullLogger<DatasetWatcher>.Instance);

        await Watcher().ScanAsync(CancellationToken.None);
        Assert.Empty(await harness.InstancesAsync("watched-"));

        harness.Clock.Now += TimeSpan.FromSeconds(11);
        await Watcher().ScanAsync(CancellationToken.None);
        await Watcher().ScanAsync(CancellationToken.None);
        string runId = Assert.Single(await harness.InstancesAsync("watched-"));
        Assert.StartsWith("watched-", runId);

        // The same bytes uploaded again: a new ETag, so the folder counts as changed, but it is the same snapshot: same run, no new instance.
        await store.WriteBytesAsync(ArtifactPaths.DatasetFolder("watched").Child("train.tsv"), Encoding.UTF8.GetBytes(Tsv));
        harness.Clock.Now += TimeSpan.FromSeconds(11);
        await Watcher().ScanAsync(CancellationToken.None);
        Assert.Equal([runId], await harness.InstancesAsync("watched-"));
    }

    [Fact]
    public async Task TheScheduleRetrainsOnlyAChangedSnapshot()
    {
        var store = await azurite.StoreAsync();
        await store.Blob(ArtifactPaths.ScheduleState).DeleteIfExistsAsync();
        var options = new PipelineOptions();
        await using var harness = await TriggerHarness.StartAsync(store, options);
        var folder = ArtifactPaths.DatasetFolder("nightly");
        await store.WriteBytesAsync(folder.Child("train.tsv"), Encoding.UTF8.GetBytes(Tsv));
        await store.WriteBytesAsync(folder.Child("pipeline.json"), """{"schedule": "0 3 * * *"}"""u8.ToArray());
        harness.Clock.Now = new DateTimeOffset(2026, 12, 2, 2, 0, 0, TimeSpan.Zero);
        RetrainingScheduler Scheduler() => new(store, harness.Services, options, harness.Clock, NullLogger<RetrainingScheduler>.Instance);
        async Task<ScheduledFiring> FireAt(int hour, int day = 2)
        {
            harness.Clock.Now = new DateTimeOffset(2026, 12, day, hour, 0, 30, TimeSpan.Zero);
            await Scheduler().FireDueAsync(CancellationToken.None);
            return (await store.ReadJsonAsync<ScheduleState>(ArtifactPaths.ScheduleState))!.Value.Value.Datasets["nightly"];
        }

        Assert.Equal("scheduled", (await FireAt(2)).Outcome);
        Assert.Empty(await harness.InstancesAsync("nightly-"));
        Assert.Equal("started", (await FireAt(3)).Outcome);
        string first = Assert.Single(await harness.InstancesAsync("nightly-"));
        await harness.Durable.Client.WaitForInstanceCompletionAsync(first);

        var unchanged = await FireAt(3, day: 3);
        Assert.Equal("skipped", unchanged.Outcome);
        Assert.Equal(first, unchanged.RunId);

        await store.WriteBytesAsync(folder.Child("train.tsv"), Encoding.UTF8.GetBytes(Tsv + "A fish.\tA fish swam.\t1\n"));
        Assert.Equal("started", (await FireAt(3, day: 4)).Outcome);
        Assert.Equal(2, (await harness.InstancesAsync("nightly-")).Count);
    }
}
