using Azure.Storage.Queues;
using Paraphrase.Pipeline.Api;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Pipeline.Storage;
using Paraphrase.Testing;

namespace Paraphrase.Cli.Tests.Pipeline;

/// <summary>
/// The trainer worker as its own process (<c>paraphrase worker</c>) beside a <c>paraphrase host --no-worker</c>, each
/// test on a job queue of its own: workers killed with SIGKILL, jobs delivered twice, runs terminated, hosts killed
/// under a working worker. Every wait is bounded and fails with all processes' logs.
/// </summary>
[Collection(PipelineOnAzurite.Name)]
public sealed partial class WorkerFailureTests(AzuriteFixture azurite) : PipelineScenario(azurite)
{
    /// <summary>Full MRPC train on the tiny model, one epoch: about 460 optimizer steps, plenty to kill a worker in.</summary>
    private string LongRun(string name) => Files(name, 3668, 64, """{"training": {"epochs": 1, "maxLength": 64}}""");

    [Fact]
    public async Task AWorkerKilledMidEpochIsSucceededByOneThatResumesToTheSameModelAsAnUninterruptedRun()
    {
        await using var host = await HostAsync();
        var client = PipelineApiClient.Create(host.Url, null);
        await using var first = await WorkerAsync("--checkpoint-steps", "50");
        await UploadAsync("killed", LongRun("killed"));
        string killed = await RunOfAsync(client, "killed", host, first);

        // The first step checkpoint is in blob storage once the worker says so; kill it before the epoch (and its checkpoint) ends.
        await WaitForAsync("a step checkpoint", () => Task.FromResult(first.Log.Contains("checkpoint saved to the artifact store", StringComparison.Ordinal)),
            () => Logs(host, first));
        await first.KillAsync();
        var job = await JobAsync(killed);
        Assert.True(job is { Kind: JobKind.Train, State: JobState.Running }, $"training was not running when the worker was killed: {job?.State}\n{Logs(host, first)}");
        Assert.True(job!.Progress!.Step < job.Progress.TotalSteps, "the epoch ended before the worker could be killed");

        await using var second = await WorkerAsync("--checkpoint-steps", "50");
        var resumed = await CompletionAsync(client, killed, host, second);
        Assert.True(resumed.RuntimeStatus == "Completed", $"{resumed.Error?.Message}\n{Logs(host, first, second)}");
        Assert.Contains($"{killed}: resuming from the last checkpoint", second.Log, StringComparison.Ordinal);

        // The same data and options under another name, never interrupted: the same seed must give the same model.
        await UploadAsync("straight", LongRun("straight"));
        string straight = await RunOfAsync(client, "straight", host, second);
        var uninterrupted = await CompletionAsync(client, straight, host, second);
        Assert.True(uninterrupted.RuntimeStatus == "Completed", $"{uninterrupted.Error?.Message}\n{Logs(host, second)}");
        Assert.Equal(uninterrupted.Output!.Metrics, resumed.Output!.Metrics);
        Assert.Equal(await Store.ReadBytesAsync(ArtifactPaths.RunFile(straight, "model/model.safetensors")),
            await Store.ReadBytesAsync(ArtifactPaths.RunFile(killed, "model/model.safetensors")));
    }

    [Fact]
    public async Task AWorkerKilledAfterTrainingLeavesTheExportToItsSuccessorAndNothingIsTrainedTwice()
    {
        await using var host = await HostAsync();
        var client = PipelineApiClient.Create(host.Url, null);
        await using var first = await WorkerAsync();
        await UploadAsync("export-kill", Files("export-kill", 48, 16, """{"training": {"epochs": 1, "maxLength": 64}}"""));
        string id = await RunOfAsync(client, "export-kill", host, first);

        // Killed as soon as the export job is dispatched: before the worker takes it, or while it exports.
        await WaitForAsync("the export job", async () => await JobAsync(id) is { Kind: JobKind.Export }, () => Logs(host, first));
        await first.KillAsync();

        await using var second = await WorkerAsync();
        var run = await CompletionAsync(client, id, host, second);
        Assert.True(run.RuntimeStatus == "Completed", $"{run.Error?.Message}\n{Logs(host, first, second)}");
        Assert.Equal(1, TrainJobsStarted(id, first, second));
    }

