namespace Paraphrase.Core.Tokenization;

/// <summary>
/// One tokenized input, as BERT sees it: <c>[CLS] A [SEP] B [SEP]</c> ids and their segment ids
/// (0 for the first sentence and its separators, 1 for the second).
/// </summary>
/// <param name="Truncated">True when tokens were dropped to respect the maximum length.</param>
public sealed record EncodedPair(int[] InputIds, int[] TokenTypeIds, bool Truncated)
{
    public int Length => InputIds.Length;
}
