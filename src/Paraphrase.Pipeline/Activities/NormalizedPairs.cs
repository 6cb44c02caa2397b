using System.Text.Json;
using Paraphrase.Core.Datasets;

namespace Paraphrase.Pipeline.Activities;

/// <summary>The run's copy of each split: JSONL <c>{"sentence1", "sentence2", "label"}</c>, whatever format was uploaded.</summary>
internal static class NormalizedPairs
{
    public static byte[] ToJsonl(IReadOnlyList<SentencePair> pairs)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            foreach (var pair in pairs)
            {
                writer.WriteStartObject();
                writer.WriteString("sentence1", pair.Sentence1);
                writer.WriteString("sentence2", pair.Sentence2);
                if (pair.Label is int label)
                {
                    writer.WriteNumber("label", label);
                }

                writer.WriteEndObject();
                writer.Flush();
                buffer.WriteByte((byte)'\n');
                writer.Reset();
            }
        }

        return buffer.ToArray();
    }
}
