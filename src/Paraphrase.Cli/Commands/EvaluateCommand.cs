using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Paraphrase.Cli.Console;
using Paraphrase.Cli.Settings;
using Paraphrase.Core.Collation;
using Paraphrase.Core.Datasets;
using Paraphrase.Core.IO;
using Paraphrase.Core.Tokenization;
using Paraphrase.Training;
using Paraphrase.Training.Checkpoints;
using Paraphrase.Training.FineTuning;
using Paraphrase.Training.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;
using TorchSharp;

namespace Paraphrase.Cli.Commands;

[Description("Score a fine-tuned model on labelled pairs: loss, accuracy, F1, precision, recall, confusion matrix.")]
public sealed class EvaluateCommand : Command<EvaluateCommand.Options>
{
    public sealed class Options : DatasetSettings
    {
        [CommandOption("-m|--model <DIR>")]
        [Description("A model directory (a training run directory works).")]
        public string? Model { get; init; }

        [CommandOption("-d|--data <FILE>")]
        [Description("Labelled pairs (.tsv/.csv/.jsonl).")]
        public string? Data { get; init; }

        [CommandOption("-o|--output <FILE>")]
        [Description("Also write the metrics as JSON.")]
        public string? Output { get; init; }

        [CommandOption("--batch-size <N>")]
        [DefaultValue(32)]
        public int BatchSize { get; init; } = 32;

        [CommandOption("--device <DEVICE>")]
        [DefaultValue("auto")]
        public string Device { get; init; } = "auto";

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Model) || string.IsNullOrWhiteSpace(Data)
                ? ValidationResult.Error("--model and --data are required.")
                : BatchSize < 1 ? ValidationResult.Error("--batch-size must be at least 1.") : base.Validate();
    }

    public override int Execute(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        var device = LibTorchRuntime.ResolveDevice(settings.Device);
        var loaded = HuggingFaceDirectory.Load(settings.Model!, headMayBeMissing: false, Terminal.Info);
        using var model = loaded.Model;
        model.to(device);
        var tokenizer = new BertWordPieceTokenizer(loaded.Vocabulary, new BertTokenizerOptions { MaxLength = model.Config.MaxSequenceLength });
        var data = TokenizedDataset.From(DatasetReader.Read(settings.Data!, settings.ToDatasetOptions(requireLabels: true)), tokenizer);
        var result = Evaluator.Evaluate(model, data, settings.BatchSize, device, tokenizer.PaddingId, cancellationToken: cancellationToken);
        var m = result.Metrics;

        var table = new Table().Title(Markup.Escape(settings.Data!)).AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        table.AddRow("pairs", m.Count.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("loss", F(result.Loss));
        table.AddRow("accuracy", F(m.Accuracy));
        table.AddRow("F1", F(m.F1));
        table.AddRow("precision", F(m.Precision));
        table.AddRow("recall", F(m.Recall));
        table.AddRow("true / false negatives", $"{m.Confusion[0][0]:N0} / {m.Confusion[1][0]:N0}");
        table.AddRow("true / false positives", $"{m.Confusion[1][1]:N0} / {m.Confusion[0][1]:N0}");
        Terminal.Out.Write(table);

        if (settings.Output is not null)
        {
            var document = new { count = m.Count, loss = result.Loss, accuracy = m.Accuracy, f1 = m.F1, precision = m.Precision, recall = m.Recall, confusion = m.Confusion };
            AtomicFile.WriteAsync(settings.Output, stream => JsonSerializer.SerializeAsync(stream, document, JsonDefaults.Options), cancellationToken).GetAwaiter().GetResult();
        }

        return 0;
    }
}
