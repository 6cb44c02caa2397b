using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Paraphrase.Core.Datasets;

/// <summary>The validated pairs of one file, with what was skipped and a content identity.</summary>
public sealed class SentencePairDataset
{
    private readonly Lazy<string> _contentHash;

    public SentencePairDataset(string source, DatasetFormat format, IReadOnlyList<SentencePair> pairs, int skippedRows, IReadOnlyList<DatasetIssue> issues)
    {
        Source = source;
        Format = format;
        Pairs = pairs;
        SkippedRows = skippedRows;
        Issues = issues;
        _contentHash = new Lazy<string>(() => ComputeContentHash(Pairs));
    }

    /// <summary>The file the pairs came from.</summary>
    public string Source { get; }

    public DatasetFormat Format { get; }

    public IReadOnlyList<SentencePair> Pairs { get; }

    public int Count => Pairs.Count;

    /// <summary>Rows left out under <see cref="BadRowPolicy.Skip"/>.</summary>
    public int SkippedRows { get; }

    /// <summary>Why rows were skipped (the first thousand).</summary>
    public IReadOnlyList<DatasetIssue> Issues { get; }

    public bool HasLabels => Pairs.Count > 0 && Pairs[0].Label is not null;

    /// <summary>
    /// sha256 of the pairs in order, each as the JSON array [sentence1, sentence2, label] and a newline:
    /// the same rows give the same hash whatever the file format, line endings or extra columns.
    /// </summary>
    public string ContentHash => _contentHash.Value;

    private static string ComputeContentHash(IReadOnlyList<SentencePair> pairs)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new ArrayBufferWriter<byte>(256);
        foreach (var pair in pairs)
        {
            buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartArray();
                json.WriteStringValue(pair.Sentence1);
                json.WriteStringValue(pair.Sentence2);
                if (pair.Label is int label)
                {
                    json.WriteNumberValue(label);
                }
                else
                {
                    json.WriteNullValue();
                }

                json.WriteEndArray();
            }

            hash.AppendData(buffer.WrittenSpan);
            hash.AppendData("\n"u8);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
