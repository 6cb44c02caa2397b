namespace Paraphrase.Core.Collation;

/// <summary>
/// The order in which examples are grouped into batches for one epoch. Deterministic: the same seed and
/// epoch always give the same batches, so a resumed run sees exactly the data order of an uninterrupted one.
/// </summary>
public static class BatchPlan
{
    /// <summary>Batches in file order (evaluation, Hugging Face's unshuffled DataLoader).</summary>
    public static IReadOnlyList<int[]> Sequential(int count, int batchSize) => Chunk(Enumerable.Range(0, count).ToArray(), batchSize);

    /// <summary>A seeded shuffle of all examples, then consecutive batches (the last may be smaller).</summary>
    public static IReadOnlyList<int[]> Shuffled(int count, int batchSize, ulong seed, int epoch) =>
        Chunk(Permutation(count, seed, epoch), batchSize);

    /// <summary>
    /// Length-grouped batches: shuffle, cut into mega-batches of 50 batches, sort each mega-batch by length
    /// (longest first) so that batches need little padding, then shuffle the batch order. A speed option,
    /// as Hugging Face's <c>group_by_length</c>.
    /// </summary>
    public static IReadOnlyList<int[]> LengthGrouped(IReadOnlyList<int> lengths, int batchSize, ulong seed, int epoch)
    {
        const int BatchesPerMegaBatch = 50;
        var order = Permutation(lengths.Count, seed, epoch);
        int megaSize = batchSize * BatchesPerMegaBatch;
        var batches = new List<int[]>();
        for (int start = 0; start < order.Length; start += megaSize)
        {
            var mega = order.AsSpan(start, Math.Min(megaSize, order.Length - start)).ToArray();
            // Stable sort so equal lengths keep their shuffled order.
            var sorted = mega.Select((index, position) => (index, position))
                .OrderByDescending(e => lengths[e.index]).ThenBy(e => e.position).Select(e => e.index).ToArray();
            batches.AddRange(Chunk(sorted, batchSize));
        }

        var rng = new SplitMix64(Mix(seed, epoch) ^ 0x5DEECE66DUL);
        for (int i = batches.Count - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (batches[i], batches[j]) = (batches[j], batches[i]);
        }

        return batches;
    }

    /// <summary>A Fisher–Yates permutation of 0..count-1 determined by (seed, epoch).</summary>
    public static int[] Permutation(int count, ulong seed, int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        var rng = new SplitMix64(Mix(seed, epoch));
        for (int i = count - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    private static ulong Mix(ulong seed, int epoch) => seed * 0x9E3779B97F4A7C15UL + (ulong)epoch;

    private static List<int[]> Chunk(int[] order, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return order.Chunk(batchSize).ToList();
    }
}
