using Paraphrase.Core.Datasets;
using Paraphrase.Core.Tokenization;

namespace Paraphrase.Core.Tests.Datasets;

public sealed class DatasetStatisticsTests
{
    [Fact]
    public void MrpcTrainStatistics()
    {
        var dataset = DatasetReader.Read(Fixtures.Path("mrpc", "train.tsv"));

        var stats = DatasetStatistics.Compute(dataset, new BertWordPieceTokenizer(WordPieceVocabulary.BertBaseUncased));

        Assert.Equal(3668, stats.Rows);
        Assert.Equal(2474, stats.Positives);
        Assert.Equal(1194, stats.Negatives);
        Assert.Equal(103, stats.TokenLengths.Max);
        Assert.InRange(stats.TokenLengths.P50, 50, 56);
        Assert.Equal(0, stats.TokenLengths.Over128);
    }

    [Fact]
    public void PercentilesUseNearestRank()
    {
        var summary = TokenLengthSummary.From([.. Enumerable.Range(1, 100)]);

        Assert.Equal((50, 90, 95, 99, 100), (summary.P50, summary.P90, summary.P95, summary.P99, summary.Max));
        Assert.Equal(50.5, summary.Mean);
    }
}
