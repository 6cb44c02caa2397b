using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Paraphrase.Cli.Console;
using Paraphrase.Cli.Settings;
using Paraphrase.Core.Datasets;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Paraphrase.Cli.Commands;

[Description("Validate a sentence-pair file and show its statistics: rows, label balance, token lengths, content hash.")]
public sealed class DataInspectCommand : Command<DataInspectCommand.Options>
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public sealed class Options : TokenizerSettings
    {
        [CommandOption("--json")]
        [Description("Print the statistics as JSON instead of a table.")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Options options, CancellationToken cancellationToken)
    {
        var tokenizer = options.CreateTokenizer();
        var dataset = DatasetReader.Read(options.Input!, options.ToDatasetOptions(requireLabels: false));
        var stats = DatasetStatistics.Compute(dataset, tokenizer);
        if (options.Json)
        {
            var document = new { source = dataset.Source, format = dataset.Format.ToString().ToLowerInvariant(), statistics = stats };
            Terminal.Raw(JsonSerializer.Serialize(document, JsonOptions));
            return 0;
        }

        Terminal.Out.Write(BuildTable(dataset, stats, tokenizer.Vocabulary.Source));
        foreach (var issue in dataset.Issues.Take(10))
        {
            Terminal.Info($"skipped {issue}");
        }

        return 0;
    }

    private static Table BuildTable(SentencePairDataset dataset, DatasetStatistics stats, string vocabulary)
    {
        var table = new Table().Title($"[bold]{Markup.Escape(dataset.Source)}[/]")
            .AddColumn("statistic").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("format", dataset.Format.ToString().ToLowerInvariant());
        table.AddRow("pairs", stats.Rows.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("skipped rows", stats.SkippedRows.ToString("N0", CultureInfo.InvariantCulture));
        if (stats.Unlabelled == stats.Rows)
        {
            table.AddRow("labels", "none");
        }
        else
        {
            table.AddRow("paraphrase (1)", $"{stats.Positives:N0} ({stats.PositiveFraction:P1})");
            table.AddRow("not paraphrase (0)", $"{stats.Negatives:N0} ({1 - stats.PositiveFraction:P1})");
        }

        var lengths = stats.TokenLengths;
        table.AddRow("tokens: mean", lengths.Mean.ToString("F1", CultureInfo.InvariantCulture));
        table.AddRow("tokens: p50/p90/p95/p99", $"{lengths.P50}/{lengths.P90}/{lengths.P95}/{lengths.P99}");
        table.AddRow("tokens: max", lengths.Max.ToString(CultureInfo.InvariantCulture));
        table.AddRow("pairs over 128/512 tokens", $"{lengths.Over128:N0}/{lengths.Over512:N0}");
        table.AddRow("vocabulary", Markup.Escape(vocabulary));
        table.AddRow("content sha256", stats.ContentHash);
        return table;
    }
}
