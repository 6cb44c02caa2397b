using System.ComponentModel;
using Paraphrase.Core.Datasets;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Paraphrase.Cli.Settings;

/// <summary>How sentence-pair files are read: shared by every command that reads one.</summary>
public class DatasetSettings : GlobalSettings
{
    [CommandOption("--format <FORMAT>")]
    [Description("auto (from the extension), tsv, csv or jsonl.")]
    [DefaultValue("auto")]
    public string Format { get; init; } = "auto";

    [CommandOption("--sentence1-column <NAME>")]
    [Description("Column or JSON field of the first sentence.")]
    [DefaultValue("sentence1")]
    public string Sentence1Column { get; init; } = "sentence1";

    [CommandOption("--sentence2-column <NAME>")]
    [Description("Column or JSON field of the second sentence.")]
    [DefaultValue("sentence2")]
    public string Sentence2Column { get; init; } = "sentence2";

    [CommandOption("--label-column <NAME>")]
    [Description("Column or JSON field of the label (0/1). Optional here: unlabelled files are accepted.")]
    [DefaultValue("label")]
    public string LabelColumn { get; init; } = "label";

    [CommandOption("--label-map <MAP>")]
    [Description("Other label spellings, e.g. \"paraphrase=1,different=0\".")]
    public string? LabelMap { get; init; }

    [CommandOption("--skip-bad-rows")]
    [Description("Leave out invalid rows (and count them) instead of stopping at the first.")]
    public bool SkipBadRows { get; init; }

    [CommandOption("--max-line-bytes <N>")]
    [Description("Longest accepted line in bytes.")]
    [DefaultValue(1 << 20)]
    public int MaxLineBytes { get; init; } = 1 << 20;

    [CommandOption("--max-rows <N>")]
    [Description("Most rows accepted from one file.")]
    [DefaultValue(5_000_000)]
    public int MaxRows { get; init; } = 5_000_000;

    public override ValidationResult Validate()
    {
        if (!Enum.TryParse<DatasetFormat>(Format, ignoreCase: true, out _))
        {
            return ValidationResult.Error($"--format '{Format}' is not known; use auto, tsv, csv or jsonl.");
        }

        if (MaxLineBytes < 1 || MaxRows < 1)
        {
            return ValidationResult.Error("--max-line-bytes and --max-rows must be positive.");
        }

        return ParseLabelMap(LabelMap, out _) ?? base.Validate();
    }

    public DatasetOptions ToDatasetOptions(bool requireLabels)
    {
        ParseLabelMap(LabelMap, out var map);
        return new DatasetOptions
        {
            Format = Enum.Parse<DatasetFormat>(Format, ignoreCase: true),
            Sentence1Column = Sentence1Column,
            Sentence2Column = Sentence2Column,
            LabelColumn = LabelColumn,
            LabelMap = map,
            RequireLabels = requireLabels,
            OnBadRow = SkipBadRows ? BadRowPolicy.Skip : BadRowPolicy.Fail,
            MaxLineBytes = MaxLineBytes,
            MaxRows = MaxRows,
        };
    }

    private static ValidationResult? ParseLabelMap(string? text, out Dictionary<string, int>? map)
    {
        map = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = entry.LastIndexOf('=');
            if (equals <= 0 || entry[(equals + 1)..] is not ("0" or "1"))
            {
                return ValidationResult.Error($"--label-map entry '{entry}' should look like name=0 or name=1.");
            }

            map[entry[..equals]] = entry[^1] - '0';
        }

        return null;
    }
}
