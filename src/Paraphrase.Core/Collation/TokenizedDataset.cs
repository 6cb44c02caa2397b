using Paraphrase.Core.Datasets;
using Paraphrase.Core.Tokenization;

namespace Paraphrase.Core.Collation;

/// <summary>A labelled dataset after tokenization: what training and evaluation batch from.</summary>
public sealed record TokenizedDataset(string Source, string ContentHash, IReadOnlyList<EncodedPair> Pairs, IReadOnlyList<int> Labels)
{
    public int Count => Pairs.Count;

    /// <summary>Tokenizes every pair; every pair must be labelled.</summary>
    public static TokenizedDataset From(SentencePairDataset dataset, BertWordPieceTokenizer tokenizer, int? take = null)
    {
        var pairs = take is int n ? dataset.Pairs.Take(n).ToList() : dataset.Pairs;
        var unlabelled = pairs.FirstOrDefault(p => p.Label is null);
        if (unlabelled is not null)
        {
            throw new DatasetException(new DatasetIssue(dataset.Source, unlabelled.Line, "label",
                "training and evaluation need a label on every pair; this file has none (name the column with --label-column)"));
        }

        var encoded = new EncodedPair[pairs.Count];
        Parallel.For(0, pairs.Count, i => encoded[i] = tokenizer.Encode(pairs[i].Sentence1, pairs[i].Sentence2));
        string hash = take is null ? dataset.ContentHash : $"{dataset.ContentHash}:first{pairs.Count}";
        return new TokenizedDataset(dataset.Source, hash, encoded, [.. pairs.Select(p => p.Label!.Value)]);
    }
}
