using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Paraphrase.Core.Artifacts;
using Paraphrase.Core.Collation;
using Paraphrase.Core.Tokenization;
using Paraphrase.Onnx;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Pipeline.Storage;
using Paraphrase.Training.Checkpoints;
using Paraphrase.Training.FineTuning;
using Paraphrase.Training.Import;
using Paraphrase.Training.Modeling;

namespace Paraphrase.Worker;

/// <summary>
/// What each kind of job does, between blob storage and local scratch space. Each first looks for its finished output
/// in the artifact store and returns that, so a job delivered again after it finished does nothing.
/// </summary>
internal sealed partial class JobExecutor(ArtifactStore store, TrainerWorkerOptions options, ILogger logger)
{
    private static readonly string[] RunReportFiles = ["metrics.json", "report.md", "loss.png", "confusion.png"];

    private static readonly string[] BaseModelFiles = [HuggingFaceDirectory.ConfigName, HuggingFaceDirectory.VocabularyName, "model.safetensors", "pytorch_model.bin", "import.json"];

    public Task<JsonNode> RunAsync(TrainerJob job, JobHeartbeat heartbeat, CancellationToken cancellationToken) => job.Kind switch
    {
        JobKind.PrepareBaseModel => PrepareBaseModelAsync(job, cancellationToken),
        JobKind.Train => TrainAsync(job, heartbeat, cancellationToken),
        _ => ExportAsync(job, cancellationToken),
    };

    private async Task<JsonNode> PrepareBaseModelAsync(TrainerJob job, CancellationToken cancellationToken)
    {
        var folder = ArtifactPaths.BaseModelFolder(job.Paths.BaseModelKey);
        var info = folder.Child("base.json");
        if (await store.ExistsAsync(folder, cancellationToken) && await store.ReadJsonAsync<BaseModelInfo>(info, cancellationToken) is { } staged)
        {
            return JobResults.ToNode(staged.Value);
        }

        string local = await OnThread(() => Expected(() => PretrainedModelSource.Resolve(job.Paths.BaseModel, message => Log(logger, job.RunId, message))), cancellationToken);
        var config = Expected(() => BertConfig.Load(Path.Combine(local, HuggingFaceDirectory.ConfigName)));
        var vocabulary = Expected(() => WordPieceVocabulary.Load(Path.Combine(local, HuggingFaceDirectory.VocabularyName)));
        var result = new BaseModelInfo(job.Paths.BaseModelKey, job.Paths.BaseModel, folder.ToString(), vocabulary.Sha256, config.MaxSequenceLength,
            config.NumHiddenLayers, config.HiddenSize);
        await store.WriteJsonAsync(info, result, cancellationToken: cancellationToken);
        await store.UploadFolderAsync(local, folder, name => BaseModelFiles.Contains(name), cancellationToken);
        return JobResults.ToNode(result);
    }

    private async Task<JsonNode> TrainAsync(TrainerJob job, JobHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        var modelFolder = ArtifactPaths.ModelFolder(job.RunId);
        if (await store.ExistsAsync(modelFolder, cancellationToken))
        {
            return Summary(RunMetrics.Load(await DownloadAsync(modelFolder.Child("metrics.json"), Scratch(job, "metrics.json"), cancellationToken)));
        }

        string baseModel = await StageFolderAsync(ArtifactPaths.BaseModelFolder(job.Paths.BaseModelKey), Scratch(job, "base"), cancellationToken);
        var train = await ReadShardAsync(job.Paths.TrainTokens!, cancellationToken);
        var dev = await ReadShardAsync(job.Paths.DevTokens!, cancellationToken);
        string runDirectory = Scratch(job, "run");
        var latest = (await store.ReadJsonAsync<CheckpointPointer>(ArtifactPaths.CheckpointPointer(job.RunId), cancellationToken))?.Value;
        if (Directory.Exists(runDirectory))
        {
            Directory.Delete(runDirectory, recursive: true);
        }

        bool resume = latest is not null;
        if (latest is not null)
        {
            await store.DownloadFolderAsync(new BlobPath(ArtifactPaths.Runs, latest.Folder), runDirectory, cancellationToken);
            Resuming(logger, job.RunId, latest.OptimizerSteps);
        }

        var training = JsonSerializer.Deserialize<TrainingOptions>(job.Paths.Options!, PipelineJson.Options)! with { Device = options.Device };
        var observer = new TrainingJobObserver(heartbeat, training.Epochs, directory => UploadCheckpoint(job, directory), logger);
        var request = new TrainingRequest
        {
            BaseModel = baseModel, TrainData = train, DevData = dev, Options = training, OutputDirectory = runDirectory, Resume = resume, Overwrite = true,
            Checkpoints = options.Checkpoints,
        };
        var result = await OnThread(() => TrainingRun.Execute(request, observer, message => Log(logger, job.RunId, message), cancellationToken), cancellationToken);
        switch (result.Status)
        {
            case TrainingRunStatus.Interrupted:
                throw new OperationCanceledException("training was interrupted");
            case TrainingRunStatus.Failed:
                throw new JobFailedException(result.Error ?? "training failed");
        }

        foreach (string report in RunReportFiles.Where(f => File.Exists(Path.Combine(runDirectory, f))))
        {
            await store.UploadFileAsync(Path.Combine(runDirectory, report), ArtifactPaths.RunFile(job.RunId, report), cancellationToken);
        }

        await store.UploadFolderAsync(runDirectory, modelFolder, name => !name.StartsWith("checkpoints/", StringComparison.Ordinal), cancellationToken);
        return Summary(result.Metrics!);
    }

