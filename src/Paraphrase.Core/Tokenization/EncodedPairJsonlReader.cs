using System.Text.Json;

namespace Paraphrase.Core.Tokenization;

/// <summary>
/// Reads the token files that <see cref="EncodedPairJsonl"/> writes, in order. Whether a pair was truncated is
/// not part of the format, so it reads back as false.
/// </summary>
public static class EncodedPairJsonlReader
{
    public static IEnumerable<(int Index, int? Label, EncodedPair Pair)> Read(TextReader reader, string source)
    {
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            yield return Parse(line, source, lineNumber);
        }
    }

    private static (int, int?, EncodedPair) Parse(string line, string source, int lineNumber)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            int? label = root.TryGetProperty("label", out var l) ? l.GetInt32() : null;
            return (root.GetProperty("idx").GetInt32(), label,
                new EncodedPair(Ints(root.GetProperty("input_ids")), Ints(root.GetProperty("token_type_ids")), Truncated: false));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new TokenizationException($"{source}:{lineNumber}: not a token line ({e.Message}).");
        }
    }

    private static int[] Ints(JsonElement array)
    {
        var values = new int[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            values[i++] = item.GetInt32();
        }

        return values;
    }
}
