using System.Text;

namespace Paraphrase.Core.Datasets;

/// <summary>RFC 4180 rows under a header: fields in double quotes may hold commas, line breaks and doubled quotes.</summary>
internal static class CsvRowReader
{
    public static IEnumerable<RawRow> Read(Utf8LineReader lines, string file, DatasetOptions options)
    {
        var header = ReadRecord(lines, file) ?? throw TsvRowReader.EmptyFile(file);
        if (header.Problem is not null)
        {
            throw new DatasetException(header.Problem);
        }

        var layout = ColumnLayout.Resolve(header.Fields, options, file);
        while (ReadRecord(lines, file) is { } record)
        {
            if (record.Problem is not null)
            {
                yield return RawRow.Broken(record.Line, record.Problem);
            }
            else if (record.Fields is not [""])
            {
                yield return layout.ToRow(record.Line, record.Fields, file);
            }
        }
    }

    private sealed record Record(int Line, string[] Fields, DatasetIssue? Problem = null);

    private static Record? ReadRecord(Utf8LineReader lines, string file)
    {
        var line = lines.ReadLine();
        if (line is null)
        {
            return null;
        }

        int startLine = lines.LineNumber;
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, wasQuoted = false;
        int i = 0;
        while (true)
        {
            if (i == line.Length)
            {
                if (!quoted)
                {
                    fields.Add(field.ToString());
                    return new Record(startLine, [.. fields]);
                }

                // A quoted field continues on the next line.
                line = lines.ReadLine() ?? throw new DatasetException(new DatasetIssue(file, startLine, null,
                    "a quoted field opened on this line is never closed; add the closing double quote"));
                field.Append('\n');
                i = 0;
                continue;
            }

            char c = line[i++];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i < line.Length && line[i] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                    if (i < line.Length && line[i] != ',')
                    {
                        return Problem(lines, file, startLine, $"text after the closing quote of field {fields.Count + 1}; quote the whole field and double inner quotes (\"\")");
                    }
                }
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                wasQuoted = false;
            }
            else if (c == '"')
            {
                if (field.Length > 0 || wasQuoted)
                {
                    return Problem(lines, file, startLine, $"a double quote inside unquoted field {fields.Count + 1}; quote the whole field and double inner quotes (\"\")");
                }

                quoted = wasQuoted = true;
            }
            else
            {
                field.Append(c);
            }
        }
    }

    private static Record Problem(Utf8LineReader lines, string file, int startLine, string reason) =>
        new(startLine, [], new DatasetIssue(file, lines.LineNumber, null, reason));
}
