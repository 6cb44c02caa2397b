using Paraphrase.Core.Tokenization;

namespace Paraphrase.Core.Datasets;

/// <summary>What a dataset holds: size, label balance and how long its pairs are in tokens.</summary>
public sealed record DatasetStatistics(
    int Rows,
    int SkippedRows,
    int Positives,
    int Negatives,
    int Unlabelled,
    TokenLengthSummary TokenLengths,
    string ContentHash)
{
    /// <summary>Share of labelled pairs that are paraphrases (label 1); NaN without labels.</summary>
    public double PositiveFraction => Positives + Negatives == 0 ? double.NaN : (double)Positives / (Positives + Negatives);

    public static DatasetStatistics Compute(SentencePairDataset dataset, BertWordPieceTokenizer tokenizer)
    {
        var lengths = new int[dataset.Count];
        int positives = 0, negatives = 0, unlabelled = 0;
        for (int i = 0; i < dataset.Count; i++)
        {
            var pair = dataset.Pairs[i];
            lengths[i] = tokenizer.Encode(pair.Sentence1, pair.Sentence2).Length;
            switch (pair.Label)
            {
                case 1: positives++; break;
                case 0: negatives++; break;
                default: unlabelled++; break;
            }
        }

        return new DatasetStatistics(dataset.Count, dataset.SkippedRows, positives, negatives, unlabelled,
            TokenLengthSummary.From(lengths), dataset.ContentHash);
    }
}

/// <summary>Token counts per pair ([CLS] and [SEP] included): mean, percentiles (nearest rank) and maximum.</summary>
public sealed record TokenLengthSummary(double Mean, int P50, int P90, int P95, int P99, int Max, int Over128, int Over512)
{
    public static TokenLengthSummary From(int[] lengths)
    {
        if (lengths.Length == 0)
        {
            return new TokenLengthSummary(0, 0, 0, 0, 0, 0, 0, 0);
        }

        var sorted = lengths.Order().ToArray();
        int Percentile(double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new TokenLengthSummary(
            sorted.Average(), Percentile(50), Percentile(90), Percentile(95), Percentile(99), sorted[^1],
            sorted.Count(l => l > 128), sorted.Count(l => l > 512));
    }
}