    [Fact]
    public async Task AJobDeliveredTwiceAtOnceIsTrainedByOneWorkerAndLeftByTheOther()
    {
        await using var host = await HostAsync();
        var client = PipelineApiClient.Create(host.Url, null);

        // One worker stages the base model and exits (--max-jobs 1): then the training job waits in the queue, alone.
        await using (var stager = await WorkerAsync("--max-jobs", "1"))
        {
            await UploadAsync("twice", LongRun("twice"));
            Assert.Equal(0, await stager.ExitAsync(TimeSpan.FromMinutes(4)));
        }

        string id = await RunOfAsync(client, "twice", host);
        await WaitForAsync("the queued training job", async () => await JobAsync(id) is { Kind: JobKind.Train, State: JobState.Queued }, () => host.Log);
        var queue = new QueueClient(Azurite.ConnectionString, Queue);
        var message = (await queue.PeekMessageAsync()).Value;
        Assert.NotNull(message);
        await queue.SendMessageAsync(message.Body.ToString());

        await using var left = await WorkerAsync();
        await using var right = await WorkerAsync();
        var run = await CompletionAsync(client, id, host, left, right);
        Assert.True(run.RuntimeStatus == "Completed", $"{run.Error?.Message}\n{Logs(host, left, right)}");
        Assert.Equal(1, TrainJobsStarted(id, left, right));
        Assert.Contains(new[] { left, right }, w => w.Log.Contains($"{id}: Train job delivered again", StringComparison.Ordinal)
            || w.Log.Contains($"{id}: Train job skipped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TerminatingARunMidTrainingStopsItsWorkerWithinSecondsAndPromotesNothing()
    {
        await using var host = await HostAsync();
        var client = PipelineApiClient.Create(host.Url, null);
        await using var worker = await WorkerAsync();
        await UploadAsync("stopped", LongRun("stopped"));
        string id = await RunOfAsync(client, "stopped", host, worker);
        await TrainingPastAsync(client, id, minStep: 5, host, worker);

        await client.TerminateAsync(id);
        var terminatedAt = DateTime.UtcNow;
        await WaitForAsync("the job to be cancelled", async () => await JobAsync(id) is { State: JobState.Cancelled }, () => Logs(host, worker),
            within: TimeSpan.FromSeconds(30));
        var stoppedWithin = DateTime.UtcNow - terminatedAt;

        Assert.True(stoppedWithin < TimeSpan.FromSeconds(10), $"the worker took {stoppedWithin.TotalSeconds:F1} s to stop\n{worker.Log}");
        Assert.Equal("Terminated", (await client.GetAsync(id))!.RuntimeStatus);
        Assert.DoesNotContain((await client.ChampionAsync()).History, h => h.RunId == id);
        Assert.False(worker.HasExited, "the worker should go on waiting for jobs");
    }

    [Fact]
    public async Task AHostKilledWhileTheWorkerTrainsPicksTheRunUpAgainAndTheWorkerIsNotInterrupted()
    {
        await using var worker = await WorkerAsync();
        string id;
        await using (var host = await HostAsync())
        {
            var client = PipelineApiClient.Create(host.Url, null);
            await UploadAsync("host-crash", LongRun("host-crash"));
            id = await RunOfAsync(client, "host-crash", host, worker);
            await TrainingPastAsync(client, id, minStep: 5, host, worker);
            await host.KillAsync();
        }

        await using var restarted = await HostAsync();
        var run = await CompletionAsync(PipelineApiClient.Create(restarted.Url, null), id, restarted, worker);
        Assert.True(run.RuntimeStatus == "Completed", $"{run.Error?.Message}\n{Logs(restarted, worker)}");
        Assert.Equal(1, TrainJobsStarted(id, worker));
        Assert.DoesNotContain($"{id}: resuming from the last checkpoint", worker.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWorkerThatLosesStorageMidEpochCarriesOnAndTheRunCompletes()
    {
        await using var host = await HostAsync();
        var client = PipelineApiClient.Create(host.Url, null);
        await using var worker = await WorkerAsync();
        await UploadAsync("worker-outage", LongRun("worker-outage"));
        string id = await RunOfAsync(client, "worker-outage", host, worker);
        await TrainingPastAsync(client, id, minStep: 5, host, worker);

        await Azurite.RestartAsync(TimeSpan.FromSeconds(3));

        var run = await CompletionAsync(client, id, host, worker);
        Assert.True(run.RuntimeStatus == "Completed", $"{run.Error?.Message}\n{Logs(host, worker)}");
        Assert.Equal(1, TrainJobsStarted(id, worker));
    }

    [Fact]
    public async Task ABaseModelThatCanNeverLoadFailsTheRunWithTheWorkersMessage()
    {
        string corrupt = Path.Combine(Data, "corrupt-model");
        Directory.CreateDirectory(corrupt);
        File.Copy(CliRunner.FixturePath("tiny-bert", "vocab.txt"), Path.Combine(corrupt, "vocab.txt"));
        await File.WriteAllTextAsync(Path.Combine(corrupt, "config.json"), "{ this is not json");
        await using var host = await HostAsync();
        var client = PipelineApiClient.Create(host.Url, null);
        await using var worker = await WorkerAsync();
        string pipeline = new System.Text.Json.Nodes.JsonObject
        {
            ["baseModel"] = corrupt, ["training"] = new System.Text.Json.Nodes.JsonObject { ["epochs"] = 1, ["maxLength"] = 64 },
        }.ToJsonString();
        await UploadAsync("corrupt", Files("corrupt", 48, 16, pipeline));

        var run = await CompletionAsync(client, await RunOfAsync(client, "corrupt", host, worker), host, worker);
        Assert.Equal("Failed", run.RuntimeStatus);
        Assert.Contains("base-model staging job failed", run.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("config.json", run.Error.Message, StringComparison.Ordinal);
        var poison = new QueueClient(Azurite.ConnectionString, Queue + "-poison");
        Assert.True((await poison.PeekMessageAsync()).Value is { } letter && letter.Body.ToString().Contains("config.json", StringComparison.Ordinal),
            "the job that cannot succeed was not dead-lettered with its reason");
    }
}
