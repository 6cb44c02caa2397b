using System.Text;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Orchestration;
using Paraphrase.Pipeline.Runs;
using Paraphrase.Pipeline.Storage;
using Paraphrase.Pipeline.Triggers;

namespace Paraphrase.Pipeline.Tests;

/// <summary>The upload watcher on a real Azurite, with the clock in the test's hands and a durable client on the in-memory backend.</summary>
[Collection(AzuriteTests.Name)]
public sealed class DatasetWatcherTests(AzuriteFixture azurite)
{
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task ASettledUploadStartsOneRunAndARestartedWatcherDoesNotStartItAgain()
    {
        var store = await azurite.StoreAsync();
        await store.Blob(ArtifactPaths.WatcherCursor).DeleteIfExistsAsync();
        var started = new List<string>();
        await using var durable = await DurableTaskTestHost.StartAsync(registry =>
            registry.AddOrchestratorFunc<PipelineRunInput, string>(nameof(TrainingPipelineOrchestrator), (_, input) =>
            {
                lock (started)
                {
                    started.Add(input.RunId);
                }

                return input.RunId;
            }));
        var options = new PipelineOptions { Settle = TimeSpan.FromSeconds(10) };
        var services = new ServiceCollection()
            .AddSingleton(store).AddSingleton(options).AddSingleton<DurableTaskClient>(durable.Client)
            .AddSingleton<RunPlanner>().AddSingleton<PipelineRunStarter>().BuildServiceProvider();

        const string tsv = "sentence1\tsentence2\tlabel\nA cat.\tA cat sat.\t1\nA dog.\tA bird.\t0\n";
        await store.WriteBytesAsync(ArtifactPaths.DatasetFolder("watched").Child("train.tsv"), Encoding.UTF8.GetBytes(tsv));
        await store.WriteBytesAsync(ArtifactPaths.DatasetFolder("watched").Child("notes.txt"), "not data"u8.ToArray());
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        DatasetWatcher Watcher() => new(store, services, options, clock, NullLogger<DatasetWatcher>.Instance);

        await Watcher().ScanAsync(CancellationToken.None);
        Assert.Empty(await Instances(durable.Client));

        clock.Now += TimeSpan.FromSeconds(11);
        await Watcher().ScanAsync(CancellationToken.None);
        await Watcher().ScanAsync(CancellationToken.None);
        var instances = await Instances(durable.Client);
        string runId = Assert.Single(instances);
        Assert.StartsWith("watched-", runId);

        // The same bytes uploaded again: a new ETag, so the folder counts as changed, but it is the same snapshot: same run, no new instance.
        await store.WriteBytesAsync(ArtifactPaths.DatasetFolder("watched").Child("train.tsv"), Encoding.UTF8.GetBytes(tsv));
        clock.Now += TimeSpan.FromSeconds(11);
        await Watcher().ScanAsync(CancellationToken.None);
        Assert.Equal([runId], await Instances(durable.Client));
    }

    private static async Task<List<string>> Instances(DurableTaskClient client)
    {
        var ids = new List<string>();
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "watched-" }))
        {
            ids.Add(instance.InstanceId);
        }

        return ids;
    }
}
