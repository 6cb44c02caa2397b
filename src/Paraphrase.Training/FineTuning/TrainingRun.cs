using System.Diagnostics;
using Paraphrase.Core.Artifacts;
using Paraphrase.Core.Collation;
using Paraphrase.Core.Datasets;
using Paraphrase.Core.Tokenization;
using Paraphrase.Training.Checkpoints;
using Paraphrase.Training.Import;
using Paraphrase.Training.Modeling;
using Paraphrase.Training.Reporting;
using Paraphrase.Training.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Paraphrase.Training.FineTuning;

/// <summary>
/// A fine-tuning run from request to result — the library entry point that the CLI, the trainer worker and tests call:
/// resolve and load the base model, seed, tokenize, train on the device, and write metrics.json and the report. An
/// interruption (cancellation) and an input the run cannot use are statuses, not exceptions.
/// </summary>
public static class TrainingRun
{
    public static TrainingRunResult Execute(TrainingRequest request, ITrainingObserver observer, Action<string>? log, CancellationToken cancellationToken)
    {
        var run = new RunLayout(request.OutputDirectory);
        try
        {
            return Run(request, run, observer, log, cancellationToken);
        }
        catch (Exception e) when (e is DatasetException or TokenizationException or ModelFormatException or TrainingException or ArgumentException
            or LibTorchUnavailableException or FileNotFoundException or DirectoryNotFoundException)
        {
            return new TrainingRunResult(TrainingRunStatus.Failed, null, run, e.Message);
        }
    }

    private static TrainingRunResult Run(TrainingRequest request, RunLayout run, ITrainingObserver observer, Action<string>? log, CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        var options = request.Options;
        options.Validate();
        PrepareOutput(run, request);
        var device = LibTorchRuntime.ResolveDevice(options.Device);
        if (options.Bf16 && device.type != DeviceType.CUDA)
        {
            log?.Invoke("Note: bf16 on the CPU is correct but usually slower than float32; it is meant for GPUs.");
        }

        string baseModel = PretrainedModelSource.Resolve(request.BaseModel, log);
        manual_seed((long)options.Seed);
        var loaded = HuggingFaceDirectory.Load(baseModel, headMayBeMissing: true, log);
        using var model = loaded.Model;
        var tokenizer = new BertWordPieceTokenizer(loaded.Vocabulary, new BertTokenizerOptions { MaxLength = options.MaxLength ?? model.Config.MaxSequenceLength });
        var datasetOptions = request.Dataset with { RequireLabels = true };
        var train = request.TrainData is { } given
            ? Take(given, options.MaxTrainPairs)
            : TokenizedDataset.From(DatasetReader.Read(Required(request.TrainFile, "a train file"), datasetOptions), tokenizer, options.MaxTrainPairs);
        var dev = request.DevData ?? TokenizedDataset.From(DatasetReader.Read(Required(request.DevFile, "a dev file"), datasetOptions), tokenizer);
        log?.Invoke($"Base model {request.BaseModel}: {model.Config.NumHiddenLayers} layers × {model.Config.HiddenSize}; {train.Count:N0} training pairs, {dev.Count:N0} dev pairs.");
        model.to(device);

        TrainerState state;
        string status = RunMetrics.Completed;
        try
        {
            state = new FineTuner(options, observer).Run(model, loaded.Vocabulary, train, dev, run, device, request.Resume, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            status = RunMetrics.Interrupted;
            state = TrainerState.Load(run.CheckpointState);
        }

        var metrics = new RunMetrics(status, request.BaseModel, new DatasetSummary(train.Source, train.ContentHash, train.Count),
            new DatasetSummary(dev.Source, dev.ContentHash, dev.Count), options, device.ToString(), state.History, state.BestEpoch,
            options.BestMetric, state.BestValue, state.StepLosses, state.TrainingSeconds, wall.Elapsed.TotalSeconds,
            Process.GetCurrentProcess().PeakWorkingSet64);
        metrics.Save(run.Metrics);
        RunReport.Write(run, metrics);
        return new TrainingRunResult(status == RunMetrics.Completed ? TrainingRunStatus.Completed : TrainingRunStatus.Interrupted, metrics, run, null);
    }

    /// <summary>The first <paramref name="count"/> pairs (a quick run), named as <see cref="TokenizedDataset.From"/> names them.</summary>
    private static TokenizedDataset Take(TokenizedDataset data, int? count) => count is not int n ? data
        : new TokenizedDataset(data.Source, $"{data.ContentHash}:first{Math.Min(n, data.Count)}", [.. data.Pairs.Take(n)], [.. data.Labels.Take(n)]);

    private static string Required(string? file, string what) =>
        file ?? throw new ArgumentException($"the training request names no {what} and carries no tokenized data for it");

    private static void PrepareOutput(RunLayout run, TrainingRequest request)
    {
        bool exists = Directory.Exists(run.Directory) && Directory.EnumerateFileSystemEntries(run.Directory).Any();
        if (request.Resume)
        {
            if (!run.HasCheckpoint)
            {
                throw new ArgumentException($"{run.Directory} has no checkpoint to resume from; drop --resume to start a new run.");
            }

            return;
        }

        if (exists && !request.Overwrite)
        {
            throw new ArgumentException($"{run.Directory} already exists and is not empty; use --resume to continue it, --overwrite to replace it, or another --output.");
        }

        if (exists)
        {
            Directory.Delete(run.Directory, recursive: true);
        }
    }
}
