namespace Paraphrase.Core.Datasets;

/// <summary>Reads and validates a sentence-pair file (TSV, CSV or JSONL).</summary>
public static class DatasetReader
{
    private const int MaxIssuesKept = 1000;

    public static SentencePairDataset Read(string path, DatasetOptions? options = null)
    {
        options ??= new DatasetOptions();
        var format = ResolveFormat(path, options.Format);
        Stream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException(new DatasetIssue(path, null, null, $"cannot open the file: {e.Message}"));
        }

        return Read(stream, path, format, options);
    }

    /// <param name="source">The name used in messages (usually the path).</param>
    public static SentencePairDataset Read(Stream stream, string source, DatasetFormat format, DatasetOptions? options = null)
    {
        options ??= new DatasetOptions();
        if (format == DatasetFormat.Auto)
        {
            format = ResolveFormat(source, format);
        }

        using var lines = new Utf8LineReader(stream, source, options.MaxLineBytes);
        var rows = format switch
        {
            DatasetFormat.Tsv => TsvRowReader.Read(lines, source, options),
            DatasetFormat.Csv => CsvRowReader.Read(lines, source, options),
            _ => JsonlRowReader.Read(lines, source, options),
        };

        var pairs = new List<SentencePair>();
        var issues = new List<DatasetIssue>();
        int skipped = 0;
        foreach (var row in rows)
        {
            if (pairs.Count >= options.FirstPairsOnly)
            {
                break;
            }

            if (pairs.Count + skipped >= options.MaxRows)
            {
                throw new DatasetException(new DatasetIssue(source, row.Line, null,
                    $"the file has more than {options.MaxRows:N0} rows; split it or raise the limit with --max-rows"));
            }

            SentencePair? pair = null;
            var problem = row.Problem ?? Validate(row, source, options, out pair);
            if (pair is not null)
            {
                pairs.Add(pair);
                continue;
            }

            problem ??= new DatasetIssue(source, row.Line, null, "the row could not be read");

            if (options.OnBadRow == BadRowPolicy.Fail)
            {
                throw new DatasetException(problem with { Reason = problem.Reason + " (or use --skip-bad-rows to leave such rows out)" });
            }

            skipped++;
            if (issues.Count < MaxIssuesKept)
            {
                issues.Add(problem);
            }
        }

        if (pairs.Count == 0)
        {
            string reason = skipped == 0
                ? "the file has no sentence pairs, only a header or blank lines"
                : $"all {skipped} rows are bad; the first: {issues[0]}";
            throw new DatasetException(new DatasetIssue(source, null, null, reason));
        }

        return new SentencePairDataset(source, format, pairs, skipped, issues);
    }

    /// <summary>The format named by the extension: .tsv, .csv, .jsonl/.ndjson/.json.</summary>
    public static DatasetFormat ResolveFormat(string path, DatasetFormat requested)
    {
        if (requested != DatasetFormat.Auto)
        {
            return requested;
        }

        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".tsv" or ".tab" => DatasetFormat.Tsv,
            ".csv" => DatasetFormat.Csv,
            ".jsonl" or ".ndjson" or ".json" => DatasetFormat.Jsonl,
            var other => throw new DatasetException(new DatasetIssue(path, null, null,
                $"cannot tell the format from the extension '{other}'; use .tsv, .csv or .jsonl, or pass --format")),
        };
    }

    private static DatasetIssue? Validate(RawRow row, string file, DatasetOptions options, out SentencePair? pair)
    {
        pair = null;
        var s1Problem = CheckSentence(row.Sentence1, options.Sentence1Column, row.Line, file);
        if (s1Problem is not null)
        {
            return s1Problem;
        }

        var s2Problem = CheckSentence(row.Sentence2, options.Sentence2Column, row.Line, file);
        if (s2Problem is not null)
        {
            return s2Problem;
        }

        int? label = null;
        if (row.Label is null)
        {
            if (options.RequireLabels)
            {
                return new DatasetIssue(file, row.Line, options.LabelColumn, "the label is missing");
            }
        }
        else
        {
            var labelText = row.Label.Trim();
            if (options.LabelMap is { } map && map.TryGetValue(labelText, out int mapped))
            {
                label = mapped;
            }
            else if (labelText is "0" or "1")
            {
                label = labelText[0] - '0';
            }
            else
            {
                string known = options.LabelMap is { Count: > 0 } m ? $"0, 1 or {string.Join(", ", m.Keys.Select(k => $"'{k}'"))}" : "0 or 1";
                return new DatasetIssue(file, row.Line, options.LabelColumn,
                    $"the label '{Shorten(row.Label)}' is not {known}; map other spellings with --label-map name=0,name=1");
            }
        }

        pair = new SentencePair(row.Sentence1!, row.Sentence2!, label, row.Line);
        return null;
    }

    private static DatasetIssue? CheckSentence(string? sentence, string field, int line, string file) => sentence switch
    {
        null => new DatasetIssue(file, line, field, "the sentence is missing"),
        _ when string.IsNullOrWhiteSpace(sentence) => new DatasetIssue(file, line, field, "the sentence is empty"),
        _ => null,
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
