using System.Globalization;
using System.Text;

namespace Paraphrase.Core.Tokenization;

/// <summary>
/// Token files, one JSON object a line in input order:
/// <c>{"idx": 0, "label": 1, "input_ids": [...], "token_type_ids": [...]}</c>
/// (label omitted for unlabelled data). The spacing is Python's <c>json.dumps</c>, so files compare
/// byte for byte with Hugging Face's reference output.
/// </summary>
public static class EncodedPairJsonl
{
    public static void AppendLine(StringBuilder line, int index, int? label, EncodedPair encoded)
    {
        line.Append("{\"idx\": ").Append(index.ToString(CultureInfo.InvariantCulture));
        if (label is int value)
        {
            line.Append(", \"label\": ").Append(value.ToString(CultureInfo.InvariantCulture));
        }

        line.Append(", \"input_ids\": ");
        AppendArray(line, encoded.InputIds);
        line.Append(", \"token_type_ids\": ");
        AppendArray(line, encoded.TokenTypeIds);
        line.Append("}\n");
    }

    private static void AppendArray(StringBuilder line, int[] values)
    {
        line.Append('[');
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                line.Append(", ");
            }

            line.Append(values[i].ToString(CultureInfo.InvariantCulture));
        }

        line.Append(']');
    }
}
