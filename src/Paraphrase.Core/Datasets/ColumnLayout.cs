namespace Paraphrase.Core.Datasets;

/// <summary>Where the sentence and label columns sit in a tabular file, found from its header row.</summary>
internal sealed record ColumnLayout(int Sentence1, int Sentence2, int? Label, int FieldCount)
{
    // GLUE MRPC's own header: Quality, #1 ID, #2 ID, #1 String, #2 String.
    private const string MrpcSentence1 = "#1 String", MrpcSentence2 = "#2 String", MrpcLabel = "Quality";

    public static ColumnLayout Resolve(string[] header, DatasetOptions options, string file)
    {
        var names = header.Select(h => h.Trim()).ToArray();
        bool isMrpc = names.Contains(MrpcSentence1) && names.Contains(MrpcSentence2);
        int sentence1 = Find(names, options.Sentence1Column, isMrpc ? MrpcSentence1 : null, file);
        int sentence2 = Find(names, options.Sentence2Column, isMrpc ? MrpcSentence2 : null, file);
        int? label = IndexOf(names, options.LabelColumn) ?? (isMrpc ? IndexOf(names, MrpcLabel) : null);
        if (label is null && options.RequireLabels)
        {
            throw new DatasetException(new DatasetIssue(file, 1, options.LabelColumn,
                $"no label column; the header has {Describe(names)}. Name it with --label-column."));
        }

        return new ColumnLayout(sentence1, sentence2, label, names.Length);
    }

    public RawRow ToRow(int line, string[] fields, string file)
    {
        if (fields.Length != FieldCount)
        {
            return RawRow.Broken(line, new DatasetIssue(file, line, null,
                $"expected {FieldCount} fields like the header, found {fields.Length}"));
        }

        return new RawRow(line, fields[Sentence1], fields[Sentence2], Label is int l ? fields[l] : null);
    }

    private static int Find(string[] names, string wanted, string? fallback, string file) =>
        IndexOf(names, wanted) ?? (fallback is null ? null : IndexOf(names, fallback))
        ?? throw new DatasetException(new DatasetIssue(file, 1, wanted,
            $"no such column; the header has {Describe(names)}. Name the columns with --sentence1-column/--sentence2-column."));

    private static int? IndexOf(string[] names, string wanted)
    {
        int index = Array.IndexOf(names, wanted);
        return index < 0 ? null : index;
    }

    private static string Describe(string[] names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
