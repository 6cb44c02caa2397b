using System.Text.Json;

namespace Paraphrase.Core.Datasets;

/// <summary>One JSON object a line; blank lines are ignored. Labels may be numbers or strings.</summary>
internal static class JsonlRowReader
{
    public static IEnumerable<RawRow> Read(Utf8LineReader lines, string file, DatasetOptions options)
    {
        bool any = false;
        while (lines.ReadLine() is { } line)
        {
            any = true;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return Parse(line, lines.LineNumber, file, options);
        }

        if (!any)
        {
            throw new DatasetException(new DatasetIssue(file, null, null, "the file is empty; expected one JSON object a line"));
        }
    }

    private static RawRow Parse(string line, int lineNumber, string file, DatasetOptions options)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            return RawRow.Broken(lineNumber, new DatasetIssue(file, lineNumber, null,
                $"not valid JSON ({e.Message.Split(" Path:")[0].TrimEnd('.')})"));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return RawRow.Broken(lineNumber, new DatasetIssue(file, lineNumber, null, $"expected a JSON object, found {root.ValueKind}"));
            }

            string? Text(string name, bool numberAllowed, out DatasetIssue? problem)
            {
                problem = null;
                if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    return null;
                }

                if (value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString();
                }

                if (numberAllowed && value.ValueKind == JsonValueKind.Number)
                {
                    return value.GetRawText();
                }

                problem = new DatasetIssue(file, lineNumber, name, $"expected a string, found {value.ValueKind}");
                return null;
            }

            var s1 = Text(options.Sentence1Column, false, out var p1);
            var s2 = Text(options.Sentence2Column, false, out var p2);
            var label = Text(options.LabelColumn, true, out var p3);
            var problem = p1 ?? p2 ?? p3;
            return problem is null ? new RawRow(lineNumber, s1, s2, label) : RawRow.Broken(lineNumber, problem);
        }
    }
}
