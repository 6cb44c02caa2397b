using System.ComponentModel;
using System.Globalization;
using Paraphrase.Cli.Console;
using Paraphrase.Cli.Settings;
using Paraphrase.Training.FineTuning;
using Spectre.Console;
using Spectre.Console.Cli;

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
        var report = ModelEvaluation.Evaluate(settings.Model!, settings.Data!, settings.ToDatasetOptions(requireLabels: true), settings.BatchSize,
            settings.Device, Terminal.Info, cancellationToken);

        var table = new Table().Title(Markup.Escape(settings.Data!)).AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        table.AddRow("pairs", report.Count.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("loss", F(report.Loss));
        table.AddRow("accuracy", F(report.Accuracy));
        table.AddRow("F1", F(report.F1));
        table.AddRow("precision", F(report.Precision));
        table.AddRow("recall", F(report.Recall));
        table.AddRow("true / false negatives", $"{report.Confusion[0][0]:N0} / {report.Confusion[1][0]:N0}");
        table.AddRow("true / false positives", $"{report.Confusion[1][1]:N0} / {report.Confusion[0][1]:N0}");
        Terminal.Out.Write(table);
        if (settings.Output is not null)
        {
            report.Save(settings.Output);
        }

        return 0;
    }
}
