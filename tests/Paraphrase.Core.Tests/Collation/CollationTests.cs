using Paraphrase.Core.Collation;
using Paraphrase.Core.Datasets;
using Paraphrase.Core.Tokenization;

namespace Paraphrase.Core.Tests.Collation;

public sealed class CollationTests
{
    [Fact]
    public void PadsToTheLongestPairInTheBatchLikeDataCollatorWithPadding()
    {
        EncodedPair[] encoded =
        [
            new([101, 7, 102, 8, 102], [0, 0, 0, 1, 1], false),
            new([101, 9, 102], [0, 0, 0], false),
        ];

        var batch = new PaddingCollator(paddingId: 0).Collate(encoded, [1, 0], [1, 0]);

        Assert.Equal((2, 5), (batch.BatchSize, batch.SequenceLength));
        Assert.Equal([101L, 9, 102, 0, 0, 101, 7, 102, 8, 102], batch.InputIds);
        Assert.Equal([0L, 0, 0, 0, 0, 0, 0, 0, 1, 1], batch.TokenTypeIds);
        Assert.Equal([1L, 1, 1, 0, 0, 1, 1, 1, 1, 1], batch.AttentionMask);
        Assert.Equal([0L, 1], batch.Labels!);
        Assert.Equal(8, batch.RealTokens);
    }

    [Fact]
    public void ShuffledBatchesAreDeterministicPerSeedAndEpochAndCoverEveryExampleOnce()
    {
        var first = BatchPlan.Shuffled(3668, 8, seed: 42, epoch: 0);
        var again = BatchPlan.Shuffled(3668, 8, seed: 42, epoch: 0);
        var nextEpoch = BatchPlan.Shuffled(3668, 8, seed: 42, epoch: 1);

        Assert.Equal(459, first.Count);
        Assert.Equal(first.SelectMany(b => b), again.SelectMany(b => b));
        Assert.NotEqual(first.SelectMany(b => b), nextEpoch.SelectMany(b => b));
        Assert.Equal(Enumerable.Range(0, 3668), first.SelectMany(b => b).Order());
        Assert.Equal(4, first[^1].Length);
    }

    [Fact]
    public void SequentialBatchesKeepFileOrder() =>
        Assert.Equal([[0, 1, 2], [3, 4]], BatchPlan.Sequential(5, 3));

    [Fact]
    public void LengthGroupingCutsPaddingAndStillCoversEveryExample()
    {
        var tokenizer = new BertWordPieceTokenizer(WordPieceVocabulary.BertBaseUncased);
        var lengths = DatasetReader.Read(Fixtures.Path("mrpc", "train.tsv")).Pairs
            .Select(p => tokenizer.Encode(p.Sentence1, p.Sentence2).Length).ToArray();

        var grouped = BatchPlan.LengthGrouped(lengths, 8, seed: 1, epoch: 0);
        var shuffled = BatchPlan.Shuffled(lengths.Length, 8, seed: 1, epoch: 0);
        long Padded(IReadOnlyList<int[]> batches) => batches.Sum(b => (long)b.Max(i => lengths[i]) * b.Length);

        Assert.Equal(Enumerable.Range(0, lengths.Length), grouped.SelectMany(b => b).Order());
        Assert.True(Padded(grouped) < 0.85 * Padded(shuffled), $"grouped {Padded(grouped)} vs shuffled {Padded(shuffled)} padded tokens");
        Assert.Equal(grouped.SelectMany(b => b), BatchPlan.LengthGrouped(lengths, 8, seed: 1, epoch: 0).SelectMany(b => b));
    }
}