    private async Task<JsonNode> ExportAsync(TrainerJob job, CancellationToken cancellationToken)
    {
        var exportFolder = ArtifactPaths.ExportFolder(job.RunId);
        var variants = (job.Paths.Variants ?? ["fused"]).Select(v => Enum.Parse<OnnxVariant>(v, ignoreCase: true)).ToList();
        if (!await store.ExistsAsync(exportFolder, cancellationToken))
        {
            string model = await StageFolderAsync(ArtifactPaths.ModelFolder(job.RunId), Scratch(job, "model"), cancellationToken);
            string dev = await DownloadAsync(new BlobPath(ArtifactPaths.Runs, job.Paths.DevData!), Scratch(job, "dev.jsonl"), cancellationToken);
            string? calibration = variants.Contains(OnnxVariant.Int8) && job.Paths.TrainData is { } trainBlob
                ? await DownloadAsync(new BlobPath(ArtifactPaths.Runs, trainBlob), Scratch(job, "train.jsonl"), cancellationToken)
                : null;
            string output = Scratch(job, "export");
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }

            await OnThread(() => Expected(() => OnnxExporter.Export(model, output, variants, dev, message => Log(logger, job.RunId, message), calibration,
                cancellationToken: cancellationToken)), cancellationToken);
            await store.UploadFolderAsync(output, exportFolder, cancellationToken: cancellationToken);
        }

        return new JsonObject { ["folder"] = exportFolder.ToString(), ["variants"] = new JsonArray([.. variants.Select(v => JsonValue.Create(v.ToString().ToLowerInvariant()))]) };
    }

    /// <summary>
    /// Uploads the run directory (best model, metrics so far, checkpoints/last) whole into a folder of its own, then moves
    /// the pointer to it and drops the previous one: at every moment the pointer names a complete checkpoint.
    /// </summary>
    private void UploadCheckpoint(TrainerJob job, string runDirectory)
    {
        try
        {
            int steps = TrainerState.Load(new RunLayout(runDirectory).CheckpointState).OptimizerSteps;
            var folder = ArtifactPaths.CheckpointFolder(job.RunId, steps);
            var pointer = ArtifactPaths.CheckpointPointer(job.RunId);
            var previous = store.ReadJsonAsync<CheckpointPointer>(pointer).GetAwaiter().GetResult()?.Value;
            store.UploadFolderAsync(runDirectory, folder).GetAwaiter().GetResult();
            store.WriteJsonAsync(pointer, new CheckpointPointer(folder.Name, steps)).GetAwaiter().GetResult();
            if (previous is not null && previous.Folder != folder.Name)
            {
                store.DeleteFolderAsync(new BlobPath(ArtifactPaths.Runs, previous.Folder)).GetAwaiter().GetResult();
            }

            CheckpointSaved(logger, job.RunId, steps);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or IOException or HttpRequestException)
        {
            CheckpointFailed(logger, job.RunId, e.Message);
        }
    }

    private async Task<TokenizedDataset> ReadShardAsync(string blob, CancellationToken cancellationToken)
    {
        var bytes = await store.ReadBytesAsync(new BlobPath(ArtifactPaths.Tokens, blob), cancellationToken);
        var pairs = new List<EncodedPair>();
        var labels = new List<int>();
        foreach (var (_, label, pair) in EncodedPairJsonlReader.Read(new StringReader(System.Text.Encoding.UTF8.GetString(bytes)), blob))
        {
            pairs.Add(pair);
            labels.Add(label ?? throw new JobFailedException($"tokens/{blob}: a pair has no label"));
        }

        // The shard's key already identifies dataset, vocabulary and max length: it is the data's identity for resuming.
        return new TokenizedDataset($"tokens/{blob}", blob, pairs, labels);
    }

    private async Task<string> StageFolderAsync(BlobPath folder, string directory, CancellationToken cancellationToken)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        await store.DownloadFolderAsync(folder, directory, cancellationToken);
        return directory;
    }

    private async Task<string> DownloadAsync(BlobPath blob, string file, CancellationToken cancellationToken)
    {
        await store.DownloadFileAsync(blob, file, cancellationToken);
        return file;
    }

    private string Scratch(TrainerJob job, string name) => Path.Combine(options.ScratchDirectory, job.RunId, name);

    private static JsonObject Summary(RunMetrics metrics) => new JsonObject
    {
        ["bestEpoch"] = metrics.BestEpoch,
        ["accuracy"] = metrics.Best?.Evaluation.Metrics.Accuracy,
        ["f1"] = metrics.Best?.Evaluation.Metrics.F1,
        ["trainingSeconds"] = metrics.TrainingSeconds,
        ["device"] = metrics.Device,
    };

    /// <summary>LibTorch work runs on a thread of its own, not the thread pool.</summary>
    private static Task<T> OnThread<T>(Func<T> work, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Failures that say the input is wrong become job failures (not retried); anything else may be transient.</summary>
    private static T Expected<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (Exception e) when (e is ModelFormatException or TrainingException or TokenizationException or Core.Datasets.DatasetException or ArgumentException
            or Training.Runtime.LibTorchUnavailableException or FileNotFoundException or DirectoryNotFoundException)
        {
            throw new JobFailedException(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{RunId}: {Message}")]
    private static partial void Log(ILogger logger, string runId, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "{RunId}: resuming from the last checkpoint in the artifact store (step {Step})")]
    private static partial void Resuming(ILogger logger, string runId, int step);

    [LoggerMessage(Level = LogLevel.Information, Message = "{RunId}: checkpoint saved to the artifact store (step {Step})")]
    private static partial void CheckpointSaved(ILogger logger, string runId, int step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{RunId}: checkpoint upload failed, the next one will try again: {Reason}")]
    private static partial void CheckpointFailed(ILogger logger, string runId, string reason);
}
