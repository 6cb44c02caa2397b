using Paraphrase.Core.Tokenization;

namespace Paraphrase.Core.Collation;

/// <summary>Pads encoded pairs to the longest in the batch, like <c>DataCollatorWithPadding</c>.</summary>
public sealed class PaddingCollator(int paddingId)
{
    /// <param name="encoded">All encoded examples.</param>
    /// <param name="labels">Their labels, or null for unlabelled data.</param>
    /// <param name="indices">Which examples form this batch, in batch order.</param>
    public PaddedBatch Collate(IReadOnlyList<EncodedPair> encoded, IReadOnlyList<int>? labels, ReadOnlySpan<int> indices)
    {
        if (indices.IsEmpty)
        {
            throw new ArgumentException("A batch needs at least one example.", nameof(indices));
        }

        int length = 0;
        foreach (int i in indices)
        {
            length = Math.Max(length, encoded[i].Length);
        }

        int size = indices.Length;
        var inputIds = new long[size * length];
        var typeIds = new long[size * length];
        var mask = new long[size * length];
        var batchLabels = labels is null ? null : new long[size];
        Array.Fill(inputIds, paddingId);
        for (int row = 0; row < size; row++)
        {
            var pair = encoded[indices[row]];
            int offset = row * length;
            for (int t = 0; t < pair.Length; t++)
            {
                inputIds[offset + t] = pair.InputIds[t];
                typeIds[offset + t] = pair.TokenTypeIds[t];
                mask[offset + t] = 1;
            }

            if (batchLabels is not null)
            {
                batchLabels[row] = labels![indices[row]];
            }
        }

        return new PaddedBatch(size, length, inputIds, typeIds, mask, batchLabels, indices.ToArray());
    }
}
