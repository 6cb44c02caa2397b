using Paraphrase.Core.Collation;
using Paraphrase.Core.Datasets;

namespace Paraphrase.Pipeline.Activities;

/// <summary>A seeded hold-out of train as dev, for datasets uploaded without a dev file: the same seed gives the same split.</summary>
internal static class HoldOut
{
    public static (IReadOnlyList<SentencePair> Train, IReadOnlyList<SentencePair> Dev) Split(IReadOnlyList<SentencePair> pairs, double fraction, ulong seed)
    {
        if (fraction is <= 0 or >= 1)
        {
            throw new Orchestration.PipelineFailedException($"holdOutFraction {fraction} must be between 0 and 1 (exclusive)");
        }

        int devCount = Math.Max(1, (int)Math.Round(pairs.Count * fraction));
        if (devCount >= pairs.Count)
        {
            throw new Orchestration.PipelineFailedException($"train has only {pairs.Count} pairs: too few to hold out a dev split; upload a dev file");
        }

        var order = Enumerable.Range(0, pairs.Count).ToArray();
        var random = new SplitMix64(seed ^ 0x5eed_d0e5UL);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        var dev = order.Take(devCount).Order().Select(i => pairs[i]).ToList();
        var train = order.Skip(devCount).Order().Select(i => pairs[i]).ToList();
        return (train, dev);
    }
}
