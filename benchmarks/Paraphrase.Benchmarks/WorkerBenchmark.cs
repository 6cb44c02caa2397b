using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Paraphrase.Hosting;
using Paraphrase.Inference;
using Paraphrase.Serving;
using Paraphrase.Pipeline;
using Paraphrase.Pipeline.Api;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Benchmarks;

/// <summary>
/// The trainer worker under failure and load, with its default settings, on a fresh Azurite with the pipeline host in
/// this process and workers as <c>paraphrase worker</c> processes (the tiny test model, so that the figures are the
/// machinery's, not training's):
/// recovery — a worker killed with SIGKILL mid-training, a new one started at once: time until training goes on, and the
/// steps trained again; load — ten datasets uploaded at once, with one worker and then with two: runs per minute, and how
/// long jobs wait in the queue.
/// </summary>
internal static class WorkerBenchmark
{
    private const int LoadDatasets = 10;

    public static async Task<int> RunAsync(string root)
    {
        string program = Path.Combine(root, "src", "Paraphrase.Cli", "bin", "Release", "net10.0", "paraphrase.dll");
        if (!File.Exists(program))
        {
            Console.Error.WriteLine("error: build the CLI first: dotnet build -c Release src/Paraphrase.Cli");
            return 2;
        }

        string scratch = Path.Combine(Path.GetTempPath(), "paraphrase-worker-bench-" + Environment.ProcessId);
        var startClock = Stopwatch.StartNew();
        await using var azurite = await AzuriteProcess.StartAsync(Path.Combine(scratch, "storage"), 33000);
        var options = new LocalHostOptions
        {
            Url = "http://127.0.0.1:33100", Storage = azurite.ConnectionString, DataDirectory = Path.Combine(scratch, "host"), RunWorker = false,
            Serving = new ServingOptions { AllowAnonymous = true }, Inference = new InferenceOptions { ExecutionProvider = "cpu" },
            Pipeline = new PipelineOptions { Settle = TimeSpan.FromSeconds(1), DefaultBaseModel = Path.Combine(root, "tests", "Paraphrase.Training.Tests", "Fixtures", "tiny-bert") },
        };
        await using var host = await LocalPipelineHost.StartAsync(options, NullLoggerFactory.Instance);
        using (var http = new HttpClient())
        {
            (await http.GetAsync(options.Url + "/api/health")).EnsureSuccessStatusCode();
        }

        Console.WriteLine($"  host start to ready (fresh Azurite started, task hub created, /api/health answering): {startClock.Elapsed.TotalSeconds:F1} s");
        var bench = new Bench(root, program, scratch, azurite.ConnectionString, new ArtifactStore(StorageAccount.Connect(azurite.ConnectionString)),
            PipelineApiClient.Create(options.Url, null));
        Console.WriteLine($"Trainer worker, default settings (heartbeat 5 s, message lock 60 s, run lease 30 s, checkpoints every epoch and 5 min), {Environment.ProcessorCount} cores");

        await bench.RecoveryAsync();
        foreach (int workers in new[] { 1, 2 })
        {
            await bench.LoadAsync(workers);
        }

        return 0;
    }

    private sealed class Bench(string root, string program, string scratch, string storage, ArtifactStore store, PipelineApiClient client)
    {
        /// <summary>Full MRPC on the tiny model, three epochs (about 1,380 steps); the worker is killed in the second epoch.</summary>
        public async Task RecoveryAsync()
        {
            using var first = StartWorker();
            await UploadAsync("recovery", trainPairs: 3668, devPairs: 64, skip: 0, epochs: 3);
            string id = await RunOfAsync("recovery");
            JobStatusFile beforeKill = await WaitForJobAsync(id, j => j is { Kind: JobKind.Train, Progress: { } p } && p.Step > p.TotalSteps / 2);
            var rate = beforeKill.Progress!.StepsPerSecond ?? 0;
            first.Kill(entireProcessTree: true);
            var killedAt = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            using var second = StartWorker();

            // The killed worker had got to about its last heartbeat's step plus its rate times the heartbeat's age; its
            // successor resumes from the last checkpoint in blob storage.
            double killedAtStep = beforeKill.Progress.Step + (rate * (killedAt - beforeKill.Heartbeat!.Value).TotalSeconds);
            int resumedFrom = (await store.ReadJsonAsync<CheckpointPointer>(ArtifactPaths.CheckpointPointer(id)))?.Value.OptimizerSteps ?? 0;

            await WaitForJobAsync(id, j => j is { Kind: JobKind.Train, State: JobState.Running } && j.Worker != beforeKill.Worker);
            double takenSeconds = clock.Elapsed.TotalSeconds;
            await WaitForJobAsync(id, j => j is { Kind: JobKind.Train, Progress: { } p } && j.Worker != beforeKill.Worker && p.Step > resumedFrom);
            double trainingSeconds = clock.Elapsed.TotalSeconds;
            var run = await client.WaitAsync(id, poll: TimeSpan.FromMilliseconds(500));
            Console.WriteLine($"  recovery: killed at step ~{killedAtStep:F0} of {beforeKill.Progress.TotalSteps} ({rate:F1} steps/s); the job taken by the next worker " +
                $"{takenSeconds:F1} s later, training again (first progress heartbeat) after {trainingSeconds:F1} s, from the checkpoint at step {resumedFrom}: " +
                $"~{killedAtStep - resumedFrom:F0} steps redone (~{(killedAtStep - resumedFrom) / Math.Max(rate, 1e-9):F0} s of training); run {run.RuntimeStatus}");
            second.Kill(entireProcessTree: true);
        }

