namespace Paraphrase.Core.Collation;

/// <summary>
/// A batch padded to its longest member, row-major [BatchSize, SequenceLength], in the layout of
/// Hugging Face's <c>DataCollatorWithPadding</c> (<c>input_ids</c>, <c>token_type_ids</c>,
/// <c>attention_mask</c>, <c>labels</c>). Int64, so the arrays become tensors without conversion.
/// </summary>
public sealed record PaddedBatch(
    int BatchSize,
    int SequenceLength,
    long[] InputIds,
    long[] TokenTypeIds,
    long[] AttentionMask,
    long[]? Labels,
    int[] Indices)
{
    /// <summary>Non-padding tokens in the batch.</summary>
    public long RealTokens => AttentionMask.Sum();
}
