namespace Paraphrase.Core.Datasets;

/// <summary>Tab-separated rows under a header. No quoting: a quote is part of the text, as in GLUE.</summary>
internal static class TsvRowReader
{
    public static IEnumerable<RawRow> Read(Utf8LineReader lines, string file, DatasetOptions options)
    {
        var header = lines.ReadLine() ?? throw EmptyFile(file);
        var layout = ColumnLayout.Resolve(header.Split('\t'), options, file);
        while (lines.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            yield return layout.ToRow(lines.LineNumber, line.Split('\t'), file);
        }
    }

    internal static DatasetException EmptyFile(string file) =>
        new(new DatasetIssue(file, null, null, "the file is empty; expected a header row and at least one sentence pair"));
}