        public async Task LoadAsync(int workerCount)
        {
            var workers = Enumerable.Range(0, workerCount).Select(_ => StartWorker()).ToList();
            try
            {
                long memoryBefore = Process.GetCurrentProcess().WorkingSet64;
                string prefix = $"load{workerCount}w";
                var clock = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, LoadDatasets).Select(i => UploadAsync($"{prefix}-{i}", 48, 24, skip: i * 40, epochs: 1)));
                string[] ids = await Task.WhenAll(Enumerable.Range(0, LoadDatasets).Select(i => RunOfAsync($"{prefix}-{i}")));

                // Queue wait: from the first sight of a job queued to the first sight of it running (polled every 100 ms).
                var queuedAt = new Dictionary<(string, JobKind, int), TimeSpan>();
                var waits = new List<double>();
                var done = new HashSet<string>();
                while (done.Count < ids.Length)
                {
                    foreach (string id in ids.Where(id => !done.Contains(id)))
                    {
                        if ((await store.ReadJsonAsync<JobStatusFile>(ArtifactPaths.JobStatus(id)))?.Value is { } job)
                        {
                            var key = (id, job.Kind, job.Attempt);
                            if (job.State == JobState.Queued)
                            {
                                queuedAt.TryAdd(key, clock.Elapsed);
                            }
                            else if (queuedAt.Remove(key, out var since))
                            {
                                waits.Add((clock.Elapsed - since).TotalSeconds);
                            }
                        }

                        if (await client.GetAsync(id) is { RuntimeStatus: not ("Pending" or "Running") })
                        {
                            done.Add(id);
                        }
                    }

                    await Task.Delay(100);
                }

                double minutes = clock.Elapsed.TotalMinutes;
                var statuses = await Task.WhenAll(ids.Select(id => client.GetAsync(id)));
                waits.Sort();
                Console.WriteLine($"  load, {workerCount} worker(s): {LoadDatasets} runs in {minutes * 60:F1} s = {LoadDatasets / minutes:F1} runs/min " +
                    $"({statuses.Count(s => s!.RuntimeStatus == "Completed")} completed); queue wait over {waits.Count} jobs: median {Percentile(waits, 0.5):F1} s, " +
                    $"max {waits.LastOrDefault():F1} s; host process memory {memoryBefore >> 20} → {Process.GetCurrentProcess().WorkingSet64 >> 20} MiB");
            }
            finally
            {
                workers.ForEach(w => w.Kill(entireProcessTree: true));
                workers.ForEach(w => w.Dispose());
            }
        }

        /// <summary>A worker on the host's queue (the default one), with a scratch folder of its own.</summary>
        private Process StartWorker()
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string argument in new[] { program, "worker", "--storage", storage, "--data", Path.Combine(scratch, "workers", Guid.NewGuid().ToString("N")[..8]), "--device", "cpu" })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }

        private async Task UploadAsync(string dataset, int trainPairs, int devPairs, int skip, int epochs)
        {
            string folder = Path.Combine(scratch, "upload", dataset);
            Directory.CreateDirectory(folder);
            string[] train = File.ReadAllLines(Path.Combine(root, "data", "mrpc", "train.tsv"));
            string[] dev = File.ReadAllLines(Path.Combine(root, "data", "mrpc", "dev.tsv"));
            File.WriteAllLines(Path.Combine(folder, "train.tsv"), [train[0], .. train.Skip(1 + skip).Take(trainPairs)]);
            File.WriteAllLines(Path.Combine(folder, "dev.tsv"), [dev[0], .. dev.Skip(1 + skip).Take(devPairs)]);
            File.WriteAllText(Path.Combine(folder, "pipeline.json"), $$$"""{"training": {"epochs": {{{epochs}}}, "maxLength": 64}}""");
            foreach (string file in Directory.GetFiles(folder).Order())
            {
                await DatasetUploader.UploadAsync(store, file, dataset, role: null);
            }
        }

        private async Task<string> RunOfAsync(string dataset)
        {
            while (true)
            {
                if (await client.ListAsync(dataset) is [var run, ..])
                {
                    return run.Id;
                }

                await Task.Delay(100);
            }
        }

        private async Task<JobStatusFile> WaitForJobAsync(string runId, Func<JobStatusFile, bool> condition)
        {
            var deadline = DateTime.UtcNow.AddMinutes(10);
            while (true)
            {
                var job = (await store.ReadJsonAsync<JobStatusFile>(ArtifactPaths.JobStatus(runId)))?.Value;
                if (job is not null && condition(job))
                {
                    return job;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"{runId}: the job never got there; last job.json: {job?.Kind} {job?.State} {job?.Error}");
                }

                await Task.Delay(100);
            }
        }

        private static double Percentile(List<double> sorted, double q) => sorted.Count == 0 ? 0 : sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(q * sorted.Count))];
    }
}
