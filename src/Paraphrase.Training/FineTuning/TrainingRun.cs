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
/// One fine-tuning run from a request to a filled run directory: the base model resolved and loaded, the data read and
/// tokenized, <see cref="FineTuner"/> run, metrics.json and the report written. What <c>paraphrase train</c> and the
/// pipeline's training step call. Expected failures and interruptions come back as a status, not as exceptions.
/// </summary>
public static class TrainingRun
{
    /// <param name="log">Lines worth showing a person (what was loaded, notes on the options).</param>
    /// <param name="cancellationToken">Interrupts the run at the next optimizer step, after saving a checkpoint.</param>
    public static TrainingRunResult Execute(TrainingRequest request, ITrainingObserver observer, Action<string>? log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(observer);
        var layout = new RunLayout(request.OutputDirectory);
        try
        {
            return Run(request, layout, observer, log, cancellationToken);
        }
        catch (Exception e) when (e is DatasetException or TokenizationException or ModelFormatException or TrainingException
            or LibTorchUnavailableException or InvalidDataException or ArgumentException)
        {
            return new TrainingRunResult(TrainingRunStatus.Failed, null, layout, e.Message);
        }
    }

    private static TrainingRunResult Run(TrainingRequest request, RunLayout layout, ITrainingObserver observer, Action<string>? log,
        CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        var options = request.Options;
        options.Validate();
        CheckOutput(request, layout);
        var device = LibTorchRuntime.ResolveDevice(options.Device);
        if (options.Bf16 && device.type != DeviceType.CUDA)
        {
            log?.Invoke("Note: bf16 on the CPU is correct but usually slower than float32; it is meant for GPUs.");
        }

        string baseModel = PretrainedModelSource.Resolve(request.BaseModel, log);
        // Seeds the new classifier head, which the load initialises.
        manual_seed((long)options.Seed);
        var loaded = HuggingFaceDirectory.Load(baseModel, headMayBeMissing: true, log);
        using var model = loaded.Model;
        var tokenizer = new BertWordPieceTokenizer(loaded.Vocabulary, new BertTokenizerOptions { MaxLength = options.MaxLength ?? model.Config.MaxSequenceLength });
        var datasetOptions = request.Dataset with { RequireLabels = true };
        var train = request.TrainData is { } trainData ? First(trainData, options.MaxTrainPairs)
            : Read(request.TrainFile ?? throw new ArgumentException("No training data: give TrainFile or TrainData."), datasetOptions, tokenizer, options.MaxTrainPairs);
        var dev = request.DevData
            ?? Read(request.DevFile ?? throw new ArgumentException("No dev data: give DevFile or DevData."), datasetOptions, tokenizer, take: null);
        log?.Invoke($"Base model {request.BaseModel}: {model.Config.NumHiddenLayers} layers × {model.Config.HiddenSize}; {train.Count:N0} training pairs, {dev.Count:N0} dev pairs.");
        model.to(device);
        if (!request.Resume && request.Overwrite && Directory.Exists(layout.Directory))
        {
            // Only now: a request that fails to load its model or data leaves the previous run in place.
            Directory.Delete(layout.Directory, recursive: true);
        }

        TrainerState state;
        string status = RunMetrics.Completed;
        try
        {
            state = new FineTuner(options, observer, request.Checkpoints).Run(model, loaded.Vocabulary, train, dev, layout, device, request.Resume, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = RunMetrics.Interrupted;
            state = TrainerState.Load(layout.CheckpointState);
        }

        using var process = Process.GetCurrentProcess();
        var metrics = new RunMetrics(status, request.BaseModel, Summary(train), Summary(dev), options, device.ToString(), state.History, state.BestEpoch,
            options.BestMetric, state.BestValue, state.StepLosses, state.TrainingSeconds, wall.Elapsed.TotalSeconds, process.PeakWorkingSet64);
        metrics.Save(layout.Metrics);
        RunReport.Write(layout, metrics);
        return new TrainingRunResult(status == RunMetrics.Completed ? TrainingRunStatus.Completed : TrainingRunStatus.Interrupted, metrics, layout, null);
    }

    /// <summary>Refuses, before anything is loaded, a resume without a checkpoint and a new run over an existing one.</summary>
    private static void CheckOutput(TrainingRequest request, RunLayout layout)
    {
        if (string.IsNullOrWhiteSpace(request.OutputDirectory))
        {
            throw new ArgumentException("The output directory is empty; name the run directory to write.");
        }

        if (request.Resume)
        {
            if (!layout.HasCheckpoint)
            {
                throw new ArgumentException($"{layout.Directory} has no checkpoint to resume from; drop --resume to start a new run.");
            }

            return;
        }

        bool exists = Directory.Exists(layout.Directory) && Directory.EnumerateFileSystemEntries(layout.Directory).Any();
        if (exists && !request.Overwrite)
        {
            throw new ArgumentException($"{layout.Directory} already exists and is not empty; use --resume to continue it, --overwrite to replace it, or another --output.");
        }
    }

    private static TokenizedDataset Read(string file, DatasetOptions options, BertWordPieceTokenizer tokenizer, int? take) =>
        TokenizedDataset.From(DatasetReader.Read(file, options), tokenizer, take);

    /// <summary>The first <paramref name="count"/> pairs, identified as <see cref="TokenizedDataset.From"/> identifies a truncated file.</summary>
    private static TokenizedDataset First(TokenizedDataset data, int? count) =>
        count is int n
            ? data with { Pairs = [.. data.Pairs.Take(n)], Labels = [.. data.Labels.Take(n)], ContentHash = $"{data.ContentHash}:first{Math.Min(n, data.Count)}" }
            : data;

    private static DatasetSummary Summary(TokenizedDataset data) => new(data.Source, data.ContentHash, data.Count);
}
