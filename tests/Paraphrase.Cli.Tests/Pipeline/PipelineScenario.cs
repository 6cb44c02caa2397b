using System.Text.RegularExpressions;
using Paraphrase.Pipeline.Api;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Pipeline.Storage;
using Paraphrase.Testing;

namespace Paraphrase.Cli.Tests.Pipeline;

/// <summary>
/// What the pipeline's process tests share: a data folder of their own, datasets cut from MRPC and uploaded with
/// <c>paraphrase data upload</c>, and waits on runs through the management API, each bounded and each failing with the
/// processes' logs.
/// </summary>
public abstract class PipelineScenario(AzuriteFixture azurite) : IAsyncLifetime
{
    protected AzuriteFixture Azurite { get; } = azurite;

    protected string Data { get; } = Path.Combine(Path.GetTempPath(), "paraphrase-pipeline-test-" + Guid.NewGuid().ToString("N")[..8]);

    protected ArtifactStore Store => new(StorageAccount.Connect(Azurite.ConnectionString));

    /// <summary>A job queue of this test's own, for hosts and workers started as separate processes.</summary>
    protected string Queue { get; } = "jobs-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A host without a worker of its own, on this test's queue.</summary>
    protected Task<PipelineProcess> HostAsync() => PipelineProcess.StartHostAsync(Azurite.ConnectionString, Data, "--no-worker", "--queue", Queue);

    protected Task<PipelineProcess> WorkerAsync(params string[] extra) =>
        PipelineProcess.StartWorkerAsync(Azurite.ConnectionString, Data, ["--queue", Queue, .. extra]);

    /// <summary>How many times the workers started training the run (their logs say so once per start).</summary>
    protected static int TrainJobsStarted(string runId, params PipelineProcess[] workers) =>
        workers.Sum(w => Regex.Count(w.Log, $@"{Regex.Escape(runId)}: Train job started"));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Data, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    /// <summary>Every process's log, each under its own heading.</summary>
    protected static string Logs(params PipelineProcess[] processes) => string.Join("\n", processes.Select((p, i) => $"--- process {i + 1} ---\n{p.Log}"));

    /// <summary>The run's job.json, or null before its first job.</summary>
    protected async Task<JobStatusFile?> JobAsync(string runId) => (await Store.ReadJsonAsync<JobStatusFile>(ArtifactPaths.JobStatus(runId)))?.Value;

    /// <summary>Polls <paramref name="condition"/> every 200 ms until it holds; fails with <paramref name="log"/> after <paramref name="within"/>.</summary>
    protected static async Task WaitForAsync(string what, Func<Task<bool>> condition, Func<string> log, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromMinutes(4));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}:\n{log()}");
            await Task.Delay(200);
        }
    }

    /// <summary>The first lines of MRPC train (both classes) and dev, as their own TSV files.</summary>
    protected string Files(string name, int trainPairs, int devPairs, string? pipelineJson)
    {
        string folder = Path.Combine(Data, "upload", name);
        Directory.CreateDirectory(folder);
        File.WriteAllLines(Path.Combine(folder, "train.tsv"), File.ReadLines(CliRunner.FixturePath("mrpc", "train.tsv")).Take(trainPairs + 1));
        File.WriteAllLines(Path.Combine(folder, "dev.tsv"), File.ReadLines(CliRunner.FixturePath("mrpc", "dev.tsv")).Take(devPairs + 1));
        if (pipelineJson is not null)
        {
            File.WriteAllText(Path.Combine(folder, "pipeline.json"), pipelineJson);
        }

        return folder;
    }

    protected async Task UploadAsync(string dataset, string folder)
    {
        foreach (string file in Directory.GetFiles(folder).Order())
        {
            var result = await CliRunner.RunAsync("data", "upload", "--input", file, "--dataset", dataset, "--storage", Azurite.ConnectionString);
            Assert.True(result.ExitCode == 0, result.StandardError);
        }
    }

    /// <summary>The run the upload watcher started for the dataset.</summary>
    protected static async Task<string> RunOfAsync(PipelineApiClient client, string dataset, params PipelineProcess[] processes)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            if (await client.ListAsync(dataset) is [var run, ..])
            {
                return run.Id;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no run of {dataset} started:\n{Logs(processes)}");
            await Task.Delay(250);
        }
    }

    protected static async Task<RunStatusResponse> CompletionAsync(PipelineApiClient client, string id, params PipelineProcess[] processes)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        try
        {
            return await client.WaitAsync(id, poll: TimeSpan.FromMilliseconds(250), cancellationToken: timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"run {id} did not finish:\n{Logs(processes)}");
        }
    }

    /// <summary>Waits until the run's training job is past <paramref name="minStep"/> optimizer steps (its progress, from job.json).</summary>
    protected static async Task<JobProgress> TrainingPastAsync(PipelineApiClient client, string id, int minStep, params PipelineProcess[] processes)
    {
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            var run = await client.GetAsync(id);
            Assert.True(run!.RuntimeStatus is "Pending" or "Running", $"run {id} ended before training got to step {minStep}: {run.RuntimeStatus} {run.Error?.Message}\n{Logs(processes)}");
            if (run.Stage == "fine-tune" && run.Progress is { } progress && progress.Step > minStep)
            {
                return progress;
            }

            Assert.True(DateTime.UtcNow < deadline, $"training of {id} did not get to step {minStep}:\n{Logs(processes)}");
            await Task.Delay(200);
        }
    }

}
