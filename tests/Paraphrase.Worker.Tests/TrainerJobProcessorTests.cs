using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Worker.Tests;

/// <summary>
/// How the worker settles what it is given, over the Service Bus transport (the SDK's types, a queue in memory) and the
/// real artifact store on Azurite: jobs that cannot succeed are dead-lettered with the reason, failures that may pass
/// are retried until the configured deliveries, and a job delivered again after it finished does nothing.
/// </summary>
[Collection(WorkerOnAzurite.Name)]
public sealed class TrainerJobProcessorTests(AzuriteFixture azurite) : IDisposable
{
    private readonly FakeServiceBusReceiver _receiver = new();
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "paraphrase-worker-test-" + Guid.NewGuid().ToString("N")[..8]);

    private static string NewRunId() => "sb-" + Guid.NewGuid().ToString("N")[..12];

    private TrainerWorkerOptions Options => new() { ScratchDirectory = _scratch, Device = "cpu", MaxDeliveries = 3, HeartbeatInterval = TimeSpan.FromSeconds(1) };

    private async Task<(ArtifactStore Store, TrainerJobProcessor Processor)> ProcessorAsync() =>
        await azurite.StoreAsync() is var store ? (store, new TrainerJobProcessor(store, Options, TimeProvider.System, NullLogger<TrainerJobProcessor>.Instance)) : default;

    private async Task<ReceivedJob> DeliverAsync(TrainerJob job, int deliveryCount)
    {
        _receiver.Deliver(BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(job, PipelineJson.Line)), deliveryCount);
        return (await new ServiceBusJobTransport(new FakeServiceBusSender(), _receiver, TimeSpan.Zero).ReceiveAsync(TimeSpan.FromMinutes(1), CancellationToken.None))!;
    }

    [Fact]
    public async Task ABaseModelThatCanNeverLoadIsDeadLetteredOnItsFirstDeliveryWithTheReason()
    {
        var (store, processor) = await ProcessorAsync();
        string corrupt = Path.Combine(_scratch, "corrupt-model");
        Directory.CreateDirectory(corrupt);
        await File.WriteAllTextAsync(Path.Combine(corrupt, "config.json"), "{ this is not json");
        var job = new TrainerJob(NewRunId(), JobKind.PrepareBaseModel, 1, new TrainerJobPaths(corrupt, "corrupt-" + Guid.NewGuid().ToString("N")[..8]));

        await processor.ProcessAsync(await DeliverAsync(job, deliveryCount: 1), CancellationToken.None);

        var (_, reason, description) = Assert.Single(_receiver.DeadLettered);
        Assert.Contains("config.json", reason, StringComparison.Ordinal);
        Assert.Contains(job.RunId, description, StringComparison.Ordinal);
        var status = (await store.ReadJsonAsync<JobStatusFile>(ArtifactPaths.JobStatus(job.RunId)))!.Value.Value;
        Assert.Equal(JobState.Failed, status.State);
        Assert.Equal(reason, status.Error);
    }

    [Fact]
    public async Task AFailureThatMayPassIsLeftForRedeliveryUntilTheLastDeliveryThenDeadLettered()
    {
        var (store, processor) = await ProcessorAsync();

        // Its token shards are missing: reading them fails the way a storage outage does.
        var job = new TrainerJob(NewRunId(), JobKind.Train, 1, new TrainerJobPaths("base", "no-such-base", "missing/train.tokens.jsonl", "missing/dev.tokens.jsonl",
            Options: "{}"));
        for (int delivery = 1; delivery < Options.MaxDeliveries; delivery++)
        {
            await processor.ProcessAsync(await DeliverAsync(job, delivery), CancellationToken.None);
            Assert.Equal(0, _receiver.Settlements);
        }

        await processor.ProcessAsync(await DeliverAsync(job, Options.MaxDeliveries), CancellationToken.None);

        var (_, reason, _) = Assert.Single(_receiver.DeadLettered);
        Assert.Contains($"after {Options.MaxDeliveries} deliveries", reason, StringComparison.Ordinal);
        var status = (await store.ReadJsonAsync<JobStatusFile>(ArtifactPaths.JobStatus(job.RunId)))!.Value.Value;
        Assert.Equal((JobState.Failed, reason), (status.State, status.Error));
    }

    [Fact]
    public async Task AFinishedJobDeliveredAgainIsCompletedWithoutWork()
    {
        var (store, processor) = await ProcessorAsync();
        var job = new TrainerJob(NewRunId(), JobKind.Export, 1, new TrainerJobPaths("base", "key"));
        var finished = new JobStatusFile { RunId = job.RunId, Kind = job.Kind, State = JobState.Completed, Attempt = 1, UpdatedAt = DateTimeOffset.UtcNow };
        await store.WriteJsonAsync(ArtifactPaths.JobStatus(job.RunId), finished);

        var message = await DeliverAsync(job, deliveryCount: 2);
        await processor.ProcessAsync(message, CancellationToken.None);

        Assert.Single(_receiver.Completed);
        Assert.Equal(0, _receiver.LockRenewals);
        Assert.Equal(finished.UpdatedAt, (await store.ReadJsonAsync<JobStatusFile>(ArtifactPaths.JobStatus(job.RunId)))!.Value.Value.UpdatedAt);
    }

    [Fact]
    public async Task AJobAnotherWorkerIsRunningIsLeftToIt()
    {
        var (store, processor) = await ProcessorAsync();
        var job = new TrainerJob(NewRunId(), JobKind.Train, 1, new TrainerJobPaths("base", "key"));
        await store.WriteJsonAsync(ArtifactPaths.JobStatus(job.RunId), new JobStatusFile
        {
            RunId = job.RunId, Kind = job.Kind, State = JobState.Running, Attempt = 1, UpdatedAt = DateTimeOffset.UtcNow, Worker = "the other one",
        });
        await using var held = await BlobLease.TryAcquireAsync(store, ArtifactPaths.JobLease(job.RunId), TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.NotNull(held);

        await processor.ProcessAsync(await DeliverAsync(job, deliveryCount: 2), CancellationToken.None);

        Assert.Single(_receiver.Completed);
        Assert.Equal(JobState.Running, (await store.ReadJsonAsync<JobStatusFile>(ArtifactPaths.JobStatus(job.RunId)))!.Value.Value.State);
    }

    public void Dispose()
    {
        _receiver.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true);
        }
    }
}
